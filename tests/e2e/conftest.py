"""Browser tests: Playwright for Python (sync API) driving Debian's Chromium against
pytest-django's ``live_server``.

No browser is ever downloaded: the tests use the Chromium at ``/usr/bin/chromium``
(``apt-get install chromium``; another binary can be named with ``ONEDATA_CHROMIUM``).
Without it, or without Playwright, every browser test is skipped and the run says so
in its header and summary. With ``ONEDATA_REQUIRE_BROWSER=1`` (CI) they fail instead:
a browser that cannot start is an error there, never a skip.

``ONEDATA_SCREENSHOT_DIR=path`` makes ``test_screenshots_*`` write PNGs for people to
look at; without it nothing is written.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("ONEDATA_CHROMIUM") or "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REQUIRE_BROWSER = os.environ.get("ONEDATA_REQUIRE_BROWSER", "").strip().lower() in {
    "1",
    "true",
    "yes",
    "on",
}
# Asset kinds whose failure to load (4xx/5xx) breaks a page.
ASSET_TYPES = {"stylesheet", "script", "image", "font"}


def _find_problem() -> str | None:
    """Why no browser test can run here, or None when Playwright and Chromium are present."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return f"Playwright for Python cannot be imported ({error}); pip install -e '.[dev]'"
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)"
    return None


# Filled in when the browser fixture finds out more (a binary that is there but won't start).
_state: dict[str, str | None] = {"problem": _find_problem(), "version": None}


def _unavailable(reason: str):
    _state["problem"] = reason
    if REQUIRE_BROWSER:
        pytest.fail(f"ONEDATA_REQUIRE_BROWSER=1 and the browser cannot start: {reason}", False)
    pytest.skip(f"browser tests skipped: {reason}")


def _screenshot_dir() -> Path | None:
    value = os.environ.get("ONEDATA_SCREENSHOT_DIR", "").strip()
    return Path(value) if value else None


# --- reporting ----------------------------------------------------------------------------


def pytest_report_header(config):
    # Shown when this conftest loads before collection (pytest tests/e2e); the summary
    # below is printed in every case.
    problem = _state["problem"]
    if problem is None:
        return f"e2e browser: Chromium at {CHROMIUM}"
    then = "the e2e tests will FAIL" if REQUIRE_BROWSER else "the e2e tests will be SKIPPED"
    return f"e2e browser: NOT AVAILABLE, {problem}; {then}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if (
        REQUIRE_BROWSER
        and report.skipped
        and item.get_closest_marker("e2e") is not None
        and not hasattr(report, "wasxfail")
    ):
        # CI must never mistake "no browser" for "all green".
        report.outcome = "failed"
        report.longrepr = (
            f"ONEDATA_REQUIRE_BROWSER=1 forbids skipping a browser test: {report.longrepr}"
        )
    return report


def _is_e2e(report) -> bool:
    return "e2e" in getattr(report, "keywords", {})


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    stats = terminalreporter.stats
    skipped = [r for r in stats.get("skipped", []) if _is_e2e(r)]
    ran = [
        r
        for key in ("passed", "failed")
        for r in stats.get(key, [])
        if _is_e2e(r) and r.when == "call"
    ]
    if not skipped and not ran:
        return
    terminalreporter.write_sep("-", "e2e browser tests")
    if skipped:
        reason = _state["problem"] or "see the skip reasons above"
        terminalreporter.write_line(
            f"NOTICE: {len(skipped)} browser test(s) SKIPPED: {reason}. "
            "Install Debian's chromium to run them; ONEDATA_REQUIRE_BROWSER=1 makes this a "
            "failure.",
            yellow=True,
            bold=True,
        )
    if ran:
        version = f" {_state['version']}" if _state["version"] else ""
        terminalreporter.write_line(
            f"{len(ran)} browser test(s) ran in Chromium{version} ({CHROMIUM})"
        )
        shots = _screenshot_dir()
        if shots is not None:
            terminalreporter.write_line(f"screenshots: {shots.resolve()}")


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def _async_unsafe_allowed():
    """Playwright's sync API leaves an asyncio loop marked as running in this thread
    between its calls, so Django would refuse ORM calls in the tests and in the database
    flush after each one (SynchronousOnlyOperation). Nothing here runs concurrently:
    allow it for as long as the browser lives, and not a moment longer."""
    patch = pytest.MonkeyPatch()
    patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    yield
    patch.undo()


