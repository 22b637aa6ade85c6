"""The application owners' screens: applications, keys, templates, the message log and a
test send, as a developer of the agency (and one of another regency) sees them."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from onedata.core.models import AuditEvent
from onedata.core.roles import Role
from onedata.notifications import services
from onedata.notifications.models import Application, ApplicationKey, Message, Template
from tests.conftest import login_client, make_user

BASE = "/notifikasi/aplikasi/"


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page_of(application) -> str:
    return f"{BASE}{application.slug}/"


@pytest.fixture
def developer(application):
    """An application developer of the application's agency."""
    return make_user("dev", Role.APP_DEVELOPER, application.agency)


@pytest.fixture
def dev_client(developer):
    return english(login_client(developer))


@pytest.fixture
def outsider(agencies):
    return make_user("dev.gianyar", Role.APP_DEVELOPER, agencies["gianyar"])


def field_block(html: str, name: str) -> str:
    """The ``<div class="field…">`` that holds the input named ``name``."""
    for block in re.findall(r'<div class="field[^"]*">.*?</div>', html, re.S):
        if f'name="{name}"' in block:
            return block
    raise AssertionError(f"no field {name}")


# --- applications and keys ---------------------------------------------------------------


def test_create_application_and_key_by_developer_of_the_agency(agencies, client_for):
    badung = agencies["badung"]
    client = english(client_for(make_user("dev", Role.APP_DEVELOPER, badung)))

    listing = client.get(BASE).content.decode()
    assert f'value="{badung.pk}"' in listing
    assert f'value="{agencies["gianyar"].pk}"' not in listing  # outside the regency

    answer = client.post(BASE, {"agency": badung.pk, "name": "Antrean Puskesmas"})
    application = Application.objects.get(name="Antrean Puskesmas")
    assert answer.status_code == 302 and answer["Location"] == page_of(application)
    assert application.agency == badung
    assert AuditEvent.objects.filter(action="notifications.application.create").exists()

    answer = client.post(f"{page_of(application)}kunci/", {"name": "server produksi"})
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "no-store"
    shown = re.search(r'data-testid="new-key">([^<]+)<', answer.content.decode()).group(1)
    assert shown.startswith(services.KEY_PREFIX)
    key = ApplicationKey.objects.get(application=application)
    assert key.key_hash == hashlib.sha256(shown.encode()).hexdigest()
    assert services.application_key_authenticate(shown) == application

    again = client.get(page_of(application)).content.decode()
    assert shown not in again  # shown once only
    assert f"{services.KEY_PREFIX}{key.prefix}…" in again


def test_revoke_key_by_developer_of_the_agency(application, app_key, dev_client):
    key = ApplicationKey.objects.get(application=application)
    answer = dev_client.post(f"{page_of(application)}kunci/{key.pk}/cabut/", follow=True)
    assert answer.status_code == 200
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert services.application_key_authenticate(app_key) is None
    assert "is revoked" in answer.content.decode()
    assert AuditEvent.objects.filter(action="notifications.key.revoke").exists()


def test_revoke_key_when_it_belongs_to_another_application_is_not_found(
    application, dev_client, agencies
):
    other = services.application_create(actor="test", agency=agencies["badung"], name="Lain")
    key = services.application_key_create(actor="test", application=other, name="x").key
    answer = dev_client.post(f"{page_of(application)}kunci/{key.pk}/cabut/")
    assert answer.status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None


def test_create_key_when_name_is_missing_shows_the_error_beside_the_field(application, dev_client):
    answer = dev_client.post(f"{page_of(application)}kunci/", {"name": "  "})
    assert answer.status_code == 400
    assert "Give the key a name." in field_block(answer.content.decode(), "name")
    assert not ApplicationKey.objects.exists()


def test_create_application_when_name_is_missing_keeps_the_agency_chosen(agencies, client_for):
    badung = agencies["badung_dinkes"]
    client = english(client_for(make_user("dev", Role.APP_DEVELOPER, agencies["badung"])))
    answer = client.post(BASE, {"agency": badung.pk, "name": ""})
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "error-summary" in html
    assert "Give the application a name." in field_block(html, "name")
    assert f'value="{badung.pk}" selected' in html
    assert not Application.objects.exists()


def test_create_application_for_an_agency_outside_scope_by_developer(agencies, client_for):
    client = client_for(make_user("dev", Role.APP_DEVELOPER, agencies["badung"]))
    answer = client.post(BASE, {"agency": agencies["gianyar"].pk, "name": "Bukan punya saya"})
    assert answer.status_code == 403
    assert not Application.objects.exists()


