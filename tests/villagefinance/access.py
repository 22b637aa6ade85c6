"""What SIKUAT expects for every role (see tests/access/matrix.py).

The target is a desa adat in Badung whose agency hangs under ``own`` (Pemkab Badung). The
matrix's ``village_treasurer@own`` and ``village_head@own`` are also made its officers
(memberships at the desa adat's own agency): officers of any other agency are refused.
Regency and provincial staff are agency admins whose region covers the village.
"""

from __future__ import annotations

import io
from datetime import date

from django.utils import timezone
from PIL import Image

from onedata.core.models import Agency, Membership, Region
from onedata.core.roles import Role
from onedata.villagefinance import registry, services
from onedata.villagefinance.models import Account
from tests.access.matrix import Actor, Case, logged_in, public

ADMIN = Role.PLATFORM_ADMIN
STAFF = Role.AGENCY_ADMIN
TREASURER = Role.VILLAGE_TREASURER
HEAD = Role.VILLAGE_HEAD


def viewer(actor: Actor) -> bool:
    return (
        actor.role == ADMIN
        or (actor.role == STAFF and actor.place in ("own", "sibling", "province"))
        or (actor.role in (TREASURER, HEAD) and actor.place == "own")
    )


def treasurer(actor: Actor) -> bool:
    return actor.role == ADMIN or (actor.role == TREASURER and actor.place == "own")


def officer(actor: Actor) -> bool:
    return actor.role == ADMIN or (actor.role in (TREASURER, HEAD) and actor.place == "own")


def head(actor: Actor) -> bool:
    return actor.role == ADMIN or (actor.role == HEAD and actor.place == "own")


def staff(actor: Actor) -> bool:
    return actor.role == ADMIN or (
        actor.role == STAFF and actor.place in ("own", "sibling", "province")
    )


def province_staff(actor: Actor) -> bool:
    """Edits the chart of accounts: staff of a provincial agency, or a platform admin."""
    return actor.role == ADMIN or (actor.role == STAFF and actor.place == "province")


def _unused_account(w) -> int:
    return Account.objects.get(year=vf(w, "year"), code="5.5.9").pk


def _grant_form(w):
    return {
        "name": "BKK",
        "grantor": str(w.agencies["own"].pk),
        "year": str(vf(w, "year")),
        "account": "4.1.1",
        "stage_1": "1.000.000",
    }


def extend_world(world):
    year = timezone.localdate().year
    services.chart_load(year=year)
    region = Region.objects.filter(level="village", code__startswith="51.03.").first()
    agency = Agency.objects.create(
        slug="desa-adat-matrix",
        name="Desa Adat Matrix",
        kind=Agency.Kind.DESA_ADAT,
        region=region,
        parent=world.agencies["own"],
        is_sample=True,
    )
    desa = services.desa_adat_register(actor="test", agency=agency)
    for role in (TREASURER, HEAD):
        Membership.objects.create(user=world.users[Actor(role, "own")], agency=agency, role=role)
    actor = world.users[Actor(TREASURER, "own")]
    day = date(year, 1, 1)
    income = services.entry_record(
        actor=actor,
        desa=desa,
        date=day,
        kind="income",
        account=Account.objects.get(year=year, code="4.3.1"),
        fund="cash",
        amount=5_000_000,
        description="Punia",
        today=day,
    ).entry
    out = io.BytesIO()
    Image.new("RGB", (40, 60), "white").save(out, "JPEG")
    receipt = services.receipt_store(actor=actor, desa=desa, upload=out.getvalue())
    spending = services.entry_record(
        actor=actor,
        desa=desa,
        date=day,
        kind="spending",
        account=Account.objects.get(year=year, code="5.1.1"),
        fund="cash",
        amount=100_000,
        description="Canang",
        receipt=receipt,
        today=day,
    ).entry
    grant = services.grant_create(
        actor="test",
        desa=desa,
        grantor=world.agencies["province"],
        year=year,
        name="BKK",
        account=Account.objects.get(year=year, code="4.1.1"),
        stages=[1_000_000, 2_000_000],
    )
    first = grant.stages.get(number=1)
    services.grant_stage_disburse(actor="test", stage=first)
    draft = services.entry_draft_save(
        actor=actor, desa=desa, kind="spending", description="Belum selesai"
    )
    officer = registry.officer_appoint(
        actor="test",
        desa=desa,
        data=registry.OfficerInput(position="penyarikan", name="Penyarikan Matrix", account="none"),
    )
    world.extra["vf"] = {
        "officer": officer,
        "draft": draft,
        "desa": desa,
        "income": income,
        "spending": spending,
        "receipt": receipt,
        "stage_planned": grant.stages.get(number=2),
        "stage_sent": first,
        "year": year,
    }
    _extend_tax_world(world)


