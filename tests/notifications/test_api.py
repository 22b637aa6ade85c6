"""The sending API: idempotency, bulk, validation naming the field, quotas, templates."""

import base64
import io

from django.core.cache import cache
from PIL import Image

from onedata.core import services as core_services
from onedata.notifications import services
from onedata.notifications.models import Message, Template, VerifiedSender
from tests.conftest import make_user


def post(client, key, path, body, **headers):
    headers.setdefault("HTTP_ACCEPT_LANGUAGE", "en")  # assertions read English messages
    return client.post(
        f"/api/v1/notify{path}",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        **headers,
    )


def get(client, key, path, **params):
    return client.get(f"/api/v1/notify{path}", params, HTTP_AUTHORIZATION=f"Bearer {key}")


MESSAGE = {"to": ["luh@example.id"], "subject": "Halo", "text": "Isi pesan"}


def test_send_answers_202_queued(client, app_key):
    answer = post(client, app_key, "/messages", MESSAGE)
    assert answer.status_code == 202
    assert answer.json()["status"] == "queued"
    assert Message.objects.get(pk=answer.json()["id"]).to == ["luh@example.id"]


def test_same_idempotency_key_and_body_answers_the_same_message(client, app_key):
    first = post(client, app_key, "/messages", MESSAGE, HTTP_IDEMPOTENCY_KEY="booking-42")
    again = post(client, app_key, "/messages", MESSAGE, HTTP_IDEMPOTENCY_KEY="booking-42")
    assert first.json()["id"] == again.json()["id"]
    assert Message.objects.count() == 1


def test_same_idempotency_key_with_another_body_is_a_conflict(client, app_key):
    post(client, app_key, "/messages", MESSAGE, HTTP_IDEMPOTENCY_KEY="booking-42")
    other = post(
        client,
        app_key,
        "/messages",
        {**MESSAGE, "subject": "Lain"},
        HTTP_IDEMPOTENCY_KEY="booking-42",
    )
    assert other.status_code == 409
    assert "idempotency_key" in other.json()["error"]["fields"]


def test_bad_input_names_each_field_and_queues_nothing(client, app_key):
    answer = post(
        client,
        app_key,
        "/messages",
        {
            "to": ["not-an-address", "ok@example.id"],
            "cc": ["also bad"],
            "subject": "",
            "text": "",
            "from": "boss@dinkes.baliprov.go.id",
            "tags": ["x" * 80],
        },
    )
    assert answer.status_code == 422
    fields = answer.json()["error"]["fields"]
    assert {"to[0]", "cc[0]", "subject", "text", "from", "tags"} <= set(fields)
    assert Message.objects.count() == 0


def test_too_many_recipients_is_refused(client, app_key):
    answer = post(
        client, app_key, "/messages", {**MESSAGE, "to": [f"r{i}@example.id" for i in range(51)]}
    )
    assert answer.status_code == 422
    assert "to" in answer.json()["error"]["fields"]


def test_verified_sender_of_the_agency_may_be_used(client, app_key, application):
    VerifiedSender.objects.create(
        agency=application.agency, email="antrean@dinkes.go.id", verified_at="2026-01-01T00:00Z"
    )
    answer = post(client, app_key, "/messages", {**MESSAGE, "from": "antrean@dinkes.go.id"})
    assert answer.status_code == 202
    assert Message.objects.get().from_email == "antrean@dinkes.go.id"


