"""What the fact check module expects for every role (see tests/access/matrix.py).

Public: the search page, reports, checked claims, articles, posters, feeds, the public API.
The desk list and the weekly report: every fact-checker (each sees its own reach).
A claim on the desk and its writes: fact-checkers whose reach covers a regency the claim
was reported from (the open claim was reported from Badung, the target's regency: its
own and sibling agencies and the province; not Gianyar), and platform admins.
"""

from onedata.core.roles import Role
from tests.access.matrix import Case, in_scope, public


def fact_checker(actor) -> bool:
    return actor.role in (Role.FACT_CHECKER, Role.PLATFORM_ADMIN)


def extend_world(world):
    from onedata.core.models import User
    from onedata.factcheck import demo, services
    from onedata.factcheck.models import Report

    checker = User.objects.get(username=f"{Role.FACT_CHECKER}.province")
    claims = demo.seed_claims(checker, claims=demo.CLAIMS[:2])
    submitted = services.report_submit(
        actor="test",
        text="Air rebusan sirih menyembuhkan omicron",
        channel="whatsapp",
        regency="51.03",
    )
    Report.objects.filter(pk=submitted.report.pk).update(screenshot="factcheck/none.png")
    article = services.article_save(
        actor=checker,
        agency=world.agencies["province"],
        topic=claims[0].topic,
        title="Artikel matriks",
        summary="Ringkasan",
        body="Isi",
    )
    world.extra.update(
        fc_published=claims[0],
        fc_open=submitted.claim,
        fc_report=submitted.report,
        fc_article=article,
    )


desk_in_scope = in_scope(Role.FACT_CHECKER)


def _pub(w):
    return w.extra["fc_published"].pk


def _open(w):
    return w.extra["fc_open"].pk


def _slug(w):
    return w.extra["fc_article"].slug


REVIEW = {
    "claim_text": "Air rebusan sirih menyembuhkan omicron",
    "verdict": "SALAH",
    "summary": "Tidak terbukti.",
    "explanation": "Belum ada bukti.",
    "sources": "WHO | https://www.who.int/",
}
API_REVIEW = {"verdict": "SALAH", "summary": "Tidak terbukti.", "explanation": "Belum ada bukti."}

CASES = {
    "factcheck:home": [
        Case("GET", lambda w: "/cek-fakta/", public),
        Case("GET", lambda w: "/cek-fakta/?q=vaksin+microchip", public),
    ],
    "factcheck:report": [
        Case("GET", lambda w: "/cek-fakta/lapor/", public),
        Case("POST", lambda w: "/cek-fakta/lapor/", public, data=lambda w: {"text": ""}),
    ],
    "factcheck:claims": [Case("GET", lambda w: "/cek-fakta/klaim/", public)],
    "factcheck:claim": [Case("GET", lambda w: f"/cek-fakta/klaim/{_pub(w)}/", public)],
    "factcheck:claim_poster": [
        Case("GET", lambda w: f"/cek-fakta/klaim/{_pub(w)}/poster/", public)
    ],
    "factcheck:articles": [Case("GET", lambda w: "/cek-fakta/artikel/", public)],
    "factcheck:article": [Case("GET", lambda w: f"/cek-fakta/artikel/{_slug(w)}/", public)],
    "factcheck:article_poster": [
        Case("GET", lambda w: f"/cek-fakta/artikel/{_slug(w)}/poster/", public)
    ],
    "factcheck:feed_rss": [Case("GET", lambda w: "/cek-fakta/feed/rss/", public)],
    "factcheck:feed_atom": [Case("GET", lambda w: "/cek-fakta/feed/atom/", public)],
    "factcheck:feed_claimreview": [
        Case("GET", lambda w: "/cek-fakta/feed/claimreview.json", public)
    ],
    "factcheck:desk": [Case("GET", lambda w: "/cek-fakta/meja/", fact_checker)],
    "factcheck:desk_claim": [
        Case("GET", lambda w: f"/cek-fakta/meja/klaim/{_open(w)}/", desk_in_scope)
    ],
    "factcheck:desk_assign": [
        Case(
            "POST",
            lambda w: f"/cek-fakta/meja/klaim/{_open(w)}/tugaskan/",
            desk_in_scope,
            data=lambda w: {"assignee": ""},
        )
    ],
    "factcheck:desk_note": [
        Case(
            "POST",
            lambda w: f"/cek-fakta/meja/klaim/{_open(w)}/catatan/",
            desk_in_scope,
            data=lambda w: {"text": "cek sumber", "evidence_url": "https://example.id/"},
        )
    ],
    "factcheck:desk_review": [
        Case(
            "POST",
            lambda w: f"/cek-fakta/meja/klaim/{_open(w)}/ulasan/",
            desk_in_scope,
            data=lambda w: REVIEW,
        )
    ],
    "factcheck:desk_merge": [
        Case(
            "POST",
            lambda w: f"/cek-fakta/meja/klaim/{_open(w)}/gabung/",
            desk_in_scope,
            data=lambda w: {"duplicate": ""},
        )
    ],
    "factcheck:desk_dismiss": [
        Case("POST", lambda w: f"/cek-fakta/meja/klaim/{_open(w)}/sisihkan/", desk_in_scope)
    ],
    # The stored file does not exist: 404 for the desk, 403/login for everyone else.
    "factcheck:desk_screenshot": [
        Case(
            "GET",
            lambda w: f"/cek-fakta/meja/laporan/{w.extra['fc_report'].pk}/tangkapan-layar/",
            lambda actor: False,
        )
    ],
    "factcheck:article_create": [
        Case("GET", lambda w: "/cek-fakta/meja/artikel/baru/", fact_checker)
    ],
    "factcheck:article_edit": [
        Case("GET", lambda w: f"/cek-fakta/meja/artikel/{_slug(w)}/ubah/", fact_checker)
    ],
    "factcheck:weekly": [Case("GET", lambda w: "/cek-fakta/laporan-mingguan/", fact_checker)],
    "factcheck:weekly_csv": [
        Case("GET", lambda w: "/cek-fakta/laporan-mingguan.csv", fact_checker)
    ],
    "api:factcheck_search": [
        Case("GET", lambda w: "/api/v1/factcheck/search?q=vaksin+microchip", public)
    ],
    "api:factcheck_claim_list": [Case("GET", lambda w: "/api/v1/factcheck/claims", public)],
    "api:factcheck_claim_detail": [
        Case("GET", lambda w: f"/api/v1/factcheck/claims/{_pub(w)}", public)
    ],
    "api:factcheck_article_list": [Case("GET", lambda w: "/api/v1/factcheck/articles", public)],
    "api:factcheck_article_detail": [
        Case("GET", lambda w: f"/api/v1/factcheck/articles/{_slug(w)}", public)
    ],
    "api:factcheck_report_create": [
        Case(
            "POST",
            lambda w: "/api/v1/factcheck/reports",
            public,
            json=True,
            data=lambda w: {"text": "", "channel": "whatsapp"},
        )
    ],
    "api:factcheck_desk_claims": [
        Case("GET", lambda w: "/api/v1/factcheck/desk/claims", fact_checker)
    ],
    "api:factcheck_desk_assign": [
        Case(
            "POST",
            lambda w: f"/api/v1/factcheck/desk/claims/{_open(w)}/assign",
            desk_in_scope,
            json=True,
            data=lambda w: {"assignee": None},
        )
    ],
    "api:factcheck_desk_review": [
        Case(
            "POST",
            lambda w: f"/api/v1/factcheck/desk/claims/{_open(w)}/review",
            desk_in_scope,
            json=True,
            data=lambda w: API_REVIEW,
        )
    ],
}
