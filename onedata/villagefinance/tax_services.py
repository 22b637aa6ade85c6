"""Tax book use cases and reads: tax rates (loaded from data, changed by provincial
staff), taxes withheld on spending, deposits (setoran pajak), the book and overdue taxes.

Withheld tax lives in the ledger on tax-payable accounts (kind ``tax``, group 2.1 of the
chart, one account per tax): a spending credits them, a deposit debits them. The book is
read from those journal lines, so it always agrees with the ledger.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from onedata.core import audit
from onedata.core.errors import Conflict, ValidationError
from onedata.villagefinance import taxes
from onedata.villagefinance.models import (
    Account,
    DesaAdat,
    Entry,
    EntryTax,
    JournalLine,
    Kind,
    TaxDeposit,
    TaxRate,
)

TAX_FILE = Path(__file__).resolve().parent / "data" / "tax_rates.json"
# Accounts of the tax group sit after cash and bank (positions 10, 20) in the chart.
TAX_ACCOUNT_POSITION = 21
BILLING_CODE = re.compile(r"^\d{15}$")
NTPN = re.compile(r"^[0-9A-Z]{16}$")


def due_day() -> int:
    """Day of the next month by which withheld tax must be deposited (setting)."""
    return int(settings.VILLAGEFINANCE_TAX_DUE_DAY)


def _data() -> dict:
    return json.loads(TAX_FILE.read_text(encoding="utf-8"))


# --- rates and accounts ------------------------------------------------------------------------


def tax_rates_load(*, actor=None) -> int:
    """Create the rates of the data file that are not there yet (idempotent); returns how
    many were created. Rates changed by provincial staff are left as they are."""
    created = 0
    with transaction.atomic():
        for position, tax in enumerate(_data()["taxes"], start=1):
            for period in tax["rates"]:
                _rate, made = TaxRate.objects.get_or_create(
                    code=tax["code"],
                    year_from=period["year_from"],
                    defaults={
                        "name": tax["name"],
                        "name_en": tax.get("name_en", ""),
                        "account_code": tax["account"],
                        "rate_bp": period["rate_bp"],
                        "year_to": period.get("year_to"),
                        "position": position * 10,
                    },
                )
                created += made
        if created:
            audit.record(
                actor=actor or "system",
                action="villagefinance.tax_rates_load",
                object_type="villagefinance.taxrate",
                object_repr="tax rates",
                after={"created": created},
            )
    return created


def tax_accounts_ensure(year: int) -> None:
    """The year's tax-payable accounts (2.1.x): added to a chart that lacks them (a chart
    loaded or copied before the tax book existed)."""
    data = _data()
    group = data["accounts_group"]
    existing = set(Account.objects.filter(year=year).values_list("code", flat=True))
    if not existing:
        return  # no chart for the year yet: chart_load comes first
    missing = [
        Account(
            year=year,
            code=tax["account"],
            name=tax["account_name"],
            name_en=tax.get("account_name_en", ""),
            kind=Kind.TAX,
            group_code=group["code"],
            group_name=group["name"],
            group_name_en=group.get("name_en", ""),
            position=TAX_ACCOUNT_POSITION + index,
        )
        for index, tax in enumerate(data["taxes"])
        if tax["account"] not in existing
    ]
    if missing:
        Account.objects.bulk_create(missing, ignore_conflicts=True)


def _rates_loaded() -> None:
    """The data file's rates, the first time (one cheap query afterwards)."""
    if not TaxRate.objects.exists():
        tax_rates_load()


def rates_for(year: int) -> list[TaxRate]:
    """The rate of each tax in force in ``year`` (the latest period that covers it)."""
    _rates_loaded()
    found: dict[str, TaxRate] = {}
    in_force = (
        TaxRate.objects.filter(is_active=True, year_from__lte=year)
        .filter(Q(year_to__isnull=True) | Q(year_to__gte=year))
        .order_by("position", "code", "-year_from")
    )
    for rate in in_force:
        found.setdefault(rate.code, rate)
    return list(found.values())