def test_bad_json_is_a_clear_400(client, app_key):
    answer = client.post(
        "/api/v1/notify/messages",
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {app_key}",
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "bad_request"


def test_revoked_or_unknown_key_is_refused(client, application):
    issued = services.application_key_create(actor="t", application=application, name="k")
    services.application_key_revoke(actor="t", key=issued.key)
    assert post(client, issued.plaintext, "/messages", MESSAGE).status_code == 401
    assert post(client, "odn_nothing_here", "/messages", MESSAGE).status_code == 401


def test_user_tokens_cannot_send_as_an_application(client, people):
    token = core_services.api_token_create(
        actor="t", user=people["platform_admin"], name="x"
    ).plaintext
    assert post(client, token, "/messages", MESSAGE).status_code == 401


def test_quota_per_day_answers_429_with_retry_after(client, app_key, application):
    # The daily window, not the per-second one: three requests could straddle a second.
    application.rate_per_day = 2
    application.save(update_fields=["rate_per_day"])
    cache.clear()
    answers = [post(client, app_key, "/messages", MESSAGE) for _ in range(3)]
    assert [a.status_code for a in answers] == [202, 202, 429]
    assert 0 < int(answers[-1]["Retry-After"]) <= 86_401


def test_bulk_answers_one_result_per_entry(client, app_key):
    answer = post(
        client,
        app_key,
        "/messages/bulk",
        {
            "messages": [
                MESSAGE,
                {**MESSAGE, "to": ["broken"]},
                {**MESSAGE, "to": ["kadek@example.id"]},
            ]
        },
    )
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [r["status"] for r in results] == ["queued", "rejected", "queued"]
    assert results[1]["error"]["fields"] == {"to[0]": ["broken is not a valid email address."]}
    assert Message.objects.count() == 2


def test_bulk_of_more_than_500_is_refused_whole(client, app_key):
    answer = post(client, app_key, "/messages/bulk", {"messages": [MESSAGE] * 501})
    assert answer.status_code == 422
    assert Message.objects.count() == 0


def test_template_renders_with_data_in_the_chosen_language(client, app_key):
    post(
        client,
        app_key,
        "/templates",
        {
            "name": "nomor-antrean",
            "language": "id",
            "subject": "Nomor antrean {{ nomor }}",
            "text": "Halo {{ nama }}, nomor Anda {{ nomor }}.",
        },
    )
    post(
        client,
        app_key,
        "/templates",
        {
            "name": "nomor-antrean",
            "language": "en",
            "subject": "Queue number {{ nomor }}",
            "text": "Hello {{ nama }}, your number is {{ nomor }}.",
        },
    )
    answer = post(
        client,
        app_key,
        "/messages",
        {
            "to": ["luh@example.id"],
            "template": "nomor-antrean",
            "language": "en",
            "data": {"nama": "Luh", "nomor": "A-012"},
        },
    )
    assert answer.status_code == 202
    message = Message.objects.get()
    assert message.subject == "Queue number A-012"
    assert message.text == "Hello Luh, your number is A-012."


def test_template_with_a_missing_variable_rejects_the_message(client, app_key):
    post(
        client,
        app_key,
        "/templates",
        {"name": "t", "subject": "Hi {{ nama }}", "text": "{{ nomor }}"},
    )
    answer = post(
        client,
        app_key,
        "/messages",
        {"to": ["luh@example.id"], "template": "t", "data": {"nama": "Luh"}},
    )
    assert answer.status_code == 422
    assert "nomor" in str(answer.json()["error"]["fields"]["data"])


def test_template_cannot_reach_python_internals(client, app_key):
    post(
        client,
        app_key,
        "/templates",
        {"name": "evil", "subject": "x", "text": "{{ ''.__class__.__mro__[1].__subclasses__() }}"},
    )
    answer = post(client, app_key, "/messages", {"to": ["luh@example.id"], "template": "evil"})
    assert answer.status_code == 422
    assert Message.objects.count() == 0


def test_template_with_broken_syntax_is_refused_when_saved(client, app_key):
    answer = post(client, app_key, "/templates", {"name": "t", "subject": "{{ oops", "text": "x"})
    assert answer.status_code == 422
    assert "subject" in answer.json()["error"]["fields"]
    assert not Template.objects.exists()


def test_saving_a_template_again_makes_a_new_version(client, app_key):
    for text in ("one", "two"):
        post(client, app_key, "/templates", {"name": "t", "subject": "s", "text": text})
    versions = get(client, app_key, "/templates/t").json()
    assert [(v["version"], v["text"]) for v in versions] == [(2, "two"), (1, "one")]


def test_unknown_template_names_the_field(client, app_key):
    answer = post(client, app_key, "/messages", {"to": ["luh@example.id"], "template": "nope"})
    assert "template" in answer.json()["error"]["fields"]


def test_attachment_is_checked_and_kept(client, app_key):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    answer = post(
        client,
        app_key,
        "/messages",
        {
            **MESSAGE,
            "attachments": [
                {
                    "filename": "../../etc/kuitansi.png",
                    "content_type": "text/html",
                    "content_base64": base64.b64encode(buffer.getvalue()).decode(),
                }
            ],
        },
    )
    assert answer.status_code == 202
    attachment = Message.objects.get().attachments.get()
    assert attachment.filename == "kuitansi.png"
    assert attachment.content_type == "image/png"


def test_oversized_attachments_are_refused(client, app_key, settings):
    settings.NOTIFY_MAX_ATTACHMENT_BYTES = 1000
    answer = post(
        client,
        app_key,
        "/messages",
        {
            **MESSAGE,
            "attachments": [
                {"filename": "a.csv", "content_base64": base64.b64encode(b"a,b\n" * 400).decode()}
            ],
        },
    )
    assert answer.status_code == 422
    assert "attachments[0]" in answer.json()["error"]["fields"]


def test_message_detail_shows_events_and_recipient_verification(client, app_key, regions):
    user = make_user("luh", email="luh@example.id")
    user.email_verified_at = "2026-01-01T00:00Z"
    user.save(update_fields=["email_verified_at"])
    message_id = post(client, app_key, "/messages", MESSAGE).json()["id"]
    detail = get(client, app_key, f"/messages/{message_id}").json()
    assert [e["kind"] for e in detail["events"]] == ["queued"]
    assert detail["recipients_verified"] == {"luh@example.id": True}


def test_message_list_filters_by_status_tag_and_recipient(client, app_key):
    post(client, app_key, "/messages", {**MESSAGE, "tags": ["antrean"]})
    post(client, app_key, "/messages", {**MESSAGE, "to": ["made@example.id"]})
    assert get(client, app_key, "/messages", tag="antrean").json()["count"] == 1
    assert get(client, app_key, "/messages", to="made@").json()["count"] == 1
    assert get(client, app_key, "/messages", status="queued").json()["count"] == 2


def test_another_applications_message_is_not_found(client, app_key, application):
    other = services.application_create(actor="t", agency=application.agency, name="Lain")
    other_key = services.application_key_create(actor="t", application=other, name="k").plaintext
    message_id = post(client, other_key, "/messages", MESSAGE).json()["id"]
    assert get(client, app_key, f"/messages/{message_id}").status_code == 404
    assert get(client, app_key, "/messages").json()["count"] == 0


def test_in_app_message_lands_in_the_users_inbox(client, app_key, people, client_for):
    answer = post(
        client,
        app_key,
        "/messages",
        {"to": ["warga"], "channel": "inapp", "subject": "Cuti disetujui", "text": "Selamat"},
    )
    assert answer.json()["status"] == "delivered"
    citizen = client_for(people["citizen"])
    assert citizen.get("/api/v1/notify/inbox/unread-count").json() == {"unread": 1}
    item = citizen.get("/api/v1/notify/inbox").json()["items"][0]
    assert item["subject"] == "Cuti disetujui"
    citizen.post(f"/api/v1/notify/inbox/{item['id']}/read")
    assert citizen.get("/api/v1/notify/inbox/unread-count").json() == {"unread": 0}
    other = client_for(people["employee"])
    assert other.post(f"/api/v1/notify/inbox/{item['id']}/read").status_code == 404


def test_platform_modules_send_in_process(regions, people):
    message = services.send(
        module="clinics", to=["luh@example.id"], subject="Nomor A-012", text="Datang pukul 09.00"
    )
    assert message.application.is_internal
    assert message.status == Message.Status.QUEUED


def test_sender_address_is_usable_after_its_owner_confirms(client, app_key, smtp_server):
    import re

    answer = post(client, app_key, "/senders", {"email": "Antrean@Dinkes.example.id"})
    assert answer.status_code == 202
    assert answer.json() == {
        **answer.json(),
        "email": "antrean@dinkes.example.id",
        "verified": False,
    }
    refused = post(client, app_key, "/messages", {**MESSAGE, "from": "antrean@dinkes.example.id"})
    assert "from" in refused.json()["error"]["fields"]
    services.deliver_due(worker="w")
    mail = smtp_server.received[0][1]
    link = re.search(r"/notifikasi/pengirim/konfirmasi/[^/\s]+/", mail.get_payload()).group(0)
    assert client.get(link).status_code == 200
    accepted = post(client, app_key, "/messages", {**MESSAGE, "from": "antrean@dinkes.example.id"})
    assert accepted.status_code == 202
    assert get(client, app_key, "/senders").json()[0]["verified"] is True


def test_tampered_sender_link_is_refused(client):
    assert client.get("/notifikasi/pengirim/konfirmasi/forged-token/").status_code == 400


def test_bulk_counts_every_entry_against_the_quota(client, app_key, application):
    application.rate_per_day = 3
    application.save(update_fields=["rate_per_day"])
    cache.clear()
    answer = post(client, app_key, "/messages/bulk", {"messages": [MESSAGE] * 4})
    assert answer.status_code == 429
    assert Message.objects.count() == 0