def vf(world, key):
    return world.extra["vf"][key]


def _desa(w) -> int:
    return vf(w, "desa").pk


def _today(w) -> str:
    return timezone.localdate().isoformat()


def _entry_form(w):
    return {
        "date": _today(w),
        "amount": "25.000",
        "account": "5.1.1",
        "fund": "cash",
        "description": "Canang",
        "counterparty": "",
    }


def _api_transaction(w):
    return {
        "date": _today(w),
        "kind": "spending",
        "account": "5.1.1",
        "fund": "cash",
        "amount": 25_000,
        "description": "Canang",
    }


def _photo(w):
    out = io.BytesIO()
    Image.new("RGB", (30, 30), "white").save(out, "PNG")
    upload = io.BytesIO(out.getvalue())
    upload.name = "kuitansi.png"
    return {"photo": upload}


def _prev_month(w) -> str:
    today = timezone.localdate()
    first = today.replace(day=1)
    previous = (
        first.replace(year=first.year - 1, month=12)
        if first.month == 1
        else first.replace(month=first.month - 1)
    )
    return f"{previous.year}-{previous.month}"


API = "/api/v1/villages"

CASES = {
    "villagefinance:home": [Case("GET", lambda w: "/sikuat/", public)],
    "villagefinance:public": [Case("GET", lambda w: f"/sikuat/publik/{_desa(w)}/", public)],
    "villagefinance:village": [Case("GET", lambda w: f"/sikuat/desa/{_desa(w)}/", viewer)],
    "villagefinance:entry_new": [
        Case("GET", lambda w: f"/sikuat/desa/{_desa(w)}/catat/pengeluaran/", treasurer),
        Case(
            "POST",
            lambda w: f"/sikuat/desa/{_desa(w)}/catat/pengeluaran/",
            treasurer,
            data=_entry_form,
        ),
    ],
    "villagefinance:draft_delete": [
        Case(
            "POST",
            lambda w: f"/sikuat/desa/{_desa(w)}/draf/{vf(w, 'draft').pk}/hapus/",
            treasurer,
        )
    ],
    "villagefinance:entry": [
        Case("GET", lambda w: f"/sikuat/desa/{_desa(w)}/transaksi/{vf(w, 'spending').pk}/", viewer)
    ],
    "villagefinance:entry_reverse": [
        Case(
            "POST",
            lambda w: f"/sikuat/desa/{_desa(w)}/transaksi/{vf(w, 'spending').pk}/batal/",
            treasurer,
            data=lambda w: {"reason": "salah"},
        ),
    ],
    "villagefinance:entry_verify": [
        Case(
            "POST",
            lambda w: f"/sikuat/desa/{_desa(w)}/transaksi/{vf(w, 'spending').pk}/verifikasi/",
            staff,
        ),
    ],
    "villagefinance:cash_book": [
        Case("GET", lambda w: f"/sikuat/desa/{_desa(w)}/kas/", viewer),
        Case("GET", lambda w: f"/sikuat/desa/{_desa(w)}/kas/?format=csv", viewer),
    ],
    "villagefinance:reconciliation": [
        Case("GET", lambda w: f"/sikuat/desa/{_desa(w)}/rekonsiliasi/", viewer),
        Case(
            "POST",
            lambda w: f"/sikuat/desa/{_desa(w)}/rekonsiliasi/",
            treasurer,
            data=lambda w: {"date": _today(w), "statement_balance": "0", "note": ""},
        ),
    ],
    "villagefinance:realisation": [
        Case("GET", lambda w: f"/sikuat/desa/{_desa(w)}/realisasi/", viewer),
        Case("GET", lambda w: f"/sikuat/desa/{_desa(w)}/realisasi/?format=xlsx", viewer),
    ],
    "villagefinance:budget": [
        Case("GET", lambda w: f"/sikuat/desa/{_desa(w)}/anggaran/", viewer),
        Case(
            "POST",
            lambda w: f"/sikuat/desa/{_desa(w)}/anggaran/",
            officer,
            data=lambda w: {"account": "5.2.1", "amount": "1000000", "reason": ""},
        ),
    ],
    "villagefinance:months": [
        Case("GET", lambda w: f"/sikuat/desa/{_desa(w)}/laporan-bulanan/", viewer),
        Case(
            "POST",
            lambda w: f"/sikuat/desa/{_desa(w)}/laporan-bulanan/",
            treasurer,
            data=lambda w: {"action": "submit", "month": _prev_month(w)},
        ),
    ],
    "villagefinance:grants": [Case("GET", lambda w: f"/sikuat/desa/{_desa(w)}/hibah/", viewer)],
    "villagefinance:grant_stage_action": [
        Case(
            "POST",
            lambda w: f"/sikuat/desa/{_desa(w)}/hibah/tahap/{vf(w, 'stage_sent').pk}/terima/",
            treasurer,
            data=lambda w: {"date": _today(w)},
        ),
        Case(
            "POST",
            lambda w: f"/sikuat/desa/{_desa(w)}/hibah/tahap/{vf(w, 'stage_planned').pk}/kirim/",
            staff,
        ),
    ],
    "villagefinance:grant_new": [
        Case("GET", lambda w: f"/sikuat/desa/{_desa(w)}/hibah/baru/", staff),
        Case("POST", lambda w: f"/sikuat/desa/{_desa(w)}/hibah/baru/", staff, data=_grant_form),
    ],
    "villagefinance:grant_stage_report": [
        Case(
            "GET",
            lambda w: f"/sikuat/desa/{_desa(w)}/hibah/laporan/{vf(w, 'stage_sent').pk}/",
            viewer,
        ),
        Case(
            "GET",
            lambda w: f"/sikuat/desa/{_desa(w)}/hibah/laporan/{vf(w, 'stage_sent').pk}/?format=pdf",
            viewer,
        ),
    ],
    "villagefinance:chart": [
        Case("GET", lambda w: "/sikuat/bagan-akun/", logged_in),
        Case(
            "POST",
            lambda w: f"/sikuat/bagan-akun/?tahun={vf(w, 'year')}",
            province_staff,
            data=lambda w: {
                "action": "create",
                "group_code": "5.1",
                "code": "5.1.8",
                "name": "Pura baru",
            },
        ),
    ],
    "villagefinance:chart_account": [
        Case(
            "POST",
            lambda w: f"/sikuat/bagan-akun/{_unused_account(w)}/",
            province_staff,
            data=lambda w: {"action": "delete"},
        ),
    ],
    "villagefinance:receipt_file": [
        Case("GET", lambda w: f"/sikuat/kuitansi/{vf(w, 'receipt').pk}/", viewer)
    ],
    # API
    "api:villagefinance_village_list": [
        Case("GET", lambda w: f"{API}/", lambda a: a.role is not None)
    ],
    "api:villagefinance_village_detail": [Case("GET", lambda w: f"{API}/{_desa(w)}", viewer)],
    "api:villagefinance_transaction_create": [
        Case("POST", lambda w: f"{API}/{_desa(w)}/transactions", treasurer, data=_api_transaction)
    ],
    "api:villagefinance_transaction_list": [
        Case("GET", lambda w: f"{API}/{_desa(w)}/transactions", viewer)
    ],
    "api:villagefinance_transaction_reverse": [
        Case(
            "POST",
            lambda w: f"{API}/{_desa(w)}/transactions/{vf(w, 'spending').pk}/reverse",
            treasurer,
            json=True,
            data=lambda w: {"reason": "salah"},
        ),
    ],
    "api:villagefinance_transaction_verify": [
        Case(
            "POST", lambda w: f"{API}/{_desa(w)}/transactions/{vf(w, 'spending').pk}/verify", staff
        ),
    ],
    "api:villagefinance_receipt_upload": [
        Case("POST", lambda w: f"{API}/{_desa(w)}/receipts", treasurer, data=_photo)
    ],
    "api:villagefinance_cashbook": [Case("GET", lambda w: f"{API}/{_desa(w)}/cashbook", viewer)],
    "api:villagefinance_budget": [Case("GET", lambda w: f"{API}/{_desa(w)}/budget", viewer)],
    "api:villagefinance_budget_set": [
        Case(
            "POST",
            lambda w: f"{API}/{_desa(w)}/budget",
            officer,
            json=True,
            data=lambda w: {"account": "5.2.1", "year": vf(w, "year"), "amount": 1_000_000},
        ),
    ],
    "api:villagefinance_realisation": [
        Case("GET", lambda w: f"{API}/{_desa(w)}/reports/realisation", viewer)
    ],
    "api:villagefinance_grant_list": [Case("GET", lambda w: f"{API}/{_desa(w)}/grants", viewer)],
    "api:villagefinance_grant_create": [
        Case(
            "POST",
            lambda w: f"{API}/{_desa(w)}/grants",
            staff,
            json=True,
            data=lambda w: {
                "name": "Hibah",
                "year": vf(w, "year"),
                "account": "4.1.2",
                "grantor_agency": w.agencies["own"].pk,
                "stages": [1000],
            },
        ),
    ],
    "api:villagefinance_grant_stage_disburse": [
        Case(
            "POST",
            lambda w: f"{API}/{_desa(w)}/grants/stages/{vf(w, 'stage_planned').pk}/disburse",
            staff,
        ),
    ],
    "api:villagefinance_grant_stage_receive": [
        Case(
            "POST",
            lambda w: f"{API}/{_desa(w)}/grants/stages/{vf(w, 'stage_sent').pk}/receive",
            treasurer,
            json=True,
            data=lambda w: {"date": _today(w)},
        ),
    ],
    "api:villagefinance_grant_stage_report": [
        Case(
            "POST",
            lambda w: f"{API}/{_desa(w)}/grants/stages/{vf(w, 'stage_sent').pk}/report",
            treasurer,
            json=True,
            data=lambda w: {"note": "dipakai"},
        ),
    ],
    "api:villagefinance_chart": [Case("GET", lambda w: f"{API}/chart", logged_in)],
    "api:villagefinance_chart_load": [
        Case("POST", lambda w: f"{API}/chart/years/{vf(w, 'year') + 1}", province_staff)
    ],
    "api:villagefinance_account_create": [
        Case(
            "POST",
            lambda w: f"{API}/chart/accounts",
            province_staff,
            json=True,
            data=lambda w: {
                "year": vf(w, "year"),
                "group_code": "5.1",
                "code": "5.1.8",
                "name": "Pura baru",
            },
        ),
    ],
    "api:villagefinance_account_update": [
        Case(
            "PATCH",
            lambda w: f"{API}/chart/accounts/{_unused_account(w)}",
            province_staff,
            json=True,
            data=lambda w: {"name": "Lain-lain"},
        ),
    ],
    "api:villagefinance_account_delete": [
        Case("DELETE", lambda w: f"{API}/chart/accounts/{_unused_account(w)}", province_staff),
    ],
    "api:villagefinance_public_summary": [
        Case("GET", lambda w: f"{API}/{_desa(w)}/summary", public)
    ],
    "api:villagefinance_open_realisation": [
        Case("GET", lambda w: f"{API}/open/realisation", public)
    ],
}


