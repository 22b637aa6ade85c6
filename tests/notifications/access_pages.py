"""What the application owners' screens expect for every role (see tests/access/matrix.py).

The target is the world's "Matrix app" of the own agency (Pemkab Badung, 51.03): agency
admins and application developers of that agency, of its regency or of the province manage
it; the same roles elsewhere may open the list (to register their own) but not this app.
"""

from __future__ import annotations

from onedata.core.roles import Role
from onedata.notifications import services
from onedata.notifications.models import ApplicationKey, Suppression, Template, WebhookEndpoint
from tests.access.matrix import Actor, Case, in_scope, platform_admin

MANAGES = in_scope(Role.AGENCY_ADMIN, Role.APP_DEVELOPER)
KEY_NAME = "matrix key"
TEMPLATE_NAME = "matrix-template"


def app_manager_anywhere(actor: Actor) -> bool:
    """Holds a role that may register applications for its own agency."""
    return platform_admin(actor) or actor.role in (Role.AGENCY_ADMIN, Role.APP_DEVELOPER)


def _app(world):
    return world.extra["inapp_message"].application


def _base(world) -> str:
    return f"/notifikasi/aplikasi/{_app(world).slug}/"


def _key(world) -> ApplicationKey:
    """The app's key, made on first use. The matrix rolls each request back, so the key is
    looked up in the database every time rather than kept in ``world.extra``."""
    if "app_key" in world.extra:
        return world.extra["app_key"]
    key = ApplicationKey.objects.filter(application=_app(world), name=KEY_NAME).first()
    if key is None:
        key = services.application_key_create(
            actor="test", application=_app(world), name=KEY_NAME
        ).key
    return key


def _template(world) -> str:
    application = _app(world)
    if not Template.objects.filter(application=application, name=TEMPLATE_NAME).exists():
        services.template_save(
            actor="test",
            application=application,
            name=TEMPLATE_NAME,
            language="id",
            subject="Halo {{ nama }}",
            text="Halo {{ nama }}",
        )
    return TEMPLATE_NAME


def _message(world) -> int:
    return world.extra["inapp_message"].pk


def _no_foreign_app(world, actor, response) -> str | None:
    """The list shows only what the actor manages."""
    if not MANAGES(actor) and "Matrix app" in response.content.decode():
        return "lists an application outside the actor's scope"
    return None


PAGE_CASES = {
    "notifications:app_list": [
        Case(
            "GET",
            lambda w: "/notifikasi/aplikasi/",
            app_manager_anywhere,
            leak_check=_no_foreign_app,
        ),
        # Registering one for the own agency: only those whose scope covers it.
        Case(
            "POST",
            lambda w: "/notifikasi/aplikasi/",
            MANAGES,
            data=lambda w: {"agency": w.agencies["own"].pk, "name": "Aplikasi matriks"},
        ),
    ],
    "notifications:app_detail": [Case("GET", _base, MANAGES)],
    "notifications:app_key_create": [
        Case("POST", lambda w: f"{_base(w)}kunci/", MANAGES, data=lambda w: {"name": "k"})
    ],
    "notifications:app_key_revoke": [
        Case("POST", lambda w: f"{_base(w)}kunci/{_key(w).pk}/cabut/", MANAGES)
    ],
    "notifications:app_templates": [
        Case("GET", lambda w: f"{_base(w)}templat/", MANAGES),
        Case(
            "POST",
            lambda w: f"{_base(w)}templat/",
            MANAGES,
            data=lambda w: {
                "action": "save",
                "name": "pengingat",
                "language": "id",
                "subject": "s",
                "text": "t",
            },
        ),
    ],
    "notifications:app_template": [
        Case("GET", lambda w: f"{_base(w)}templat/{_template(w)}/", MANAGES)
    ],
    "notifications:app_messages": [Case("GET", lambda w: f"{_base(w)}pesan/", MANAGES)],
    "notifications:app_message": [
        Case("GET", lambda w: f"{_base(w)}pesan/{_message(w)}/", MANAGES)
    ],
    "notifications:app_test_send": [
        Case("GET", lambda w: f"{_base(w)}uji/", MANAGES),
        Case(
            "POST",
            lambda w: f"{_base(w)}uji/",
            MANAGES,
            data=lambda w: {"to": "luh@example.id", "subject": "s", "text": "t"},
        ),
    ],
    "notifications:app_senders": [
        Case("GET", lambda w: f"{_base(w)}pengirim/", MANAGES),
        Case(
            "POST",
            lambda w: f"{_base(w)}pengirim/",
            MANAGES,
            data=lambda w: {"email": "layanan@badungkab.go.id"},
        ),
    ],
    "notifications:app_webhooks": [
        Case("GET", lambda w: f"{_base(w)}webhook/", MANAGES),
        Case(
            "POST",
            lambda w: f"{_base(w)}webhook/",
            MANAGES,
            data=lambda w: {"url": "https://example.id/hook"},
        ),
    ],
    "notifications:app_webhook_delete": [
        Case("POST", lambda w: f"{_base(w)}webhook/{_webhook(w)}/hapus/", MANAGES)
    ],
    "notifications:suppressions": [
        Case("GET", lambda w: "/notifikasi/daftar-tolak/", platform_admin),
        Case(
            "POST",
            lambda w: "/notifikasi/daftar-tolak/",
            platform_admin,
            data=lambda w: {"email": "stop@example.id"},
        ),
    ],
    "notifications:suppression_remove": [
        Case("POST", lambda w: f"/notifikasi/daftar-tolak/{_suppression(w)}/hapus/", platform_admin)
    ],
}


def _webhook(world) -> int:
    endpoint = WebhookEndpoint.objects.filter(application=_app(world)).first()
    if endpoint is None:
        endpoint = services.webhook_create(
            actor="test", application=_app(world), url="https://example.id/matrix"
        ).endpoint
    return endpoint.pk


def _suppression(world) -> int:
    return Suppression.objects.get(email="x@example.id").pk