@pytest.fixture(scope="module")
def browser(_async_unsafe_allowed):
    if _state["problem"] is not None:
        _unavailable(_state["problem"])
    from playwright.sync_api import Error, sync_playwright

    try:
        playwright = sync_playwright().start()
    except Exception as error:  # the driver is a separate program; anything can go wrong
        _unavailable(f"Playwright's driver did not start: {error}")
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS, timeout=60_000
        )
    except Error as error:
        playwright.stop()
        lines = [line for line in error.message.splitlines() if line.strip()]
        tail = " | ".join(lines[1:][-4:])[-800:]  # the browser's last words, if any
        _unavailable(f"Chromium at {CHROMIUM} did not start: {lines[0]} {tail}".strip())
    _state["version"] = chromium.version
    yield chromium
    chromium.close()
    playwright.stop()


# CREATE TRIGGER statements taken out of the way of the flush, to be put back.
_dropped_triggers: dict[str, str] = {}


def _restore_triggers(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _dropped_triggers.values():
            cursor.execute(sql.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))
    _dropped_triggers.clear()


@pytest.fixture(scope="module")
def _triggers_restored_at_end(django_db_blocker, _async_unsafe_allowed):
    yield
    if _dropped_triggers:
        from django.db import connection

        with django_db_blocker.unblock():
            _restore_triggers(connection)


@pytest.fixture
def _flushable_database(transactional_db, _triggers_restored_at_end):
    """Let the live-server tests' flush empty append-only tables on SQLite.

    After a test that uses the live server, pytest-django empties every table (``flush``).
    On PostgreSQL that is a TRUNCATE, which row triggers ignore; on SQLite it is a DELETE,
    which the audit log's append-only trigger refuses ("audit events are append-only").
    So the test runs with the triggers in place, they step aside for the flush, and come
    back before the next test (and at the end of the module).
    """
    from django.db import connection

    if connection.vendor == "sqlite":
        _restore_triggers(connection)
    yield
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE ?",
            ["%BEFORE DELETE%"],
        )
        for name, sql in cursor.fetchall():
            _dropped_triggers[name] = sql
            cursor.execute(f'DROP TRIGGER "{name}"')


@pytest.fixture
def _empty_cache():
    """Start from an empty cache. With REDIS_URL the login lock-out and API rate counters
    live there and outlast the database flush: failed logins of earlier tests (or runs)
    within the lock-out window would lock these tests out."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def new_page(browser, live_server, _flushable_database, _empty_cache):
    """Open a page in a fresh browser context (own cookies) on the live server.

    The context speaks Indonesian (the site's first language) unless told otherwise.
    Uncaught script errors and assets that fail to load fail the test at teardown.
    """
    contexts = []
    problems: list[str] = []

    def open_page(*, width: int = 1280, height: int = 800, locale: str = "id-ID"):
        context = browser.new_context(
            base_url=live_server.url,
            locale=locale,
            viewport={"width": width, "height": height},
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        page.on(
            "response",
            lambda response: (
                response.status >= 400
                and response.request.resource_type in ASSET_TYPES
                and problems.append(f"{response.status} for {response.url}")
            ),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, "the browser saw broken pages:\n" + "\n".join(problems)


@pytest.fixture
def page(new_page):
    """A desktop-sized page in Indonesian."""
    return new_page()


@pytest.fixture
def screenshot_dir() -> Path | None:
    """Where to write screenshots, or None (then nothing is written)."""
    path = _screenshot_dir()
    if path is not None:
        path.mkdir(parents=True, exist_ok=True)
    return path