# --- registry of desa adat and officers; drafts in the API ----------------------------------


def any_staff(actor: Actor) -> bool:
    """The registry list: staff of any region (each sees their own villages)."""
    return actor.role in (ADMIN, STAFF)


def _registry_form(w):
    village = Region.objects.filter(level="village", code__startswith="51.03.").first()
    return {
        "action": "save",
        "name": "Desa Adat Matrix Baru",
        "regency": "51.03",
        "districts": [village.parent.code],
        "villages": [village.code],
    }


def _registry_json(w):
    data = _registry_form(w)
    return {k: data[k] for k in ("name", "regency", "districts", "villages")}


def _registry(w, suffix=""):
    return f"/sikuat/registri/{_desa(w)}/{suffix}"


def _draft_api(w, suffix=""):
    return f"{API}/{_desa(w)}/drafts{suffix}"


CASES.update(
    {
        "villagefinance:registry": [Case("GET", lambda w: "/sikuat/registri/", any_staff)],
        "villagefinance:registry_new": [
            Case("GET", lambda w: "/sikuat/registri/baru/", any_staff),
            Case("POST", lambda w: "/sikuat/registri/baru/", staff, data=_registry_form),
        ],
        "villagefinance:registry_detail": [Case("GET", lambda w: _registry(w), staff)],
        "villagefinance:registry_edit": [
            Case("GET", lambda w: _registry(w, "ubah/"), staff),
            Case("POST", lambda w: _registry(w, "ubah/"), staff, data=_registry_form),
        ],
        "villagefinance:registry_status": [
            Case("POST", lambda w: _registry(w, "status/"), staff, data=lambda w: {"active": "0"})
        ],
        "villagefinance:officer_new": [
            Case("GET", lambda w: _registry(w, "pengurus/baru/"), staff),
            Case(
                "POST",
                lambda w: _registry(w, "pengurus/baru/"),
                staff,
                data=lambda w: {"position": "bendesa", "account": "none", "name": "I Made"},
            ),
        ],
        "villagefinance:officer_end": [
            Case(
                "POST",
                lambda w: _registry(w, f"pengurus/{vf(w, 'officer').pk}/akhiri/"),
                staff,
            )
        ],
        "api:villagefinance_registry_list": [Case("GET", lambda w: f"{API}/registry/", any_staff)],
        "api:villagefinance_registry_create": [
            Case("POST", lambda w: f"{API}/registry/", staff, json=True, data=_registry_json)
        ],
        "api:villagefinance_registry_detail": [
            Case("GET", lambda w: f"{API}/registry/{_desa(w)}", staff)
        ],
        "api:villagefinance_registry_update": [
            Case(
                "PATCH",
                lambda w: f"{API}/registry/{_desa(w)}",
                staff,
                json=True,
                data=lambda w: {"is_sample": True},
            )
        ],
        "api:villagefinance_officer_appoint": [
            Case(
                "POST",
                lambda w: f"{API}/registry/{_desa(w)}/officers",
                staff,
                json=True,
                data=lambda w: {"position": "bendesa", "account": "none", "name": "I Made"},
            )
        ],
        "api:villagefinance_officer_end": [
            Case(
                "POST",
                lambda w: f"{API}/registry/{_desa(w)}/officers/{vf(w, 'officer').pk}/end",
                staff,
                json=True,
                data=lambda w: {},
            )
        ],
        "api:villagefinance_draft_list": [Case("GET", lambda w: _draft_api(w), viewer)],
        "api:villagefinance_draft_detail": [
            Case("GET", lambda w: _draft_api(w, f"/{vf(w, 'draft').pk}"), viewer)
        ],
        "api:villagefinance_draft_create": [
            Case(
                "POST",
                lambda w: _draft_api(w),
                treasurer,
                data=lambda w: {"kind": "spending", "description": "Canang"},
            )
        ],
        "api:villagefinance_draft_update": [
            Case(
                "POST",
                lambda w: _draft_api(w, f"/{vf(w, 'draft').pk}"),
                treasurer,
                data=lambda w: {"description": "Canang"},
            )
        ],
        "api:villagefinance_draft_delete": [
            Case("DELETE", lambda w: _draft_api(w, f"/{vf(w, 'draft').pk}"), treasurer)
        ],
        "api:villagefinance_draft_submit": [
            Case(
                "POST",
                lambda w: _draft_api(w, f"/{vf(w, 'draft').pk}/submit"),
                treasurer,
                data=lambda w: {"amount": "1000"},
            )
        ],
    }
)