def test_application_list_by_citizen_is_refused(people, client_for):
    assert client_for(people["citizen"]).get(BASE).status_code == 403


def test_application_list_by_platform_admin_shows_every_application(
    application, people, client_for
):
    page = client_for(people["platform_admin"]).get(BASE).content.decode()
    assert application.name in page


def test_every_page_of_an_application_by_developer_of_another_regency(
    application, app_key, outsider, client_for
):
    message, _ = services.message_send(
        application=application, to=["luh@example.id"], subject="s", text="t"
    )
    services.template_save(
        actor="test",
        application=application,
        name="pengingat",
        language="id",
        subject="s",
        text="t",
    )
    key = ApplicationKey.objects.get(application=application)
    client = client_for(outsider)
    base = page_of(application)

    listing = client.get(BASE)
    assert listing.status_code == 200  # they may register their own
    assert application.name not in listing.content.decode()

    gets = ["", "templat/", "templat/pengingat/", "pesan/", f"pesan/{message.pk}/", "uji/"]
    for suffix in gets:
        assert client.get(base + suffix).status_code in (403, 404), suffix
    posts = {
        "kunci/": {"name": "curian"},
        f"kunci/{key.pk}/cabut/": {},
        "templat/": {"action": "save", "name": "x", "language": "id", "subject": "s", "text": "t"},
        "uji/": {"to": "luh@example.id", "subject": "s", "text": "t"},
    }
    for suffix, data in posts.items():
        assert client.post(base + suffix, data).status_code in (403, 404), suffix
    key.refresh_from_db()
    assert key.revoked_at is None
    assert ApplicationKey.objects.filter(application=application).count() == 1
    assert Message.objects.filter(application=application).count() == 1
    assert Template.objects.filter(application=application).count() == 1


# --- templates ---------------------------------------------------------------------------


def template_form(**fields) -> dict:
    return {"action": "save", "name": "pengingat", "language": "id", "subject": "Halo", **fields}


def test_template_save_by_developer_makes_a_new_version(application, developer, dev_client):
    url = f"{page_of(application)}templat/"
    first = dev_client.post(url, template_form(text="Halo {{ nama }}"))
    assert first.status_code == 302
    assert first["Location"] == f"{url}pengingat/"
    dev_client.post(url, template_form(text="Halo lagi {{ nama }}"))
    versions = Template.objects.filter(application=application, name="pengingat")
    assert sorted(versions.values_list("version", flat=True)) == [1, 2]
    assert versions.get(version=2).created_by == developer

    history = dev_client.get(f"{url}pengingat/").content.decode()
    assert "Version 2" in history and "Version 1" in history
    assert "Halo lagi {{ nama }}" in history
    listing = dev_client.get(url).content.decode()
    assert ">2</td>" in listing  # the latest version is listed
    edit = dev_client.get(f"{url}?name=pengingat&language=id").content.decode()
    assert "Halo lagi {{ nama }}</textarea>" in edit  # changing starts from the latest


def test_template_save_when_syntax_is_broken_shows_the_error_beside_the_field(
    application, dev_client
):
    broken = "Halo {{ nama }, nomor {% if %}"
    answer = dev_client.post(f"{page_of(application)}templat/", template_form(text=broken))
    assert answer.status_code == 400
    html = answer.content.decode()
    block = field_block(html, "text")
    assert "field-error" in block and "template syntax error" in block
    assert "Halo {{ nama }, nomor {% if %}</textarea>" in html  # what was typed is kept
    assert 'value="pengingat"' in html
    assert not Template.objects.exists()


