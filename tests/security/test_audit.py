"""The dependency audit's own rules: exceptions expire, a known vulnerability fails."""

import datetime as dt

from security import audit

# The shape of `pip-audit --format json` (pip-audit 2.x).
REPORT_CLEAN = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]}
REPORT_VULNERABLE = {
    "dependencies": [
        {
            "name": "django",
            "version": "5.2.0",
            "vulns": [
                {"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"], "aliases": [], "description": ""}
            ],
        },
        {"name": "whitenoise", "version": "6.12.0", "vulns": []},
    ]
}
REPORT_NOTHING_AUDITED = {
    "dependencies": [
        {"name": "django", "version": "5.2.19", "skip_reason": "Dependency not found on PyPI"}
    ]
}


def test_clean_report_passes():
    lines, clean = audit.evaluate(REPORT_CLEAN)
    assert clean
    assert lines[-1] == "audit: 1 packages audited, 0 known vulnerabilities"


def test_known_vulnerability_fails_naming_package_and_id():
    lines, clean = audit.evaluate(REPORT_VULNERABLE)
    assert not clean
    assert "audit: django 5.2.0 has PYSEC-2025-1" in lines


def test_report_where_nothing_was_audited_is_not_clean():
    _, clean = audit.evaluate(REPORT_NOTHING_AUDITED)
    assert not clean


def test_exception_until_its_expiry_date(tmp_path, monkeypatch):
    ignores = tmp_path / "ignore.toml"
    ignores.write_text(
        '[[ignore]]\nid = "PYSEC-2025-1"\npackage = "django"\nreason = "not reachable"\n'
        "expires = 2027-01-31\n"
        '[[ignore]]\nid = "PYSEC-2024-9"\npackage = "old"\nreason = "x"\nexpires = 2026-01-01\n'
        '[[ignore]]\nid = "GHSA-no-reason"\npackage = "x"\nexpires = 2027-01-01\n'
    )
    monkeypatch.setattr(audit, "IGNORES", ignores)
    ids, problems = audit.accepted_ids(dt.date(2026, 12, 4))
    assert ids == {"PYSEC-2025-1"}
    assert any("PYSEC-2024-9" in p and "expired" in p for p in problems)
    assert any("GHSA-no-reason" in p and "reason" in p for p in problems)


def test_the_projects_exception_list_is_valid():
    _, problems = audit.accepted_ids(dt.date.today())
    assert problems == []
