"""Log in and out, lock-out after repeated failures, registration, email verification."""

import re

from django.core import mail

from onedata.core.models import AuditEvent, User
from tests.conftest import PASSWORD


def test_login_by_citizen_with_the_right_password(people, client):
    answer = client.post("/masuk/", {"username": "warga", "password": PASSWORD})
    assert answer.status_code == 302
    assert client.get("/akun/").status_code == 200


def test_login_by_email_address(people, client):
    answer = client.post("/masuk/", {"username": "warga@example.test", "password": PASSWORD})
    assert answer.status_code == 302


def test_login_with_a_wrong_password_keeps_the_username(people, client):
    answer = client.post("/masuk/", {"username": "warga", "password": "nope"})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert 'value="warga"' in page
    assert "error-summary" in page
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 1


def test_login_when_locked_out_refuses_even_the_right_password(people, client, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        client.post("/masuk/", {"username": "warga", "password": "wrong"})
    answer = client.post("/masuk/", {"username": "warga", "password": PASSWORD})
    assert answer.status_code == 429
    assert client.get("/akun/").status_code == 302  # still logged out
    assert AuditEvent.objects.filter(action="auth.login_locked").exists()


def test_lock_out_of_one_name_does_not_lock_another(people, client, settings):
    settings.LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        client.post("/masuk/", {"username": "warga", "password": "wrong"})
    answer = client.post("/masuk/", {"username": "pegawai", "password": PASSWORD})
    assert answer.status_code == 302


def test_login_redirect_refuses_another_site(people, client):
    answer = client.post(
        "/masuk/", {"username": "warga", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert answer["Location"] == "/"


def test_logout_needs_post(people, client_for):
    client = client_for(people["citizen"])
    assert client.get("/keluar/").status_code == 405
    assert client.post("/keluar/").status_code == 302
    assert client.get("/akun/").status_code == 302


def test_register_creates_a_citizen_and_mails_a_verification_link(
    regions, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/daftar/",
            {
                "name": "Ni Luh Putu",
                "username": "luhputu",
                "email": "Luh@Example.test",
                "phone": "081234567890",
                "nik": "5171014506900001",
                "password": "Sanur-Pagi-2026",
            },
        )
    assert answer.status_code == 302
    user = User.objects.get(username="luhputu")
    assert user.email == "luh@example.test"
    assert not user.email_verified
    assert len(mail.outbox) == 1
    link = re.search(r"/akun/verifikasi/[^/\s]+/", mail.outbox[0].body).group(0)
    page = client.get(link)
    assert page.status_code == 200
    user.refresh_from_db()
    assert user.email_verified
    assert AuditEvent.objects.filter(action="user.verify_email", object_id=str(user.pk)).exists()


def test_register_with_a_bad_nik_keeps_what_was_typed(regions, client):
    answer = client.post(
        "/daftar/",
        {
            "name": "Made",
            "username": "made",
            "email": "made@example.test",
            "nik": "1234",
            "password": "Sanur-Pagi-2026",
        },
    )
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "16 digits" in page or "16 digit" in page
    assert 'value="made@example.test"' in page
    assert not User.objects.filter(username="made").exists()


def test_register_with_a_taken_email_names_the_field(people, client):
    answer = client.post(
        "/daftar/",
        {
            "name": "X",
            "username": "other",
            "email": "warga@example.test",
            "password": "Sanur-Pagi-2026",
        },
    )
    assert answer.status_code == 400
    assert "email" in answer.context["form"].errors


def test_verification_link_that_was_tampered_is_refused(people, client):
    answer = client.get("/akun/verifikasi/not-a-real-token/")
    assert answer.status_code == 400


def test_password_reset_mails_a_working_link(people, client):
    client.post("/lupa-sandi/", {"email": "warga@example.test"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/lupa-sandi/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "Kintamani-2026!", "new_password2": "Kintamani-2026!"}
    )
    assert done.status_code == 302
    assert client.login(username="warga", password="Kintamani-2026!")


def test_profile_change_masks_nik_and_resets_email_verification(people, client_for):
    user = people["citizen"]
    client = client_for(user)
    answer = client.post(
        "/akun/",
        {
            "form": "profile",
            "profile-name": "Wayan",
            "profile-email": "new@example.test",
            "profile-phone": "",
            "profile-nik": "5171014506900001",
        },
    )
    assert answer.status_code == 302
    user.refresh_from_db()
    assert user.nik == "5171014506900001" and user.email_verified_at is None
    event = AuditEvent.objects.get(action="user.update_profile")
    assert event.after["nik"] == "5171********0001"
    assert event.before["email"] == "warga@example.test"
    api = client.get("/api/v1/core/me").json()
    assert api["nik_masked"] == "5171********0001"
    assert "5171014506900001" not in str(api)


def test_register_reports_every_mistake_at_once(regions, client):
    answer = client.post(
        "/daftar/",
        {
            "name": "Made",
            "username": "",
            "email": "not-an-address",
            "nik": "1234",
            "password": "123",
        },
    )
    assert answer.status_code == 400
    assert {"username", "email", "nik", "password"} <= set(answer.context["form"].errors)