# --- tax book and line-by-line bank reconciliation ------------------------------------------


def _extend_tax_world(world):
    """A spending with PPh 23 withheld (so a deposit is owed), bank money, and one
    uploaded statement with a matched and an unmatched line."""
    from onedata.villagefinance import statement_services, tax_services

    desa, year = vf(world, "desa"), vf(world, "year")
    actor = world.users[Actor(TREASURER, "own")]
    day = date(year, 1, 1)
    services.entry_record(
        actor=actor,
        desa=desa,
        date=day,
        kind="income",
        account=Account.objects.get(year=year, code="4.1.1"),
        fund="bank",
        amount=3_000_000,
        description="BKK",
        today=day,
    )
    pph23 = next(r for r in tax_services.rates_for(year) if r.code == "pph23")
    taxed = services.entry_record(
        actor=actor,
        desa=desa,
        date=day,
        kind="spending",
        account=Account.objects.get(year=year, code="5.3.3"),
        fund="bank",
        amount=1_000_000,
        description="Jasa tukang",
        today=day,
        taxes=[tax_services.withholding_for(pph23, 1_000_000)],
    ).entry
    statement = statement_services.statement_upload(
        actor=actor,
        desa=desa,
        content=(
            "Tanggal;Keterangan;Debit;Kredit;Saldo\n"
            f"01/01/{year};BKK;;3.000.000;3.000.000\n"
            f"02/01/{year};Bunga;;1.234;3.001.234\n"
        ).encode(),
        file_name="rk.csv",
    )
    world.extra["vf"].update(
        {
            "taxed": taxed,
            "line_matched": statement.lines.get(amount=3_000_000),
            "line_open": statement.lines.get(amount=1_234),
        }
    )


