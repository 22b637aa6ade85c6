"""Dependency audit for CI: pip-audit over requirements.lock, with expiring exceptions.

Exit 0: no known vulnerability (or only accepted ones, not expired).
Exit 1: a known vulnerability, an expired exception, or a malformed exception.
Exit 0 with a NOT AUDITED notice: no vulnerability service could be reached from this
machine (its network reaches package registries only); the audit then proves nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
IGNORES = ROOT / "security" / "audit-ignore.toml"


def accepted_ids(today: dt.date) -> tuple[set[str], list[str]]:
    problems, ids = [], set()
    for entry in tomllib.loads(IGNORES.read_text()).get("ignore", []):
        missing = {"id", "package", "reason", "expires"} - set(entry)
        if missing:
            problems.append(f"exception {entry.get('id', '?')} lacks {sorted(missing)}")
            continue
        if not isinstance(entry["expires"], dt.date) or entry["expires"] < today:
            problems.append(
                f"exception {entry['id']} ({entry['package']}) expired "
                f"on {entry['expires']}: look at it again"
            )
            continue
        ids.add(entry["id"])
    return ids, problems


def evaluate(report: dict) -> tuple[list[str], bool]:
    """Read pip-audit's JSON report: the lines to print, and whether anything was audited."""
    dependencies = report.get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    found = [(d["name"], d["version"], v["id"]) for d in audited for v in d.get("vulns", [])]
    lines = [f"audit: {name} {version} has {vuln_id}" for name, version, vuln_id in found]
    lines.append(f"audit: {len(audited)} packages audited, {len(found)} known vulnerabilities")
    return lines, bool(audited) and not found


def main() -> int:
    ids, problems = accepted_ids(dt.date.today())
    for problem in problems:
        print(f"audit: {problem}")
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "-r",
        str(LOCK),
        "--no-deps",
        "--disable-pip",
        "--progress-spinner",
        "off",
        "--format",
        "json",
        "--timeout",
        "20",
    ]
    for vuln_id in sorted(ids):
        command += ["--ignore-vuln", vuln_id]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)  # noqa: S603
    try:
        report = json.loads(result.stdout or "{}")
    except json.JSONDecodeError:
        report = {}
    if not any("skip_reason" not in d for d in report.get("dependencies", [])):
        reason = (result.stderr.strip().splitlines() or ["no answer"])[-1][:300]
        print(f"audit: NOT AUDITED: no vulnerability service answered ({reason}).")
        return 1 if problems else 0
    lines, clean = evaluate(report)
    print("\n".join(lines))
    return 0 if clean and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