def tax_rate_set(
    *, actor, code: str, year_from: int, rate_bp: int, year_to: int | None = None
) -> TaxRate:
    """Provincial staff set a tax's rate from a year on (a new period, or a corrected one).
    The previous open period is closed the year before."""
    template = TaxRate.objects.filter(code=code).order_by("-year_from").first()
    fields: dict[str, list[str]] = {}
    if template is None:
        fields["code"] = [_("Unknown tax.")]
    if not isinstance(rate_bp, int) or not 0 <= rate_bp <= taxes.BASIS_POINTS:
        fields["rate"] = [_("Write a rate between 0 and 100%, e.g. 1,5.")]
    if not isinstance(year_from, int) or not 2000 <= year_from <= 2100:
        fields["year_from"] = [_("Write the first year, e.g. 2027.")]
    elif year_to is not None and year_to < year_from:
        fields["year_to"] = [_("The last year cannot be before the first year.")]
    if fields:
        raise ValidationError(_("Please check what you entered."), fields=fields)
    with transaction.atomic():
        rate = TaxRate.objects.select_for_update().filter(code=code, year_from=year_from).first()
        before = {"rate_bp": rate.rate_bp, "year_to": rate.year_to} if rate else None
        if rate is None:
            rate = TaxRate.objects.create(
                code=code,
                year_from=year_from,
                year_to=year_to,
                rate_bp=rate_bp,
                name=template.name,
                name_en=template.name_en,
                account_code=template.account_code,
                position=template.position,
            )
            TaxRate.objects.filter(code=code, year_from__lt=year_from, year_to__isnull=True).update(
                year_to=year_from - 1
            )
        else:
            rate.rate_bp = rate_bp
            rate.year_to = year_to
            rate.save(update_fields=["rate_bp", "year_to"])
        audit.record(
            actor=actor,
            action="villagefinance.tax_rate_set",
            obj=rate,
            before=before,
            after={"rate_bp": rate_bp, "year_from": year_from, "year_to": year_to},
        )
    return rate


# --- withholding on spending ---------------------------------------------------------------


@dataclass(frozen=True)
class Withholding:
    """One tax the treasurer withholds on a spending: ``amount`` is what the form shows
    (computed from the base, or changed by the treasurer)."""

    tax: TaxRate
    base: int
    amount: int


def withholding_for(tax: TaxRate, base: int, amount: int | None = None) -> Withholding:
    """The withholding with its amount computed when the treasurer left it empty."""
    if amount is None:
        amount = taxes.compute_tax(base, tax.rate_bp)
    return Withholding(tax, base, amount)


def check_withholdings(
    *, kind: str, day, amount, withholdings: list[Withholding]
) -> dict[str, list[str]]:
    """Field errors of the taxes of an entry (empty when they are fine)."""
    fields: dict[str, list[str]] = {}
    if not withholdings:
        return fields
    if kind != Kind.SPENDING:
        fields["taxes"] = [_("Tax is withheld only on spending.")]
        return fields
    seen = set()
    for item in withholdings:
        if item.tax.code in seen:
            fields.setdefault("taxes", []).append(
                _("%(tax)s is listed twice.") % {"tax": item.tax.name}
            )
        seen.add(item.tax.code)
        if not isinstance(item.amount, int) or item.amount <= 0:
            fields.setdefault("taxes", []).append(
                _("The %(tax)s withheld must be more than zero.") % {"tax": item.tax.name}
            )
        if isinstance(day, date) and not (
            item.tax.year_from <= day.year and (item.tax.year_to or day.year) >= day.year
        ):
            fields.setdefault("taxes", []).append(
                _("The %(tax)s rate chosen is not in force in %(year)s.")
                % {"tax": item.tax.name, "year": day.year}
            )
    total = sum(i.amount for i in withholdings if isinstance(i.amount, int))
    if isinstance(amount, int) and total >= amount:
        fields.setdefault("taxes", []).append(_("The taxes withheld must be less than the amount."))
    return fields


