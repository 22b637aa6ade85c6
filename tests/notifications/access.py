"""What the notification service expects for every role (see tests/access/matrix.py).

Sending, templates and the per-address suppression check take an application's key,
never a person's session: every role is refused there. Key scoping (one application
cannot see another's messages) is tested in test_api.py.
"""

from onedata.notifications import services
from tests.access.matrix import Case, logged_in, nobody, platform_admin, public


def extend_world(world):
    application = services.application_create(
        actor="test", agency=world.agencies["own"], name="Matrix app"
    )
    message, _ = services.message_send(
        application=application,
        to=[world.target_user.username],
        channel="inapp",
        subject="s",
        text="t",
    )
    world.extra["inapp_message"] = message
    services.suppression_add(actor="test", email="x@example.id")


def _message(world):
    return world.extra["inapp_message"].pk


BODY = {"to": ["luh@example.id"], "subject": "s", "text": "t"}

CASES = {
    "api:message_send": [
        Case("POST", lambda w: "/api/v1/notify/messages", nobody, json=True, data=lambda w: BODY)
    ],
    "api:message_send_bulk": [
        Case(
            "POST",
            lambda w: "/api/v1/notify/messages/bulk",
            nobody,
            json=True,
            data=lambda w: {"messages": [BODY]},
        )
    ],
    "api:message_list": [Case("GET", lambda w: "/api/v1/notify/messages", nobody)],
    "api:message_detail": [Case("GET", lambda w: f"/api/v1/notify/messages/{_message(w)}", nobody)],
    "api:webhook_list": [Case("GET", lambda w: "/api/v1/notify/webhooks", nobody)],
    "api:webhook_create": [
        Case(
            "POST",
            lambda w: "/api/v1/notify/webhooks",
            nobody,
            json=True,
            data=lambda w: {"url": "https://example.id/hook"},
        )
    ],
    "api:webhook_delete": [Case("DELETE", lambda w: "/api/v1/notify/webhooks/1", nobody)],
    "api:template_list": [Case("GET", lambda w: "/api/v1/notify/templates", nobody)],
    "api:template_save": [
        Case(
            "POST",
            lambda w: "/api/v1/notify/templates",
            nobody,
            json=True,
            data=lambda w: {"name": "t", "subject": "s", "text": "t"},
        )
    ],
    "api:template_versions": [Case("GET", lambda w: "/api/v1/notify/templates/t", nobody)],
    "api:suppression_add": [
        Case(
            "POST",
            lambda w: "/api/v1/notify/suppressions",
            nobody,
            json=True,
            data=lambda w: {"email": "x@example.id"},
        )
    ],
    "api:suppression_detail": [
        Case("GET", lambda w: "/api/v1/notify/suppressions/x@example.id", nobody)
    ],
    "api:suppression_list": [Case("GET", lambda w: "/api/v1/notify/suppressions", platform_admin)],
    "api:suppression_remove": [
        Case("DELETE", lambda w: "/api/v1/notify/suppressions/x@example.id", platform_admin)
    ],
    "api:inbox_list": [Case("GET", lambda w: "/api/v1/notify/inbox", logged_in)],
    "api:inbox_unread_count": [
        Case("GET", lambda w: "/api/v1/notify/inbox/unread-count", logged_in)
    ],
    # Only the recipient (the world's target user, who is no actor) may mark it read.
    "api:inbox_mark_read": [
        Case("POST", lambda w: f"/api/v1/notify/inbox/{_message(w)}/read", nobody)
    ],
}

CASES.update(
    {
        "notifications:sender_confirm": [
            Case("GET", lambda w: "/notifikasi/pengirim/konfirmasi/bogus/", public)
        ],
        "api:sender_list": [Case("GET", lambda w: "/api/v1/notify/senders", nobody)],
        "api:sender_request": [
            Case(
                "POST",
                lambda w: "/api/v1/notify/senders",
                nobody,
                json=True,
                data=lambda w: {"email": "info@example.id"},
            )
        ],
        "notifications:inbox": [Case("GET", lambda w: "/notifikasi/", logged_in)],
        "notifications:inbox_read": [
            Case("POST", lambda w: f"/notifikasi/{_message(w)}/dibaca/", nobody)
        ],
        "notifications:outbox": [
            Case("GET", lambda w: "/notifikasi/kotak-keluar/", platform_admin)
        ],
        "notifications:outbox_detail": [
            Case(
                "GET", lambda w: "/notifikasi/kotak-keluar/20261204T000000-0123abcd.eml/", nobody
            )  # no such mail: 404 for everyone, 403 for all but platform admins
        ],
    }
)

# The application owners' screens declare theirs in access_pages.py.
try:
    from tests.notifications.access_pages import PAGE_CASES
except ModuleNotFoundError:
    PAGE_CASES = {}
CASES.update(PAGE_CASES)
