"""SIKUAT tables: customary villages and their officers, the chart of accounts by year,
budgets with amendments, the cash and bank funds, entries with their double-entry lines,
receipts, monthly closing, and government grants paid in stages.

Money is whole rupiah (BigIntegerField). Balances never go below zero: a CHECK in the
database backs the conditional UPDATE in ``services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from onedata.core.models import Agency, Region


class Fund(models.TextChoices):
    CASH = "cash", _("Cash")
    BANK = "bank", _("Bank")


class Kind(models.TextChoices):
    ASSET = "asset", _("Cash and bank")
    INCOME = "income", _("Income")
    SPENDING = "spending", _("Spending")
    FINANCING_IN = "financing_in", _("Financing received")
    FINANCING_OUT = "financing_out", _("Financing paid out")
    # Tax withheld from payees and owed to the state (utang pajak): an account kind, and
    # the kind of the entry that deposits it (setoran pajak).
    TAX = "tax", _("Tax payable (withheld, to deposit)")


def _user_field(label, *, blank: bool = False) -> models.ForeignKey:
    """Who did something (recorded, verified, approved...): kept empty, with the record,
    when the login is deleted. One definition for every such column."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name="+",
    )


MONEY_IN_KINDS = (Kind.INCOME, Kind.FINANCING_IN)
MONEY_OUT_KINDS = (Kind.SPENDING, Kind.FINANCING_OUT)


