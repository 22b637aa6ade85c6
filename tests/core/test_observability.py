"""Health and readiness, Prometheus metrics for monitoring only, JSON logs without secrets."""

import io
import json
import logging

import pytest

from onedata.core import services
from onedata.core.logging import scrub


def test_healthz_answers_without_touching_anything(client):
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}


def test_readyz_checks_database_cache_and_task_queue(db, client):
    answer = client.get("/readyz")
    assert answer.status_code == 200
    checks = answer.json()["checks"]
    assert set(checks) == {"database", "cache", "task_queue"}
    assert all(check["ok"] for check in checks.values())


def test_readyz_says_which_part_is_down(db, client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    answer = client.get("/readyz")
    assert answer.status_code == 503
    body = answer.json()
    assert body["status"] == "not ready"
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.parametrize("who", ["anonymous", "citizen", "badung_admin"])
def test_metrics_are_not_public(people, client, client_for, who):
    caller = client if who == "anonymous" else client_for(people[who])
    assert caller.get("/metrics").status_code == 403


def test_metrics_for_platform_admin_count_requests_by_route(people, client_for):
    caller = client_for(people["platform_admin"])
    caller.get("/api/v1/core/regions/51")
    body = caller.get("/metrics").content.decode()
    assert "onedata_http_requests_total" in body
    assert 'route="api/v1/core/regions/{code}"' in body or "regions/<code>" in body
    assert "onedata_http_request_duration_seconds_bucket" in body
    assert "onedata_task_queue_depth" in body
    assert "onedata_tasks_failed" in body


def test_metrics_with_the_monitoring_token(db, client, settings):
    settings.METRICS_TOKEN = "m" * 40
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer " + "m" * 40).status_code == 200
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer " + "x" * 40).status_code == 403


def test_scrub_masks_nik_tokens_and_passwords():
    text = (
        "nik=5171014506900001 token od_0123456789ab_SECRETSECRET "
        "password=hunter2 Authorization: Bearer abc.def"
    )
    cleaned = scrub(text)
    assert "5171014506900001" not in cleaned and "5171********0001" in cleaned
    assert "SECRETSECRET" not in cleaned
    assert "hunter2" not in cleaned
    assert "abc.def" not in cleaned


@pytest.fixture
def log_stream():
    """The real console handler of the logging configuration, writing into a buffer."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.StreamHandler) and h.filters
    )
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def test_log_lines_are_json_with_the_request_id_and_no_secrets(people, client, log_stream):
    issued = services.api_token_create(actor=people["citizen"], user=people["citizen"], name="x")
    logger = logging.getLogger("onedata.test")
    logger.warning("citizen %s used %s", "5171014506900001", issued.plaintext)
    try:
        raise ValueError("bad NIK 5171014506900001")
    except ValueError:
        logger.exception("while checking")
    lines = [json.loads(line) for line in log_stream.getvalue().splitlines()]
    assert lines[0]["level"] == "WARNING" and "request_id" in lines[0]
    output = log_stream.getvalue()
    assert "5171014506900001" not in output
    assert issued.plaintext not in output
    assert "5171********0001" in output


def test_request_log_line_carries_the_request_id(db, client, log_stream, settings):
    logging.getLogger("onedata.request").setLevel(logging.INFO)
    try:
        client.get("/api/v1/core/ping", HTTP_X_REQUEST_ID="trace-42")
    finally:
        logging.getLogger("onedata.request").setLevel(logging.WARNING)
    line = json.loads(log_stream.getvalue().splitlines()[-1])
    assert line["request_id"] == "trace-42"
    assert line["status"] == 200 and line["path"] == "/api/v1/core/ping"
