"""Settings come from the environment; a wrong value stops start-up naming the variable."""

import os
import subprocess
import sys

import pytest

from onedata import config
from onedata.config import ConfigError

CHECK = "import django; django.setup(); print('ok')"


def start(env_changes: dict[str, str | None], tmp_path) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "EMAIL_URL")
    }
    env.update({"DJANGO_SETTINGS_MODULE": "onedata.settings", "ONEDATA_VAR_DIR": str(tmp_path)})
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "-c", CHECK], env=env, capture_output=True, text=True, timeout=60
    )


GOOD_KEY = "k" * 50


@pytest.mark.parametrize(
    "changes, variable",
    [
        ({"ONEDATA_MODE": "production", "SECRET_KEY": None}, "SECRET_KEY"),
        ({"ONEDATA_MODE": "production", "SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"ONEDATA_MODE": "production", "SECRET_KEY": GOOD_KEY}, "EMAIL_URL"),
        ({"ONEDATA_MODE": "test", "TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT"),
        ({"ONEDATA_MODE": "staging"}, "ONEDATA_MODE"),
        ({"ONEDATA_MODE": "test", "DATABASE_URL": "mysqlx://db/x"}, "DATABASE_URL"),
        ({"ONEDATA_MODE": "test", "DATABASE_URL": "postgres://host:port/x"}, "DATABASE_URL"),
        ({"ONEDATA_MODE": "test", "REDIS_URL": "http://cache"}, "REDIS_URL"),
        ({"ONEDATA_MODE": "test", "DEBUG": "maybe"}, "DEBUG"),
        ({"ONEDATA_MODE": "test", "EMAIL_URL": "smtp://"}, "EMAIL_URL"),
        ({"ONEDATA_MODE": "test", "API_RATE_PER_MINUTE_IP": "many"}, "API_RATE_PER_MINUTE_IP"),
    ],
)
def test_bad_setting_stops_start_up_naming_the_variable(changes, variable, tmp_path):
    result = start(changes, tmp_path)
    assert result.returncode != 0
    assert f"Bad setting {variable}:" in result.stderr


def test_production_starts_with_a_key_and_debug_off(tmp_path):
    result = start(
        {"ONEDATA_MODE": "production", "SECRET_KEY": GOOD_KEY, "EMAIL_URL": "console://"}, tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_demo_generates_a_secret_key_once_and_keeps_it(tmp_path):
    assert start({"ONEDATA_MODE": "demo", "SECRET_KEY": None}, tmp_path).returncode == 0
    first = (tmp_path / "secret_key").read_text()
    assert start({"ONEDATA_MODE": "demo", "SECRET_KEY": None}, tmp_path).returncode == 0
    assert (tmp_path / "secret_key").read_text() == first
    assert len(first) >= 50


def test_postgres_url_becomes_a_database_entry():
    entry = config.database_from_url(
        "postgres://app:p%40ss@db.internal:6432/onedata?sslmode=require"
    )
    assert entry["ENGINE"] == "django.db.backends.postgresql"
    assert (entry["USER"], entry["PASSWORD"], entry["HOST"], entry["PORT"], entry["NAME"]) == (
        "app",
        "p@ss",
        "db.internal",
        "6432",
        "onedata",
    )
    assert entry["OPTIONS"] == {"sslmode": "require"}


def test_sqlite_url_gets_wal_busy_timeout_and_immediate_transactions():
    entry = config.database_from_url("sqlite:////srv/onedata/db.sqlite3")
    assert entry["NAME"] == "/srv/onedata/db.sqlite3"
    assert entry["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in entry["OPTIONS"]["init_command"]
    assert "busy_timeout" in entry["OPTIONS"]["init_command"]


def test_email_url_with_starttls():
    entry = config.email_from_url("smtp://user:pw@relay.baliprov.go.id:587?starttls=1")
    assert entry["EMAIL_HOST"] == "relay.baliprov.go.id"
    assert entry["EMAIL_PORT"] == 587 and entry["EMAIL_USE_TLS"] is True
    with pytest.raises(ConfigError, match="EMAIL_URL"):
        config.email_from_url("ftp://relay")


def test_sqlite_database_runs_in_wal_mode(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("this check is about the SQLite engine; the PostgreSQL pass has no WAL")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