def _statement_upload(w):
    upload = io.BytesIO(
        f"Tanggal;Keterangan;Debit;Kredit;Saldo\n05/01/{vf(w, 'year')};Biaya;5.000;;1\n".encode()
    )
    upload.name = "rk2.csv"
    return {"file": upload}


def _deposit_form(w):
    return {
        "tax": "pph23",
        "amount": "20.000",
        "date": _today(w),
        "fund": "bank",
        "billing_code": "",
        "ntpn": "",
    }


def _line(w, key: str) -> int:
    return vf(w, key).pk


CASES.update(
    {
        "villagefinance:tax_book": [
            Case("GET", lambda w: f"/sikuat/desa/{_desa(w)}/pajak/", viewer),
            Case("GET", lambda w: f"/sikuat/desa/{_desa(w)}/pajak/?format=xlsx", viewer),
        ],
        "villagefinance:tax_deposit_new": [
            Case("GET", lambda w: f"/sikuat/desa/{_desa(w)}/pajak/setor/", treasurer),
            Case(
                "POST",
                lambda w: f"/sikuat/desa/{_desa(w)}/pajak/setor/",
                treasurer,
                data=_deposit_form,
            ),
        ],
        "villagefinance:tax_rates": [
            Case("GET", lambda w: "/sikuat/tarif-pajak/", logged_in),
            Case(
                "POST",
                lambda w: "/sikuat/tarif-pajak/",
                province_staff,
                data=lambda w: {"code": "pph23", "rate": "2", "year_from": "2099"},
            ),
        ],
        "villagefinance:statements": [
            Case("GET", lambda w: f"/sikuat/desa/{_desa(w)}/rekening-koran/", viewer),
            Case(
                "POST",
                lambda w: f"/sikuat/desa/{_desa(w)}/rekening-koran/",
                treasurer,
                data=_statement_upload,
            ),
        ],
        "villagefinance:statement_action": [
            Case(
                "POST",
                lambda w: f"/sikuat/desa/{_desa(w)}/rekening-koran/aksi/",
                treasurer,
                data=lambda w: {"action": "auto"},
            ),
        ],
        "villagefinance:statement_template": [
            Case("GET", lambda w: f"/sikuat/desa/{_desa(w)}/rekening-koran/templat.csv", viewer)
        ],
        "api:villagefinance_tax_rates": [Case("GET", lambda w: f"{API}/tax-rates", logged_in)],
        "api:villagefinance_tax_book": [
            Case("GET", lambda w: f"{API}/{_desa(w)}/reports/tax", viewer)
        ],
        "api:villagefinance_tax_deposit_list": [
            Case("GET", lambda w: f"{API}/{_desa(w)}/tax-deposits", viewer)
        ],
        "api:villagefinance_tax_deposit_create": [
            Case(
                "POST",
                lambda w: f"{API}/{_desa(w)}/tax-deposits",
                treasurer,
                data=lambda w: {"tax": "pph23", "date": _today(w), "amount": 20_000},
                json=True,
            )
        ],
        "api:villagefinance_spending_with_tax": [
            Case(
                "POST",
                lambda w: f"{API}/{_desa(w)}/spending-with-tax",
                treasurer,
                data=lambda w: {
                    "date": _today(w),
                    "account": "5.3.3",
                    "amount": 100_000,
                    "fund": "bank",
                    "description": "Jasa",
                    "taxes": [{"tax": "pph23"}],
                },
                json=True,
            )
        ],
        "api:villagefinance_statement_upload": [
            Case(
                "POST", lambda w: f"{API}/{_desa(w)}/statements", treasurer, data=_statement_upload
            )
        ],
        "api:villagefinance_statement_lines": [
            Case("GET", lambda w: f"{API}/{_desa(w)}/statements/lines", viewer)
        ],
        "api:villagefinance_statement_auto_match": [
            Case("POST", lambda w: f"{API}/{_desa(w)}/statements/match", treasurer)
        ],
        "api:villagefinance_statement_match": [
            Case(
                "PUT",
                lambda w: f"{API}/{_desa(w)}/statements/lines/{_line(w, 'line_open')}/match",
                treasurer,
                data=lambda w: {"entry_id": vf(w, "taxed").pk},
                json=True,
            )
        ],
        "api:villagefinance_statement_unmatch": [
            Case(
                "DELETE",
                lambda w: f"{API}/{_desa(w)}/statements/lines/{_line(w, 'line_matched')}/match",
                treasurer,
            )
        ],
        "api:villagefinance_statement_month": [
            Case("GET", lambda w: f"{API}/{_desa(w)}/statements/months/{vf(w, 'year')}/1", viewer)
        ],
        "api:villagefinance_statement_month_complete": [
            Case(
                "POST",
                lambda w: f"{API}/{_desa(w)}/statements/months/{vf(w, 'year')}/1/complete",
                treasurer,
                data=lambda w: {},
                json=True,
            )
        ],
    }
)
