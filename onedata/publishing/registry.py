"""What a module publishes to the data hub: the contract between a module and One Data.

A module declares its open datasets in ``onedata/<app>/publishers.py`` as a list named
``PUBLICATIONS`` of :class:`Publication`. Each one names its catalogue metadata, its data
dictionary (:class:`Column`) and a ``produce(now)`` function that returns the table as
rows (dicts keyed by the column names, in any order; missing keys become empty cells).

``produce`` reads the module's own models (the module owns its query) and must return
aggregates only: no names, NIK, NIP, phone numbers, e-mail addresses, photos or exact home
locations. Counts of people are listed in ``person_count_columns``; the framework blanks
every such cell between 1 and ``SUPPRESS_BELOW - 1`` before anything is stored, so a
small count never leaves the module even if ``produce`` forgot.

Nothing here touches the database: the refresh service (``publishing.services``) turns a
Publication into a dataset version in the hub, through the same ingestion path as uploads.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

# Counts of people from 1 to SUPPRESS_BELOW - 1 are blanked (statistical disclosure
# control: BPS and most statistics offices suppress cells under 3 to 10; 5 is common).
SUPPRESS_BELOW = 5

COLUMN_TYPES = ("text", "integer", "number", "date", "datetime", "boolean")
FREQUENCIES = ("hourly", "daily", "weekly", "monthly", "quarterly", "yearly")


@dataclass(frozen=True)
class Column:
    """One column of a published table, with its data dictionary entry."""

    name: str  # snake_case, the header in the CSV and the DataStore field id
    type: str  # one of COLUMN_TYPES
    description: str  # Indonesian first: what the value is, how it was computed
    unit: str = ""  # e.g. "m3", "jam", "orang", "rupiah"

    def __post_init__(self):
        if self.type not in COLUMN_TYPES:
            raise ValueError(f"column {self.name}: type {self.type!r} not in {COLUMN_TYPES}")


@dataclass(frozen=True)
class Publication:
    """An open dataset a module produces from its own data on a schedule."""

    name: str  # the dataset's address in the hub, e.g. "rs-oksigen-harian"
    title: str
    description: str
    module: str  # app label of the producing module, e.g. "hospitals"
    producer: str  # slug of the producing agency (organisation in the hub), e.g. "dinkes-bali"
    frequency: str  # one of FREQUENCIES: how often the scheduler refreshes it
    columns: tuple[Column, ...]
    produce: Callable[[datetime], Iterable[Mapping]]
    steward: str = "diskominfos"  # slug of the steward agency (walidata)
    person_count_columns: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()  # names of hub groups (themes); created when missing
    license_id: str = "cc-by-4.0"
    concept: str = ""
    definition: str = ""
    classification: str = ""
    unit: str = ""
    reference_code: str = ""
    is_priority: bool = False
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.frequency not in FREQUENCIES:
            raise ValueError(f"{self.name}: frequency {self.frequency!r} not in {FREQUENCIES}")
        names = [column.name for column in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: duplicate column names")
        unknown = set(self.person_count_columns) - set(names)
        if unknown:
            raise ValueError(f"{self.name}: person_count_columns not in columns: {unknown}")

    @property
    def query(self) -> str:
        """Where the table comes from, for the lineage shown on the dataset page."""
        name = getattr(self.produce, "__qualname__", type(self.produce).__qualname__)
        return f"{self.produce.__module__}.{name}"

    def table(self, now: datetime) -> list[dict]:
        """The rows as published: only declared columns, small person counts blanked."""
        return suppress_small_counts(
            [
                {column.name: row.get(column.name) for column in self.columns}
                for row in self.produce(now)
            ],
            self.person_count_columns,
        )


def suppress_small_counts(
    rows: list[dict], columns: Iterable[str], below: int = SUPPRESS_BELOW
) -> list[dict]:
    """Blank (None) every count in ``columns`` that is at least 1 and under ``below``."""
    columns = tuple(columns)
    for row in rows:
        for name in columns:
            value = row.get(name)
            if isinstance(value, int | float) and 0 < value < below:
                row[name] = None
    return rows


# Modules that may publish; a module without a publishers.py simply publishes nothing.
PUBLISHING_MODULES = (
    "core",
    "datahub",
    "hospitals",
    "clinics",
    "attendance",
    "notifications",
    "villagefinance",
    "factcheck",
)


def all_publications() -> list[Publication]:
    """Every module's PUBLICATIONS, in module order."""
    found: list[Publication] = []
    for module in PUBLISHING_MODULES:
        try:
            publishers = importlib.import_module(f"onedata.{module}.publishers")
        except ModuleNotFoundError as error:
            if error.name != f"onedata.{module}.publishers":
                raise
            continue
        found.extend(publishers.PUBLICATIONS)
    return found


def get_publication(name: str) -> Publication | None:
    return next((p for p in all_publications() if p.name == name), None)