def test_template_preview_shows_the_rendered_text(application, dev_client):
    answer = dev_client.post(
        f"{page_of(application)}templat/",
        template_form(
            action="preview",
            subject="Antrean {{ nomor }}",
            text="Halo {{ nama }}, nomor Anda {{ nomor }}.",
            data='{"nama": "Luh", "nomor": "A-012"}',
        ),
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert 'data-testid="preview-text">Halo Luh, nomor Anda A-012.</pre>' in html
    assert "Antrean A-012" in html
    assert not Template.objects.exists()  # a preview saves nothing


def test_template_preview_when_a_variable_is_missing_names_the_part(application, dev_client):
    answer = dev_client.post(
        f"{page_of(application)}templat/",
        template_form(action="preview", text="Halo {{ nama }} {{ jam }}", data='{"nama": "Luh"}'),
    )
    assert answer.status_code == 400
    block = field_block(answer.content.decode(), "text")
    assert "The Text part uses jam, which the sample data does not have." in block


def test_template_preview_when_data_is_not_json(application, dev_client):
    answer = dev_client.post(
        f"{page_of(application)}templat/",
        template_form(action="preview", text="Halo {{ nama }}", data="{nama: Luh}"),
    )
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "Not valid JSON" in field_block(html, "data")
    assert "{nama: Luh}</textarea>" in html


def test_template_history_when_there_is_no_such_template(application, dev_client):
    assert dev_client.get(f"{page_of(application)}templat/tidak-ada/").status_code == 404


# --- message log -------------------------------------------------------------------------


def send(application, to: str, subject: str, tags=(), **fields) -> Message:
    message, _ = services.message_send(
        application=application,
        to=[to],
        subject=subject,
        text="t",
        tags=list(tags),
        check_quota=False,
        **fields,
    )
    return message


def test_message_log_filters_by_status_recipient_tag_and_time(application, dev_client):
    old = send(application, "made@example.id", "Lama", tags=["antrean"])
    Message.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    send(application, "luh@example.id", "Pengingat", tags=["antrean"])
    failed = send(application, "wayan@example.id", "Gagal", tags=["cuti"])
    Message.objects.filter(pk=failed.pk).update(status=Message.Status.FAILED)
    url = f"{page_of(application)}pesan/"

    def subjects(query: dict) -> set[str]:
        answer = dev_client.get(url, query)
        assert answer.status_code == 200
        return {s for s in ("Lama", "Pengingat", "Gagal") if f">{s}</a>" in answer.content.decode()}

    assert subjects({}) == {"Lama", "Pengingat", "Gagal"}
    assert subjects({"status": "failed"}) == {"Gagal"}
    assert subjects({"to": "LUH@"}) == {"Pengingat"}
    assert subjects({"tag": "antrean"}) == {"Lama", "Pengingat"}
    since = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    assert subjects({"since": since, "tag": "antrean"}) == {"Pengingat"}

    listing = dev_client.get(url, {"status": "failed"}).content.decode()
    assert 'badge badge-danger">Failed</span>' in listing  # words and colour


def test_message_log_when_since_is_not_a_time_keeps_it(application, dev_client):
    answer = dev_client.get(f"{page_of(application)}pesan/", {"since": "kemarin"})
    assert answer.status_code == 400
    assert 'value="kemarin"' in field_block(answer.content.decode(), "since")


def test_message_log_pages_with_a_fixed_number_of_queries(
    application, dev_client, django_assert_max_num_queries
):
    for n in range(60):
        send(application, f"warga{n}@example.id", f"Pesan {n}")
    with django_assert_max_num_queries(10):
        answer = dev_client.get(f"{page_of(application)}pesan/", {"page": 2})
    assert "Page 2 of 2" in answer.content.decode()


def test_message_detail_shows_summary_then_events(application, dev_client, smtp_server):
    message = send(application, "luh@example.id", "Nomor antrean A-012")
    services.deliver_due()
    html = dev_client.get(f"{page_of(application)}pesan/{message.pk}/").content.decode()
    assert '<span class="badge badge-ok" data-testid="status">Delivered</span>' in html
    assert html.index('class="summary"') < html.index('class="app-timeline"')
    timeline = html[html.index('class="app-timeline"') :]
    assert (
        timeline.index("Queued") < timeline.index("Delivery attempt") < timeline.index("Delivered")
    )


def test_message_detail_when_it_belongs_to_another_application(application, dev_client, agencies):
    other = services.application_create(actor="test", agency=agencies["badung"], name="Lain")
    message = send(other, "luh@example.id", "Bukan milik Anda")
    answer = dev_client.get(f"{page_of(application)}pesan/{message.pk}/")
    assert answer.status_code == 404


# --- test send ---------------------------------------------------------------------------


def test_test_send_creates_a_queued_message(application, developer, dev_client):
    form = dev_client.get(f"{page_of(application)}uji/").content.decode()
    assert f'value="{developer.email}"' in form  # to myself, unless I change it
    answer = dev_client.post(
        f"{page_of(application)}uji/",
        {"to": "luh@example.id", "subject": "Uji coba", "text": "Halo"},
        follow=True,
    )
    message = Message.objects.get(application=application)
    assert answer.redirect_chain[-1][0] == f"{page_of(application)}pesan/{message.pk}/"
    assert message.status == Message.Status.QUEUED
    assert message.to == ["luh@example.id"] and message.tags == ["test"]
    html = answer.content.decode()
    assert "The message is queued; a worker sends it within a few seconds." in html
    assert ">Queued</span>" in html


def test_test_send_is_delivered_by_the_worker(application, dev_client, smtp_server):
    dev_client.post(
        f"{page_of(application)}uji/", {"to": "luh@example.id", "subject": "Uji", "text": "Halo"}
    )
    services.deliver_due()
    assert smtp_server.received[0][0] == ["luh@example.id"]
    assert Message.objects.get().status == Message.Status.DELIVERED


def test_test_send_when_the_address_is_invalid_keeps_what_was_typed(application, dev_client):
    answer = dev_client.post(
        f"{page_of(application)}uji/", {"to": "luh@", "subject": "Uji coba", "text": "Halo semua"}
    )
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "not a valid email address" in field_block(html, "to")
    assert 'value="Uji coba"' in html and "Halo semua</textarea>" in html
    assert not Message.objects.exists()


# --- senders, webhooks, suppression list -------------------------------------------------


def test_sender_address_requested_from_the_page_mails_a_link(application, dev_client):
    answer = dev_client.post(f"{page_of(application)}pengirim/", {"email": "Layanan@Example.ID"})
    assert answer.status_code == 302
    page = dev_client.get(f"{page_of(application)}pengirim/").content.decode()
    assert "layanan@example.id" in page
    assert "waiting for the link to be opened" in page
    mail = Message.objects.filter(to=["layanan@example.id"]).get()
    assert "/notifikasi/pengirim/konfirmasi/" in mail.text


def test_sender_page_names_the_bad_field_and_keeps_the_input(application, dev_client):
    answer = dev_client.post(f"{page_of(application)}pengirim/", {"email": "not an address"})
    assert answer.status_code == 400
    block = field_block(answer.content.decode(), "email")
    assert "Not a valid email address." in block
    assert 'value="not an address"' in block


def test_webhook_added_shows_its_secret_once_and_lists_deliveries(application, dev_client):
    answer = dev_client.post(
        f"{page_of(application)}webhook/",
        {"url": "https://example.id/events", "events": ["bounced", "failed"]},
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    secret = re.search(r'data-testid="webhook-secret">(whsec_[^<]+)<', html).group(1)
    assert answer["Cache-Control"] == "no-store"
    endpoint = application.webhooks.get()
    assert endpoint.events == ["bounced", "failed"] and endpoint.secret == secret
    later = dev_client.get(f"{page_of(application)}webhook/").content.decode()
    assert secret not in later and "https://example.id/events" in later
    assert AuditEvent.objects.filter(action="notifications.webhook.create").exists()

    removed = dev_client.post(f"{page_of(application)}webhook/{endpoint.pk}/hapus/")
    assert removed.status_code == 302
    assert not application.webhooks.exists()


def test_webhook_to_a_bad_url_is_refused_beside_the_field(application, dev_client):
    answer = dev_client.post(f"{page_of(application)}webhook/", {"url": "ftp://example.id/x"})
    assert answer.status_code == 400
    assert 'value="ftp://example.id/x"' in field_block(answer.content.decode(), "url")
    assert not application.webhooks.exists()


def test_webhook_page_of_another_agency_is_forbidden(application, outsider):
    client = login_client(outsider)
    assert client.get(f"{page_of(application)}webhook/").status_code == 403


def test_suppression_list_managed_by_platform_admin(agencies, client_for):
    from onedata.notifications.models import Suppression

    admin = english(client_for(make_user("root", Role.PLATFORM_ADMIN, agencies["province"])))
    added = admin.post("/notifikasi/daftar-tolak/", {"email": "Stop@Example.ID", "detail": "asked"})
    assert added.status_code == 302
    entry = Suppression.objects.get(email="stop@example.id")
    page = admin.get("/notifikasi/daftar-tolak/?q=stop").content.decode()
    assert "stop@example.id" in page
    assert "stop@example.id" not in admin.get("/notifikasi/daftar-tolak/?q=other").content.decode()
    bad = admin.post("/notifikasi/daftar-tolak/", {"email": "nope"})
    assert bad.status_code == 400
    assert "Not a valid email address." in bad.content.decode()
    assert admin.post(f"/notifikasi/daftar-tolak/{entry.pk}/hapus/").status_code == 302
    assert not Suppression.objects.filter(email="stop@example.id").exists()


def test_message_page_shows_whether_each_recipient_is_confirmed(application, dev_client):
    confirmed = make_user("luh", email="luh@example.id")
    confirmed.email_verified_at = timezone.now()
    confirmed.save(update_fields=["email_verified_at"])
    message, _ = services.message_send(
        application=application, to=["luh@example.id", "made@example.id"], subject="s", text="t"
    )
    html = dev_client.get(f"{page_of(application)}pesan/{message.pk}/").content.decode()
    luh = html[html.index("luh@example.id") :][:200]
    made = html[html.index("made@example.id") :][:200]
    assert "confirmed platform user" in luh
    assert "not confirmed" in made
