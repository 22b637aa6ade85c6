"""What core expects for every role, in and out of scope (see tests/access/matrix.py)."""

from onedata.core.roles import Role
from tests.access.matrix import Case, in_scope, logged_in, platform_admin, public


def members_of_other_agencies(world, actor, response):
    slugs = {item["agency"] for item in response.json()["items"]}
    if slugs - {world.agencies["own"].slug}:
        return f"members of other agencies listed: {slugs}"
    return None


def _target_token(world):
    return world.target_token.pk


CASES = {
    # Pages
    "core:home": [Case("GET", lambda w: "/", public)],
    "core:login": [
        Case("GET", lambda w: "/masuk/", public),
        Case("POST", lambda w: "/masuk/", public, data=lambda w: {}),
    ],
    "core:logout": [Case("POST", lambda w: "/keluar/", public)],
    "core:register": [
        Case("GET", lambda w: "/daftar/", public),
        Case("POST", lambda w: "/daftar/", public, data=lambda w: {}),
    ],
    "core:account": [
        Case("GET", lambda w: "/akun/", logged_in),
        Case(
            "POST",
            lambda w: "/akun/",
            logged_in,
            data=lambda w: {"form": "token", "token-name": "", "token-days": 1},
        ),
    ],
    "core:token_revoke": [
        Case("POST", lambda w: f"/akun/token/{_target_token(w)}/cabut/", platform_admin)
    ],
    "core:verify_email": [Case("GET", lambda w: "/akun/verifikasi/bogus/", public)],
    "core:audit_log": [Case("GET", lambda w: "/audit/", platform_admin)],
    "core:password_reset": [
        Case("GET", lambda w: "/lupa-sandi/", public),
        Case(
            "POST",
            lambda w: "/lupa-sandi/",
            public,
            data=lambda w: {"email": "nobody@example.test"},
        ),
    ],
    "core:password_reset_done": [Case("GET", lambda w: "/lupa-sandi/terkirim/", public)],
    "core:password_reset_confirm": [Case("GET", lambda w: "/lupa-sandi/MQ/bogus-token/", public)],
    "core:password_reset_complete": [Case("GET", lambda w: "/lupa-sandi/selesai/", public)],
    "set_language": [
        Case(
            "POST",
            lambda w: "/i18n/setlang/",
            public,
            data=lambda w: {"language": "en", "next": "/"},
        )
    ],
    "healthz": [Case("GET", lambda w: "/healthz", public)],
    "readyz": [Case("GET", lambda w: "/readyz", public)],
    "metrics": [Case("GET", lambda w: "/metrics", platform_admin)],
    # API
    "api:openapi-json": [Case("GET", lambda w: "/api/v1/openapi.json", public)],
    "api:openapi-view": [Case("GET", lambda w: "/api/v1/docs", public)],
    "api_index": [Case("GET", lambda w: "/api/v1/", public)],
    # Ninja's own root, shadowed by api_index above (same URL).
    "api:api-root": [Case("GET", lambda w: "/api/v1/", public)],
    "api:ping": [Case("GET", lambda w: "/api/v1/core/ping", public)],
    "api:me": [Case("GET", lambda w: "/api/v1/core/me", logged_in)],
    "api:phone_code_send": [Case("POST", lambda w: "/api/v1/core/me/phone/code", logged_in)],
    "api:phone_verify": [
        Case(
            "POST",
            lambda w: "/api/v1/core/me/phone/verify",
            logged_in,
            json=True,
            data=lambda w: {"code": "123456"},
        )
    ],
    "api:region_list": [Case("GET", lambda w: "/api/v1/core/regions", public)],
    "api:region_detail": [Case("GET", lambda w: "/api/v1/core/regions/51.03", public)],
    "api:agency_list": [Case("GET", lambda w: "/api/v1/core/agencies", public)],
    "api:agency_member_list": [
        Case(
            "GET",
            lambda w: f"/api/v1/core/agencies/{w.agencies['own'].slug}/members",
            in_scope(Role.AGENCY_ADMIN),
            leak_check=members_of_other_agencies,
        )
    ],
    "api:membership_grant": [
        Case(
            "POST",
            lambda w: f"/api/v1/core/agencies/{w.agencies['own'].slug}/members",
            in_scope(Role.AGENCY_ADMIN),
            json=True,
            data=lambda w: {"username": w.target_user.username, "role": Role.DATA_PRODUCER},
        )
    ],
    "api:membership_revoke": [
        Case(
            "DELETE",
            lambda w: f"/api/v1/core/memberships/{w.target_membership.pk}",
            in_scope(Role.AGENCY_ADMIN),
        )
    ],
    "api:token_list": [Case("GET", lambda w: "/api/v1/core/tokens", logged_in)],
    "api:token_create": [
        Case(
            "POST",
            lambda w: "/api/v1/core/tokens",
            logged_in,
            json=True,
            data=lambda w: {"name": "matrix"},
        )
    ],
    "api:token_revoke": [
        Case("DELETE", lambda w: f"/api/v1/core/tokens/{_target_token(w)}", platform_admin)
    ],
    "api:audit_event_list": [Case("GET", lambda w: "/api/v1/core/audit-events", platform_admin)],
}
