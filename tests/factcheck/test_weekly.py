"""The weekly hoax report's arithmetic, with hand-computed cases."""

from datetime import UTC, date, datetime

from onedata.factcheck import claimreview, weekly


def _row(day, claim, topic="COVID-19", channel="WhatsApp", regency="Denpasar"):
    return weekly.ReportRow(date(2026, 11, day), claim, topic, channel, regency)


def test_reports_and_new_rumours_per_week_start_on_monday():
    rows = [_row(23, 1), _row(24, 1), _row(29, 2), _row(30, 1), _row(30, 3, channel="SMS")]
    summary = weekly.summarise(rows, [])
    # 23-29 Nov 2026 is one week (Monday 23rd); the 30th starts the next.
    assert summary["weeks"] == [
        {"week": date(2026, 11, 23), "reports": 3, "new_claims": 2},
        {"week": date(2026, 11, 30), "reports": 2, "new_claims": 1},
    ]
    assert summary["by_channel"] == [("WhatsApp", 4), ("SMS", 1)]
    assert summary["claims"] == 3 and summary["reports"] == 5


def test_most_reported_rumours_and_median_hours_to_verdict():
    rows = [_row(23, 1), _row(23, 1), _row(24, 2)]
    claims = [
        weekly.ClaimRow(
            1,
            "a",
            datetime(2026, 11, 23, 0, tzinfo=UTC),
            datetime(2026, 11, 23, 10, tzinfo=UTC),
            "HOAKS",
        ),
        weekly.ClaimRow(
            2,
            "b",
            datetime(2026, 11, 24, 0, tzinfo=UTC),
            datetime(2026, 11, 24, 20, tzinfo=UTC),
            "SALAH",
        ),
    ]
    summary = weekly.summarise(rows, claims)
    assert [(m["claim_id"], m["reports"]) for m in summary["most_reported"]] == [(1, 2), (2, 1)]
    assert summary["median_hours_to_verdict"] == 15.0


def test_no_verdict_yet_gives_no_median():
    assert weekly.summarise([_row(23, 1)], [])["median_hours_to_verdict"] is None


def test_claimreview_problems_name_what_is_missing():
    data = claimreview.build(
        url="https://x.id/c/1",
        claim="k",
        verdict="HOAKS",
        rating=1,
        published=datetime(2026, 1, 1, tzinfo=UTC),
        organisation="O",
        organisation_url="https://x.id",
        first_appearance="https://fb.com/p/1",
        first_seen=datetime(2025, 12, 30, tzinfo=UTC),
    )
    assert claimreview.problems(data) == []
    assert data["itemReviewed"]["firstAppearance"]["url"] == "https://fb.com/p/1"
    assert data["itemReviewed"]["datePublished"] == "2025-12-30"
    del data["reviewRating"]["alternateName"]
    data["reviewRating"]["ratingValue"] = 9
    assert claimreview.problems(data) == [
        "reviewRating.alternateName missing",
        "reviewRating.ratingValue out of range",
    ]