class DesaAdat(models.Model):
    """A customary village. Its identity (name, region) is a core Agency of kind DESA_ADAT;
    memberships at that agency make its officers' logins."""

    class BudgetControl(models.TextChoices):
        WARN = "warn", _("Warn when spending goes over budget")
        BLOCK = "block", _("Refuse spending over budget")

    agency = models.OneToOneField(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="desa_adat"
    )
    regency = models.ForeignKey(
        Region, verbose_name=_("regency"), on_delete=models.PROTECT, related_name="+"
    )
    districts = models.ManyToManyField(
        Region, verbose_name=_("districts"), related_name="desa_adat_districts", blank=True
    )
    villages = models.ManyToManyField(
        Region,
        verbose_name=_("administrative villages"),
        related_name="desa_adat_overlapping",
        blank=True,
        help_text=_("The administrative villages (desa/kelurahan) it overlaps."),
    )
    bank_name = models.CharField(_("bank"), max_length=80, blank=True)
    bank_account_number = models.CharField(_("bank account number"), max_length=40, blank=True)
    bank_account_holder = models.CharField(_("account holder"), max_length=120, blank=True)
    budget_control = models.CharField(
        _("budget control"),
        max_length=10,
        choices=BudgetControl.choices,
        default=BudgetControl.WARN,
    )
    is_published = models.BooleanField(
        _("publish the summary"),
        default=True,
        help_text=_("Show the budget and realisation summary on the public page."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("A deactivated village keeps its books but is no longer listed."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("customary village")
        verbose_name_plural = _("customary villages")
        ordering = ["regency__code", "agency__name"]

    def __str__(self) -> str:
        return self.agency.name

    @property
    def name(self) -> str:
        return self.agency.name

    @property
    def is_sample(self) -> bool:
        return self.agency.is_sample


class Officer(models.Model):
    """Bendesa (head), Penyarikan (secretary), Patengen (treasurer) of a desa adat."""

    class Position(models.TextChoices):
        BENDESA = "bendesa", _("Head (Bendesa)")
        PENYARIKAN = "penyarikan", _("Secretary (Penyarikan)")
        PATENGEN = "patengen", _("Treasurer (Patengen)")

    desa_adat = models.ForeignKey(
        DesaAdat,
        verbose_name=_("customary village"),
        on_delete=models.CASCADE,
        related_name="officers",
    )
    position = models.CharField(_("position"), max_length=12, choices=Position.choices)
    name = models.CharField(_("name"), max_length=150)
    user = _user_field(_("login"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    started_on = models.DateField(_("since"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["desa_adat", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["desa_adat", "position"],
                condition=Q(ended_on__isnull=True),
                name="vf_officer_one_current_per_position",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()}: {self.name}"


class Account(models.Model):
    """One account of the chart, for one year (the chart is versioned by year)."""

    year = models.PositiveSmallIntegerField(_("year"))
    code = models.CharField(_("code"), max_length=12)
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("name in English"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    group_code = models.CharField(_("group code"), max_length=12)
    group_name = models.CharField(_("group"), max_length=150)
    group_name_en = models.CharField(_("group in English"), max_length=150, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("chart of accounts")
        ordering = ["year", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="vf_account_year_code"),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in Kind]), name="vf_account_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name

    @property
    def group_label(self) -> str:
        if translation.get_language() == "en" and self.group_name_en:
            return self.group_name_en
        return self.group_name


class FundBalance(models.Model):
    """The running balance of a village's cash box or bank account. Changed only by a
    conditional UPDATE in services (never below zero, CHECK-backed)."""

    desa_adat = models.ForeignKey(
        DesaAdat,
        verbose_name=_("customary village"),
        on_delete=models.CASCADE,
        related_name="funds",
    )
    fund = models.CharField(_("fund"), max_length=4, choices=Fund.choices)
    balance = models.BigIntegerField(_("balance"), default=0)

    class Meta:
        verbose_name = _("fund balance")
        verbose_name_plural = _("fund balances")
        ordering = ["desa_adat", "fund"]
        constraints = [
            models.UniqueConstraint(fields=["desa_adat", "fund"], name="vf_fund_unique"),
            models.CheckConstraint(condition=Q(balance__gte=0), name="vf_fund_never_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.desa_adat} · {self.get_fund_display()}: {self.balance}"


class BudgetLine(models.Model):
    """The yearly budget of one account for one village; ``realised`` is kept with it,
    changed under the line's row lock, so the over-budget check cannot race."""

    desa_adat = models.ForeignKey(
        DesaAdat,
        verbose_name=_("customary village"),
        on_delete=models.CASCADE,
        related_name="budget_lines",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.BigIntegerField(_("budget"))
    original_amount = models.BigIntegerField(_("original budget"))
    realised = models.BigIntegerField(_("realised"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["desa_adat", "year", "account__position"]
        constraints = [
            models.UniqueConstraint(fields=["desa_adat", "account"], name="vf_budget_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="vf_budget_not_negative"),
            models.CheckConstraint(
                condition=Q(original_amount__gte=0), name="vf_budget_original_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["year", "desa_adat"])]

    def __str__(self) -> str:
        return f"{self.desa_adat} · {self.account.code} · {self.amount}"


class BudgetAmendment(models.Model):
    line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget line"),
        on_delete=models.CASCADE,
        related_name="amendments",
    )
    old_amount = models.BigIntegerField(_("before"))
    new_amount = models.BigIntegerField(_("after"))
    reason = models.CharField(_("reason"), max_length=300)
    actor = _user_field(_("by"))
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("budget amendment")
        verbose_name_plural = _("budget amendments")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.line}: {self.old_amount} -> {self.new_amount}"


def _band_field(number: int) -> models.IntegerField:
    return models.IntegerField(
        format_lazy("{} {}", _("hash band"), number), null=True, blank=True, editable=False
    )


class Receipt(models.Model):
    """A receipt photo, checked (core.uploads RECEIPT_PHOTO: re-encoded, no EXIF) and stored
    under a random private name; served only through a permission-checked view."""

    desa_adat = models.ForeignKey(
        DesaAdat,
        verbose_name=_("customary village"),
        on_delete=models.CASCADE,
        related_name="receipts",
    )
    path = models.CharField(_("stored file"), max_length=200, editable=False)
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size"))
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    phash = models.CharField(_("perceptual hash"), max_length=64, blank=True, db_index=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("same as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    original_name = models.CharField(_("file name"), max_length=120, blank=True)
    ocr_date = models.DateField(_("date read"), null=True, blank=True)
    ocr_total = models.BigIntegerField(_("total read"), null=True, blank=True)
    uploaded_by = _user_field(_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # The perceptual hash cut into imagehash.BAND_COUNT bands, each indexed: the
    # near-duplicate search looks candidates up by band (see imagehash, multi-index hashing).
    phash_b0 = _band_field(0)
    phash_b1 = _band_field(1)
    phash_b2 = _band_field(2)
    phash_b3 = _band_field(3)
    phash_b4 = _band_field(4)
    phash_b5 = _band_field(5)
    phash_b6 = _band_field(6)
    phash_b7 = _band_field(7)
    phash_b8 = _band_field(8)
    phash_b9 = _band_field(9)
    phash_b10 = _band_field(10)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=[f"phash_b{n}", "desa_adat"], name=f"vf_receipt_band_{n}")
            for n in range(11)
        ]

    def __str__(self) -> str:
        return self.original_name or f"receipt {self.pk}"


class Grant(models.Model):
    """Money the province (e.g. the yearly BKK) or a regency gives a desa adat, in stages."""

    class Source(models.TextChoices):
        PROVINCE = "province", _("Province")
        REGENCY = "regency", _("Regency / city")

    desa_adat = models.ForeignKey(
        DesaAdat,
        verbose_name=_("customary village"),
        on_delete=models.CASCADE,
        related_name="grants",
    )
    grantor = models.ForeignKey(
        Agency, verbose_name=_("given by"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=150)
    account = models.ForeignKey(
        Account, verbose_name=_("income account"), on_delete=models.PROTECT, related_name="+"
    )
    total = models.BigIntegerField(_("total"))
    created_by = _user_field(_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["-year", "desa_adat", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gt=0), name="vf_grant_total_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.desa_adat}"


class GrantStage(models.Model):
    """One instalment of a grant: planned -> disbursed (by the grantor) -> received (the
    village confirms, which books the income) -> accounted (the use is reported)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DISBURSED = "disbursed", _("Sent, waiting for the village")
        RECEIVED = "received", _("Received")
        ACCOUNTED = "accounted", _("Use reported")

    grant = models.ForeignKey(
        Grant, verbose_name=_("grant"), on_delete=models.CASCADE, related_name="stages"
    )
    number = models.PositiveSmallIntegerField(_("stage"))
    amount = models.BigIntegerField(_("amount"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    disbursed_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    accounted_at = models.DateTimeField(_("use reported at"), null=True, blank=True)
    report_note = models.TextField(_("accountability note"), blank=True)

    class Meta:
        verbose_name = _("grant stage")
        verbose_name_plural = _("grant stages")
        ordering = ["grant", "number"]
        constraints = [
            models.UniqueConstraint(fields=["grant", "number"], name="vf_stage_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="vf_stage_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.grant.name} · {self.number}"


class Entry(models.Model):
    """An income, spending or financing transaction of a village, as the treasurer records
    it. Its double-entry lines are ``JournalLine`` rows. Posted entries are never edited:
    a mistake is corrected by a reversal (``reversal_of``), which cancels every line."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Recorded")
        VERIFIED = "verified", _("Verified")

    desa_adat = models.ForeignKey(
        DesaAdat,
        verbose_name=_("customary village"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    number = models.CharField(_("number"), max_length=20)
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="+"
    )
    fund = models.CharField(_("cash or bank"), max_length=4, choices=Fund.choices)
    amount = models.BigIntegerField(_("amount"))
    # Taxes withheld from the payee (PPh, PPN...): credited to tax-payable accounts, so
    # the fund pays only ``amount - tax_amount``. See ``EntryTax``.
    tax_amount = models.BigIntegerField(_("tax withheld"), default=0)
    # Signed effects, so reports are plain sums: on the account (+ for an entry, - for its
    # reversal) and on the fund (+ money in, - money out).
    account_amount = models.BigIntegerField(_("effect on the account"))
    fund_amount = models.BigIntegerField(_("effect on the fund"))
    description = models.CharField(_("description"), max_length=300)
    counterparty = models.CharField(_("paid to / received from"), max_length=150, blank=True)
    receipt = models.ForeignKey(
        Receipt,
        verbose_name=_("receipt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
    )
    grant_stage = models.ForeignKey(
        GrantStage,
        verbose_name=_("grant stage"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    reversal_of = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    over_budget = models.BooleanField(_("over budget"), default=False)
    created_by = _user_field(_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    verified_by = _user_field(_("verified by"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ["desa_adat", "date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["desa_adat", "number"], name="vf_entry_number"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="vf_entry_amount_positive"),
            models.CheckConstraint(
                condition=Q(account_amount=F("amount")) | Q(account_amount=-F("amount")),
                name="vf_entry_account_effect",
            ),
            models.CheckConstraint(
                condition=Q(fund_amount=F("amount") - F("tax_amount"))
                | Q(fund_amount=F("tax_amount") - F("amount")),
                name="vf_entry_fund_effect",
            ),
            models.CheckConstraint(
                condition=Q(tax_amount__gte=0) & Q(tax_amount__lt=F("amount")),
                name="vf_entry_tax_below_amount",
            ),
        ]
        indexes = [
            models.Index(fields=["desa_adat", "fund", "date"], name="vf_entry_fund_date"),
            models.Index(fields=["account", "desa_adat"], name="vf_entry_account"),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.date} · {self.amount}"

    @property
    def is_reversal(self) -> bool:
        return self.reversal_of_id is not None

    @property
    def money_in(self) -> int:
        return max(self.fund_amount, 0)

    @property
    def money_out(self) -> int:
        return max(-self.fund_amount, 0)


class JournalLine(models.Model):
    """One side of a double entry: debit or credit of one account."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("transaction"), on_delete=models.CASCADE, related_name="lines"
    )
    desa_adat = models.ForeignKey(
        DesaAdat,
        verbose_name=_("customary village"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="+"
    )
    debit = models.BigIntegerField(_("debit"), default=0)
    credit = models.BigIntegerField(_("credit"), default=0)

    class Meta:
        verbose_name = _("journal line")
        verbose_name_plural = _("journal lines")
        ordering = ["entry", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit__gt=0) & Q(credit=0)) | (Q(debit=0) & Q(credit__gt=0)),
                name="vf_line_one_side",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account.code} D{self.debit} C{self.credit}"


class MonthReport(models.Model):
    """The monthly report of a village: submitted by the treasurer, approved by the
    Bendesa. An approved month is closed: no entry may be dated in it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for the Bendesa")
        APPROVED = "approved", _("Approved, month closed")

    desa_adat = models.ForeignKey(
        DesaAdat,
        verbose_name=_("customary village"),
        on_delete=models.CASCADE,
        related_name="month_reports",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    money_in = models.BigIntegerField(_("money in"), default=0)
    money_out = models.BigIntegerField(_("money out"), default=0)
    closing_balance = models.BigIntegerField(_("closing balance"), default=0)
    submitted_by = _user_field(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    approved_by = _user_field(_("approved by"), blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["desa_adat", "-year", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["desa_adat", "year", "month"], name="vf_month_report_unique"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12), name="vf_month_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.desa_adat} {self.year}-{self.month:02d}"


class EntryDraft(models.Model):
    """A transaction the treasurer started but has not submitted: no number, no effect on
    the ledger, balances or reports. Submitting it records the entry (``entry_record``,
    with every rule) and removes the draft. Fields may be empty or not yet valid."""

    desa_adat = models.ForeignKey(
        DesaAdat,
        verbose_name=_("customary village"),
        on_delete=models.CASCADE,
        related_name="drafts",
    )
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    fund = models.CharField(_("cash or bank"), max_length=4, choices=Fund.choices, blank=True)
    amount = models.BigIntegerField(_("amount"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    counterparty = models.CharField(_("paid to / received from"), max_length=150, blank=True)
    receipt = models.ForeignKey(
        Receipt,
        verbose_name=_("receipt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    grant_stage = models.ForeignKey(
        GrantStage,
        verbose_name=_("grant stage"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = _user_field(_("recorded by"))
    updated_at = models.DateTimeField(_("saved at"), auto_now=True)

    class Meta:
        verbose_name = _("draft transaction")
        verbose_name_plural = _("draft transactions")
        ordering = ["desa_adat", "-updated_at", "-id"]

    def __str__(self) -> str:
        return self.description or f"draft {self.pk}"


class BankReconciliation(models.Model):
    """The bank statement's balance on a date set beside the bank book's balance on that
    date (rekonsiliasi bank). A difference means something is missing or wrong in the
    book (a bank fee, interest, an entry in the wrong fund) and is shown until explained."""

    desa_adat = models.ForeignKey(
        DesaAdat,
        verbose_name=_("customary village"),
        on_delete=models.CASCADE,
        related_name="reconciliations",
    )
    date = models.DateField(_("statement date"))
    statement_balance = models.BigIntegerField(_("balance on the bank statement"))
    book_balance = models.BigIntegerField(_("balance in the bank book"))
    note = models.CharField(_("explanation"), max_length=300, blank=True)
    created_by = _user_field(_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("bank reconciliation")
        verbose_name_plural = _("bank reconciliations")
        ordering = ["desa_adat", "-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["desa_adat", "date"], name="vf_reconciliation_day"),
            models.CheckConstraint(
                condition=Q(statement_balance__gte=0), name="vf_statement_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.desa_adat} {self.date}"

    @property
    def difference(self) -> int:
        return self.statement_balance - self.book_balance


# --- tax book (Buku Pembantu Pajak) ---------------------------------------------------------


class TaxRate(models.Model):
    """A tax the treasurer withholds from a payee (PPN, PPh 21/22/23, pajak daerah), at a
    rate valid from ``year_from`` to ``year_to`` (open-ended when empty). Loaded from
    ``data/tax_rates.json``; provincial staff change rates by adding a new period. The
    withheld amount is owed on the tax-payable account ``account_code`` of the chart."""

    code = models.CharField(_("code"), max_length=12)
    name = models.CharField(_("name"), max_length=80)
    name_en = models.CharField(_("name in English"), max_length=80, blank=True)
    account_code = models.CharField(_("tax-payable account"), max_length=12)
    rate_bp = models.PositiveIntegerField(
        _("rate (hundredths of a percent)"), help_text=_("200 means 2%; 1100 means 11%.")
    )
    year_from = models.PositiveSmallIntegerField(_("from year"))
    year_to = models.PositiveSmallIntegerField(_("until year"), null=True, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("tax rate")
        verbose_name_plural = _("tax rates")
        ordering = ["position", "code", "-year_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "year_from"], name="vf_tax_rate_period"),
            models.CheckConstraint(condition=Q(rate_bp__lte=10000), name="vf_tax_rate_max"),
            models.CheckConstraint(
                condition=Q(year_to__isnull=True) | Q(year_to__gte=F("year_from")),
                name="vf_tax_rate_years",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.percent}%"

    @property
    def label(self) -> str:
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name

    @property
    def percent(self) -> str:
        whole, rest = divmod(self.rate_bp, 100)
        return f"{whole},{rest:02d}".rstrip("0").rstrip(",") if rest else str(whole)


class EntryTax(models.Model):
    """One tax withheld on a spending entry (or cancelled by its reversal)."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("transaction"), on_delete=models.CASCADE, related_name="taxes"
    )
    tax = models.ForeignKey(
        TaxRate, verbose_name=_("tax"), on_delete=models.PROTECT, related_name="+"
    )
    base = models.BigIntegerField(_("taxed amount (DPP)"))
    amount = models.BigIntegerField(_("tax withheld"))

    class Meta:
        verbose_name = _("tax withheld")
        verbose_name_plural = _("taxes withheld")
        ordering = ["entry", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="vf_entry_tax_positive"),
            models.CheckConstraint(condition=Q(base__gte=0), name="vf_entry_tax_base"),
        ]

    def __str__(self) -> str:
        return f"{self.entry.number} · {self.tax.code} · {self.amount}"


class TaxDeposit(models.Model):
    """The deposit (setoran) of withheld tax to the state: its entry debits the
    tax-payable account from cash or bank. Billing code and NTPN prove the payment."""

    entry = models.OneToOneField(
        Entry, verbose_name=_("transaction"), on_delete=models.CASCADE, related_name="deposit"
    )
    tax = models.ForeignKey(
        TaxRate, verbose_name=_("tax"), on_delete=models.PROTECT, related_name="+"
    )
    billing_code = models.CharField(_("billing code"), max_length=20, blank=True)
    ntpn = models.CharField(_("NTPN"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("tax deposit")
        verbose_name_plural = _("tax deposits")
        ordering = ["entry"]

    def __str__(self) -> str:
        return f"{self.entry.number} · {self.tax.code}"


# --- bank statements, line by line ------------------------------------------------------------


class BankStatement(models.Model):
    """A bank statement file (rekening koran) the treasurer uploaded."""

    desa_adat = models.ForeignKey(
        DesaAdat,
        verbose_name=_("customary village"),
        on_delete=models.CASCADE,
        related_name="statements",
    )
    file_name = models.CharField(_("file name"), max_length=120)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    start = models.DateField(_("first date"))
    end = models.DateField(_("last date"))
    uploaded_by = _user_field(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["desa_adat", "-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["desa_adat", "sha256"], name="vf_statement_once"),
        ]

    def __str__(self) -> str:
        return f"{self.desa_adat} {self.start}..{self.end}"


class StatementLine(models.Model):
    """One line of a bank statement: + money into the account, - money out. Matched to at
    most one bank-book entry, and an entry to at most one line."""

    class MatchedBy(models.TextChoices):
        AUTO = "auto", _("Automatically")
        MANUAL = "manual", _("By hand")

    statement = models.ForeignKey(
        BankStatement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="lines"
    )
    desa_adat = models.ForeignKey(
        DesaAdat, verbose_name=_("customary village"), on_delete=models.CASCADE, related_name="+"
    )
    row = models.PositiveIntegerField(_("row in the file"))
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = models.BigIntegerField(_("amount"))
    balance = models.BigIntegerField(_("balance"), null=True, blank=True)
    entry = models.OneToOneField(
        Entry,
        verbose_name=_("matched transaction"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statement_line",
    )
    matched_by = models.CharField(_("matched"), max_length=6, choices=MatchedBy.choices, blank=True)
    matched_at = models.DateTimeField(_("matched at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bank statement line")
        verbose_name_plural = _("bank statement lines")
        ordering = ["desa_adat", "date", "statement", "row"]
        indexes = [models.Index(fields=["desa_adat", "date"], name="vf_statement_line_date")]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="vf_statement_line_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.amount}"

    @property
    def money_in(self) -> int:
        return max(self.amount, 0)

    @property
    def money_out(self) -> int:
        return max(-self.amount, 0)


class ReconciledMonth(models.Model):
    """A month whose bank statement lines and bank-book entries are all matched and whose
    balances agree: who declared it complete, and when."""

    desa_adat = models.ForeignKey(
        DesaAdat,
        verbose_name=_("customary village"),
        on_delete=models.CASCADE,
        related_name="reconciled_months",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    statement_balance = models.BigIntegerField(_("balance on the bank statement"))
    book_balance = models.BigIntegerField(_("balance in the bank book"))
    completed_by = _user_field(_("completed by"))
    completed_at = models.DateTimeField(_("completed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reconciled month")
        verbose_name_plural = _("reconciled months")
        ordering = ["desa_adat", "-year", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["desa_adat", "year", "month"], name="vf_reconciled_month_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.desa_adat} {self.year}-{self.month:02d}"
