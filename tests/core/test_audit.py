"""The audit log: written by every service, append-only, searchable by admins only."""

import pytest
from django.db import connection
from django.db.utils import DatabaseError

from onedata.core import audit, services
from onedata.core.models import AuditEvent


def test_grant_writes_an_audit_event_with_ip_and_request_id(people, agencies, client_for):
    client = client_for(people["badung_admin"])
    client.post(
        "/api/v1/core/agencies/dinkes-badung/members",
        {"username": "warga", "role": "employee"},
        content_type="application/json",
        REMOTE_ADDR="192.0.2.7",
        HTTP_X_REQUEST_ID="req-123",
    )
    event = AuditEvent.objects.get(action="membership.grant")
    assert event.actor == people["badung_admin"]
    assert event.ip == "192.0.2.7"
    assert event.request_id == "req-123"
    assert event.after["role"] == "employee"


def test_audit_events_cannot_be_changed_or_deleted(people):
    event = audit.record(actor=people["citizen"], action="test.thing")
    event.action = "rewritten"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.update(action="x")


def test_the_database_itself_refuses_to_rewrite_the_audit_log(people):
    audit.record(actor=people["citizen"], action="test.thing")
    with pytest.raises(DatabaseError), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'rewritten'")


def test_audit_events_never_hold_a_token_secret(people):
    issued = services.api_token_create(actor=people["citizen"], user=people["citizen"], name="x")
    for event in AuditEvent.objects.all():
        assert issued.plaintext not in str(event.after) + str(event.before)


def test_audit_log_api_for_platform_admin(people, client_for):
    audit.record(actor=people["citizen"], action="test.thing")
    answer = client_for(people["platform_admin"]).get(
        "/api/v1/core/audit-events", {"action": "test."}
    )
    assert answer.status_code == 200
    assert answer.json()["count"] == 1


def test_audit_log_api_by_agency_admin_is_refused(people, client_for):
    answer = client_for(people["badung_admin"]).get("/api/v1/core/audit-events")
    assert answer.status_code == 403


def test_audit_log_page_search_by_platform_admin(people, client_for):
    audit.record(actor=people["citizen"], action="test.thing")
    audit.record(actor=people["employee"], action="other.thing")
    page = client_for(people["platform_admin"]).get("/audit/", {"actor": "warga"})
    assert page.status_code == 200
    assert [event.action for event in page.context["page"]] == ["test.thing"]


def test_audit_log_page_by_citizen_is_forbidden(people, client_for):
    assert client_for(people["citizen"]).get("/audit/").status_code == 403
