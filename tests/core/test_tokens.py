"""API tokens: hashed at rest, shown once, expiring, revocable."""

import hashlib
from datetime import timedelta

from django.utils import timezone

from onedata.core import services
from onedata.core.models import ApiToken, AuditEvent


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_token_is_stored_only_as_a_hash(people):
    issued = services.api_token_create(
        actor=people["citizen"], user=people["citizen"], name="script"
    )
    row = ApiToken.objects.get(pk=issued.token.pk)
    assert issued.plaintext not in (row.token_hash, row.prefix, row.name)
    assert row.token_hash == hashlib.sha256(issued.plaintext.encode()).hexdigest()
    assert len(issued.plaintext) > 40


def test_token_authenticates_api_requests(people, client):
    issued = services.api_token_create(
        actor=people["citizen"], user=people["citizen"], name="script"
    )
    answer = client.get("/api/v1/core/me", **bearer(issued.plaintext))
    assert answer.status_code == 200
    assert answer.json()["username"] == "warga"
    assert ApiToken.objects.get(pk=issued.token.pk).last_used_at is not None


def test_revoked_token_is_refused(people, client):
    issued = services.api_token_create(
        actor=people["citizen"], user=people["citizen"], name="script"
    )
    services.api_token_revoke(actor=people["citizen"], token=issued.token)
    answer = client.get("/api/v1/core/me", **bearer(issued.plaintext))
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "unauthenticated"


def test_expired_token_is_refused(people, client):
    issued = services.api_token_create(
        actor=people["citizen"], user=people["citizen"], name="script", days=1
    )
    ApiToken.objects.filter(pk=issued.token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert client.get("/api/v1/core/me", **bearer(issued.plaintext)).status_code == 401


def test_forged_token_with_a_real_prefix_is_refused(people, client):
    issued = services.api_token_create(
        actor=people["citizen"], user=people["citizen"], name="script"
    )
    forged = issued.plaintext[:-4] + "AAAA"
    assert client.get("/api/v1/core/me", **bearer(forged)).status_code == 401


def test_token_of_a_deactivated_user_is_refused(people, client):
    issued = services.api_token_create(
        actor=people["citizen"], user=people["citizen"], name="script"
    )
    people["citizen"].is_active = False
    people["citizen"].save(update_fields=["is_active"])
    assert client.get("/api/v1/core/me", **bearer(issued.plaintext)).status_code == 401


def test_create_and_revoke_token_through_the_api(people, client):
    first = services.api_token_create(
        actor=people["citizen"], user=people["citizen"], name="bootstrap"
    )
    created = client.post(
        "/api/v1/core/tokens",
        {"name": "sync", "days": 30},
        content_type="application/json",
        **bearer(first.plaintext),
    )
    assert created.status_code == 201
    body = created.json()
    assert body["token"].startswith("od_")
    listed = client.get("/api/v1/core/tokens", **bearer(first.plaintext)).json()
    assert "token" not in listed[0]  # the secret is shown only once
    revoked = client.delete(f"/api/v1/core/tokens/{body['id']}", **bearer(first.plaintext))
    assert revoked.status_code == 200
    assert client.get("/api/v1/core/me", **bearer(body["token"])).status_code == 401
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"api_token.create", "api_token.revoke"} <= actions


def test_someone_elses_token_cannot_be_revoked(people, client_for):
    issued = services.api_token_create(actor=people["citizen"], user=people["citizen"], name="mine")
    answer = client_for(people["employee"]).delete(f"/api/v1/core/tokens/{issued.token.pk}")
    assert answer.status_code == 404
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is None


def test_token_with_bad_days_names_the_field(people, client_for):
    answer = client_for(people["citizen"]).post(
        "/api/v1/core/tokens", {"name": "x", "days": 5000}, content_type="application/json"
    )
    assert answer.status_code == 422
    assert "days" in answer.json()["error"]["fields"]


def test_session_writes_need_the_csrf_token(people):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people["citizen"])
    answer = client.post("/api/v1/core/tokens", {"name": "x"}, content_type="application/json")
    assert answer.status_code in (401, 403)
    assert not ApiToken.objects.exists()


def test_token_page_shows_the_new_token_once(people, client_for):
    client = client_for(people["citizen"])
    page = client.post("/akun/", {"form": "token", "token-name": "laptop", "token-days": 30})
    assert page.status_code == 200
    token = page.context["new_token"]
    assert token.startswith("od_")
    again = client.get("/akun/")
    assert token not in again.content.decode()
    assert "laptop" in again.content.decode()
