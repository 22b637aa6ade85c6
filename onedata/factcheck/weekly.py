"""The weekly hoax report: counts by week, topic, channel and regency, the most reported
rumours and the time from first report to verdict. Pure: plain rows in, plain dicts out."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median


@dataclass(frozen=True)
class ReportRow:
    created: date  # local (WITA) date of the report
    claim_id: int
    topic: str
    channel: str
    regency: str


@dataclass(frozen=True)
class ClaimRow:
    claim_id: int
    text: str
    first_reported: datetime | None
    verdict_at: datetime | None
    verdict: str


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def summarise(reports: list[ReportRow], claims: list[ClaimRow], *, top: int = 10) -> dict:
    by_week: Counter = Counter()
    new_claims_by_week: Counter = Counter()
    first_week: dict[int, date] = {}
    for row in sorted(reports, key=lambda r: r.created):
        week = week_start(row.created)
        by_week[week] += 1
        if row.claim_id not in first_week:
            first_week[row.claim_id] = week
            new_claims_by_week[week] += 1
    hours = [
        (c.verdict_at - c.first_reported).total_seconds() / 3600
        for c in claims
        if c.verdict_at and c.first_reported and c.verdict_at >= c.first_reported
    ]
    per_claim = Counter(r.claim_id for r in reports)
    texts = {c.claim_id: c for c in claims}
    weeks = sorted(by_week)
    return {
        "reports": len(reports),
        "claims": len(per_claim),
        "weeks": [
            {"week": w, "reports": by_week[w], "new_claims": new_claims_by_week[w]} for w in weeks
        ],
        "by_topic": Counter(r.topic for r in reports).most_common(),
        "by_channel": Counter(r.channel for r in reports).most_common(),
        "by_regency": Counter(r.regency for r in reports).most_common(),
        "most_reported": [
            {
                "claim_id": claim_id,
                "reports": count,
                "text": texts[claim_id].text if claim_id in texts else "",
                "verdict": texts[claim_id].verdict if claim_id in texts else "",
            }
            for claim_id, count in sorted(per_claim.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        ],
        "median_hours_to_verdict": round(median(hours), 1) if hours else None,
        "verdicts": len(hours),
    }
