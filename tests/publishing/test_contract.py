"""The publisher contract and the pure parts: suppression, due times, dashboard figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from onedata.publishing import due
from onedata.publishing.dashboard import Card, card_value, latest_rows
from onedata.publishing.registry import Column, Publication, suppress_small_counts

WITA = ZoneInfo("Asia/Makassar")


def _publication(**overrides):
    fields = dict(
        name="contoh",
        title="Contoh",
        description="",
        module="core",
        producer="diskominfos",
        frequency="daily",
        columns=(Column("kantor", "text", "Kantor"), Column("hadir", "integer", "Hadir", "orang")),
        produce=lambda now: [
            {"kantor": "A", "hadir": 3, "nama": "Made"},
            {"kantor": "B", "hadir": 12},
            {"kantor": "C", "hadir": 0},
            {"kantor": "D"},
        ],
        person_count_columns=("hadir",),
    )
    fields.update(overrides)
    return Publication(**fields)


def test_table_keeps_declared_columns_and_blanks_small_counts():
    rows = _publication().table(datetime(2026, 12, 1, tzinfo=UTC))
    assert rows == [
        {"kantor": "A", "hadir": None},  # 3 people: blanked; the undeclared name dropped
        {"kantor": "B", "hadir": 12},
        {"kantor": "C", "hadir": 0},
        {"kantor": "D", "hadir": None},
    ]


def test_suppression_threshold_is_five_by_default():
    rows = suppress_small_counts([{"n": v} for v in (0, 1, 4, 5, 4.5)], ["n"])
    assert [r["n"] for r in rows] == [0, None, None, 5, None]


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"frequency": "fortnightly"}, "frequency"),
        ({"person_count_columns": ("absen",)}, "person_count_columns"),
        ({"columns": (Column("a", "text", ""), Column("a", "text", ""))}, "duplicate"),
    ],
)
def test_a_bad_declaration_fails_at_import(overrides, message):
    with pytest.raises(ValueError, match=message):
        _publication(**overrides)


def test_a_column_type_must_be_known():
    with pytest.raises(ValueError, match="type"):
        Column("a", "money", "")


def test_query_names_the_producing_function():
    from onedata.core.publishers import PUBLICATIONS

    assert PUBLICATIONS[0].query == "onedata.core.publishers.produce_regions"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=WITA)


@pytest.mark.parametrize(
    "frequency, last, now, expected",
    [
        ("hourly", "2026-12-01 09:05", "2026-12-01 09:55", False),
        ("hourly", "2026-12-01 09:05", "2026-12-01 10:00", True),
        ("daily", "2026-12-01 00:10", "2026-12-01 23:59", False),
        ("daily", "2026-12-01 23:59", "2026-12-02 00:00", True),  # the province's midnight
        ("weekly", "2026-11-30 08:00", "2026-12-06 20:00", False),  # Monday to Sunday
        ("weekly", "2026-11-30 08:00", "2026-12-07 00:01", True),
        ("monthly", "2026-12-01 00:05", "2026-12-31 23:00", False),
        ("monthly", "2026-12-31 23:00", "2027-01-01 00:05", True),
    ],
)
def test_due_once_per_calendar_period(frequency, last, now, expected):
    assert (
        due.is_due(frequency, at(now), last_success=at(last), last_attempt=at(last), tz=WITA)
        is expected
    )


def test_never_refreshed_is_due():
    assert due.is_due(
        "monthly", at("2026-12-01 00:00"), last_success=None, last_attempt=None, tz=WITA
    )


def test_after_a_failure_wait_before_trying_again():
    ok, failed = at("2026-12-01 08:00"), at("2026-12-01 09:00")
    kwargs = dict(last_success=ok, last_attempt=failed, tz=WITA)
    assert not due.is_due("hourly", failed + timedelta(minutes=10), **kwargs)
    assert due.is_due("hourly", failed + due.RETRY_AFTER, **kwargs)


ROWS = [
    {"tanggal": "2026-12-01", "rs": "A", "jam": 30.0, "bebas": 4},
    {"tanggal": "2026-12-02", "rs": "A", "jam": 20.0, "bebas": 5},
    {"tanggal": "2026-12-02", "rs": "B", "jam": 50.0, "bebas": None},
    {"tanggal": "2026-12-02", "rs": "C", "jam": "", "bebas": 7},
]


def test_latest_rows_are_the_last_period():
    assert [r["rs"] for r in latest_rows(ROWS, "tanggal")] == ["A", "B", "C"]


@pytest.mark.parametrize(
    "card, expected",
    [
        (Card("k", "t", "p", "jam", "min", latest_by="tanggal"), 20.0),
        (Card("k", "t", "p", "jam", "avg", latest_by="tanggal"), 35.0),
        (Card("k", "t", "p", "bebas", "sum", latest_by="tanggal"), 12.0),
        (Card("k", "t", "p", "bebas", "sum"), 16.0),
        (Card("k", "t", "p", "rs", "count", filter=(("rs", "A"),)), 2.0),
        (Card("k", "t", "p", "rs", "distinct"), 3.0),
        (
            Card("k", "t", "p", "bebas", "share", total_column="jam", latest_by="tanggal"),
            12 / 70 * 100,
        ),
    ],
)
def test_card_values(card, expected):
    value, _period = card_value(card, ROWS)
    assert value == pytest.approx(expected)


def test_card_without_numbers_shows_nothing():
    assert card_value(Card("k", "t", "p", "jam", "sum"), []) == (None, "")