def withheld_by_account(withholdings: list[Withholding]) -> dict[str, int]:
    by_account: dict[str, int] = {}
    for item in withholdings:
        by_account[item.tax.account_code] = by_account.get(item.tax.account_code, 0) + item.amount
    return by_account


def withholdings_store(entry: Entry, withholdings: list[Withholding]) -> None:
    EntryTax.objects.bulk_create(
        EntryTax(entry=entry, tax=item.tax, base=item.base, amount=item.amount)
        for item in withholdings
    )


def withholdings_copy(original: Entry, reversal: Entry) -> None:
    """A reversal lists the taxes it cancels (its journal lines cancel them)."""
    EntryTax.objects.bulk_create(
        EntryTax(entry=reversal, tax_id=t.tax_id, base=t.base, amount=t.amount)
        for t in original.taxes.all()
    )


# --- deposits ----------------------------------------------------------------------------------


def owed(desa: DesaAdat, account_code: str) -> int:
    """Tax withheld and not yet deposited on one tax-payable account (every year)."""
    rows = JournalLine.objects.filter(desa_adat=desa, account__code=account_code).values_list(
        "debit", "credit"
    )
    return sum(credit - debit for debit, credit in rows)


def tax_deposit_record(
    *,
    actor,
    desa: DesaAdat,
    tax: TaxRate,
    date: date,
    fund: str,
    amount: int,
    billing_code: str = "",
    ntpn: str = "",
    description: str = "",
    today: date | None = None,
):
    """Deposit withheld tax to the state (setoran pajak): an entry of kind ``tax`` that
    debits the tax-payable account from cash or bank. Refused beyond what is owed."""
    from onedata.villagefinance import services

    billing_code = re.sub(r"\s", "", billing_code or "")
    ntpn = re.sub(r"\s", "", ntpn or "").upper()
    fields: dict[str, list[str]] = {}
    if billing_code and not BILLING_CODE.match(billing_code):
        fields["billing_code"] = [_("The billing code has 15 digits.")]
    if ntpn and not NTPN.match(ntpn):
        fields["ntpn"] = [_("The NTPN has 16 letters and digits, as printed on the proof.")]
    if fields:
        raise ValidationError(_("Please check what you entered."), fields=fields)
    year = date.year if hasattr(date, "year") else timezone.localdate().year
    services.chart_load(year=year)
    tax_accounts_ensure(year)
    account = Account.objects.filter(year=year, code=tax.account_code).first()
    with transaction.atomic():
        DesaAdat.objects.select_for_update().filter(pk=desa.pk).first()
        left = owed(desa, tax.account_code)
        if isinstance(amount, int) and amount > left:
            raise Conflict(
                _("More than the %(tax)s owed: %(owed)s.")
                % {"tax": tax.name, "owed": services.rupiah(left)},
                fields={
                    "amount": [_("At most %(owed)s is owed.") % {"owed": services.rupiah(left)}]
                },
            )
        posted = services.entry_record(
            actor=actor,
            desa=desa,
            date=date,
            kind=Kind.TAX,
            account=account,
            fund=fund,
            amount=amount,
            description=description
            or _("%(tax)s deposit") % {"tax": tax.name} + (f" NTPN {ntpn}" if ntpn else ""),
            counterparty=_("State treasury"),
            today=today,
        )
        deposit = TaxDeposit.objects.create(
            entry=posted.entry, tax=tax, billing_code=billing_code, ntpn=ntpn
        )
        audit.record(
            actor=actor,
            action="villagefinance.tax_deposit_record",
            obj=deposit,
            after={
                "entry": posted.entry.number,
                "tax": tax.code,
                "amount": amount,
                "billing_code": billing_code,
                "ntpn": ntpn,
            },
        )
    return posted


