"""Reading settings from the environment, with errors that name the variable.

Pure helpers, no Django import: settings.py calls them, and a wrong value stops
start-up with a message such as ``DATABASE_URL: unsupported scheme 'mysqlx'``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import parse_qs, unquote, urlsplit


class ConfigError(Exception):
    """A setting read from the environment is missing or malformed."""

    def __init__(self, variable: str, problem: str):
        self.variable = variable
        super().__init__(f"{variable}: {problem}")


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(name, f"expected true/false, got {raw!r}")


def env_int(env: Mapping[str, str], name: str, default: int, *, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(name, f"expected a whole number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(name, f"must be at least {minimum}, got {value}")
    return value


def env_float(
    env: Mapping[str, str], name: str, default: float, *, minimum: float, maximum: float
) -> float:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(name, f"expected a number, got {raw!r}") from None
    if not minimum <= value <= maximum:
        raise ConfigError(name, f"must be between {minimum} and {maximum}, got {value}")
    return value


def env_list(env: Mapping[str, str], name: str, default: list[str]) -> list[str]:
    raw = env.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int_mapping(env: Mapping[str, str], name: str) -> dict[str, int]:
    """``"gmail.com=5, yahoo.co.id=2"`` -> ``{"gmail.com": 5, "yahoo.co.id": 2}``."""
    mapping: dict[str, int] = {}
    for item in env_list(env, name, []):
        key, sep, value = item.partition("=")
        key = key.strip().lower()
        if not sep or not key or not value.strip().isdigit() or int(value) < 1:
            raise ConfigError(name, f"expected name=number pairs separated by commas, got {item!r}")
        mapping[key] = int(value)
    return mapping


def env_choice(env: Mapping[str, str], name: str, choices: tuple[str, ...], default: str) -> str:
    value = env.get(name, default).strip().lower()
    if value not in choices:
        raise ConfigError(name, f"expected one of {', '.join(choices)}, got {value!r}")
    return value


def database_from_url(url: str, *, variable: str = "DATABASE_URL") -> dict:
    """Turn ``postgres://user:pw@host:port/name`` or ``sqlite:///path`` into a DATABASES entry.

    SQLite gets WAL, a busy timeout and IMMEDIATE transactions so that concurrent
    writers queue instead of failing with "database is locked" half way through.
    """
    parts = urlsplit(url)
    scheme = parts.scheme
    if scheme == "sqlite":
        path = unquote(parts.path)
        if path.startswith("/") and parts.netloc == "":
            path = path[1:] if path.startswith("//") else path
        if not path or path == "/":
            raise ConfigError(
                variable, "a sqlite URL needs a file path, e.g. sqlite:///var/onedata.db"
            )
        return sqlite_database(path)
    if scheme in ("postgres", "postgresql", "pgsql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ConfigError(variable, "a postgres URL needs a database name after the host")
        try:
            port = parts.port
        except ValueError:
            raise ConfigError(variable, "the port is not a number") from None
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": env_int(os.environ, "DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
            # One test database per process, so two test runs never share one.
            "TEST": {"NAME": f"test_{name}_{os.getpid()}"},
        }
    raise ConfigError(variable, f"unsupported scheme {scheme!r}; use postgres:// or sqlite:///")


def sqlite_database(path: str) -> dict:
    # Tests use a file too, not the shared-cache in-memory database, whose table locks
    # ignore the busy timeout: concurrency tests must see the engine the demo runs on.
    # The process id keeps two test runs in one checkout from sharing a database.
    test_path = path[: -len(".sqlite3")] if path.endswith(".sqlite3") else path
    test_path += f"-test-{os.getpid()}"
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "TEST": {"NAME": test_path + ".sqlite3"},
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=20000;PRAGMA foreign_keys=ON;"
            ),
        },
    }


def email_from_url(url: str, *, variable: str = "EMAIL_URL") -> dict:
    """``smtp://user:pw@host:587?starttls=1`` or ``smtps://…`` into Django EMAIL_* settings."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps", "console", "memory"):
        raise ConfigError(variable, f"unsupported scheme {parts.scheme!r}; use smtp://, smtps://")
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "memory":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if not parts.hostname:
        raise ConfigError(variable, "an smtp URL needs a host")
    try:
        port = parts.port
    except ValueError:
        raise ConfigError(variable, "the port is not a number") from None
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    starttls = env_bool(query, "starttls", False) if "starttls" in query else False
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": starttls,
        "EMAIL_TIMEOUT": 20,
    }


def redis_url(env: Mapping[str, str]) -> str | None:
    url = env.get("REDIS_URL", "").strip()
    if not url:
        return None
    if urlsplit(url).scheme not in ("redis", "rediss", "unix"):
        raise ConfigError("REDIS_URL", "expected redis://host:port/db or rediss://")
    return url


def environ() -> Mapping[str, str]:
    return os.environ