# --- reads -------------------------------------------------------------------------------------


def tax_names() -> dict[str, TaxRate]:
    """Account code -> the latest rate row of its tax (for names and codes)."""
    _rates_loaded()
    found: dict[str, TaxRate] = {}
    for rate in TaxRate.objects.order_by("position", "code", "-year_from"):
        found.setdefault(rate.account_code, rate)
    return found


def _tax_lines(desa_filter: Q):
    return (
        JournalLine.objects.filter(desa_filter, account__kind=Kind.TAX)
        .select_related("entry", "account")
        .order_by("entry__date", "entry_id", "id")
    )


def tax_book(desa: DesaAdat, *, start: date | None = None, end: date | None = None):
    """The tax book of a village between ``start`` and ``end`` (both included), keyed by
    tax-payable account code; the opening balance is what was owed before ``start``."""
    opening: dict[str, int] = {}
    movements = []
    for line in _tax_lines(Q(desa_adat=desa)):
        entry = line.entry
        code = line.account.code
        if end and entry.date > end:
            break
        if start and entry.date < start:
            opening[code] = opening.get(code, 0) + line.credit - line.debit
            continue
        is_deposit = entry.kind == Kind.TAX
        movements.append(
            {
                "date": entry.date,
                "number": entry.number,
                "description": entry.description,
                "tax": code,
                "withheld": 0 if is_deposit else line.credit - line.debit,
                "deposited": line.debit - line.credit if is_deposit else 0,
                "ref": entry.pk,
            }
        )
    names = tax_names()
    return taxes.tax_book(opening, movements, taxes=sorted(names)), names


def overdue(villages_filter: Q, *, today: date | None = None) -> dict[int, list[taxes.Overdue]]:
    """Village id -> its withheld taxes not deposited by the due day of the next month."""
    today = today or timezone.localdate()
    withholdings: dict[int, list] = {}
    deposited: dict[int, dict[str, int]] = {}
    for line in _tax_lines(villages_filter):
        entry = line.entry
        code = line.account.code
        if entry.kind == Kind.TAX:
            paid = deposited.setdefault(line.desa_adat_id, {})
            paid[code] = paid.get(code, 0) + line.debit - line.credit
        else:
            withholdings.setdefault(line.desa_adat_id, []).append(
                (code, entry.date, line.credit - line.debit)
            )
    found = {}
    for desa_id, rows in withholdings.items():
        late = taxes.overdue(rows, deposited.get(desa_id, {}), today=today, due_day=due_day())
        if late:
            found[desa_id] = late
    return found


def deposits(desa: DesaAdat):
    return (
        TaxDeposit.objects.filter(entry__desa_adat=desa)
        .select_related("entry", "tax")
        .order_by("-entry__date", "-entry_id")
    )


def overdue_labelled(desa: DesaAdat, *, today: date | None = None) -> list:
    """(Overdue, tax name) of one village, for its warnings."""
    late = overdue(Q(desa_adat=desa), today=today).get(desa.pk, [])
    if not late:
        return []
    names = tax_names()
    return [(item, names[item.tax].label if item.tax in names else item.tax) for item in late]


def overdue_villages(villages, *, today: date | None = None, limit: int = 50) -> list[dict]:
    """Villages of a scope with withheld tax past its deposit day (dashboard anomalies):
    the amount late and the earliest due date, most overdue first."""
    late = overdue(Q(desa_adat__in=villages), today=today)
    by_id = DesaAdat.objects.select_related("agency").in_bulk(list(late))
    rows = [
        {
            "desa": by_id[desa_id],
            "amount": sum(item.amount for item in items),
            "due": min(item.due for item in items),
        }
        for desa_id, items in late.items()
        if desa_id in by_id
    ]
    rows.sort(key=lambda row: (row["due"], row["desa"].pk))
    return rows[:limit]
