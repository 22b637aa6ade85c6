"""Read queries that the publishing pages and API share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.template.defaultfilters import floatformat
from django.utils import timezone

from onedata.datahub import datastore
from onedata.datahub.models import Dataset, DataTable
from onedata.publishing import registry
from onedata.publishing.dashboard import Card, card_value
from onedata.publishing.models import PublicationStatus


@dataclass
class Lineage:
    publication: registry.Publication
    status: PublicationStatus | None

    @property
    def dataset(self) -> Dataset | None:
        return self.status.dataset if self.status else None

    @property
    def frequency_label(self) -> str:
        return str(Dataset.Frequency(self.publication.frequency).label)


def lineages() -> list[Lineage]:
    statuses = {s.name: s for s in PublicationStatus.objects.select_related("dataset", "resource")}
    return [Lineage(p, statuses.get(p.name)) for p in registry.all_publications()]


def lineage_for(dataset: Dataset) -> Lineage | None:
    status = PublicationStatus.objects.filter(dataset=dataset).first()
    if status is None:
        return None
    publication = registry.get_publication(status.name)
    return Lineage(publication, status) if publication else None


def lineage_dict(lineage: Lineage, *, with_errors: bool) -> dict:
    p, s = lineage.publication, lineage.status
    return {
        "name": p.name,
        "title": p.title,
        "module": p.module,
        "query": p.query,
        "producer": p.producer,
        "steward": p.steward,
        "frequency": p.frequency,
        "columns": [
            {"name": c.name, "type": c.type, "description": c.description, "unit": c.unit}
            for c in p.columns
        ],
        "dataset": s.dataset.name if s and s.dataset else None,
        "last_refreshed": s.last_success_at.isoformat() if s and s.last_success_at else None,
        "last_attempt": s.last_attempt_at.isoformat() if s and s.last_attempt_at else None,
        "version": s.last_version if s else 0,
        "rows": s.last_rows if s else 0,
        "broken": bool(s and s.failures),
        "failures": s.failures if s else 0,
        "last_error": (s.last_error if s and with_errors else None),
        "last_error_at": s.last_error_at.isoformat() if s and s.last_error_at else None,
    }


def published_rows(status: PublicationStatus | None) -> list[dict]:
    """The rows of the live (last good) version of a publication's table."""
    if status is None or status.resource_id is None:
        return []
    table = DataTable.objects.filter(resource_id=status.resource_id).first()
    if table is None or table.generation == 0:
        return []
    result = datastore.search(table, limit=datastore.MAX_LIMIT, include_total=False)
    return result.records


@dataclass
class CardView:
    card: Card
    title: str
    value: float | None
    period: object  # a date, an aware datetime, or the text of the period (a year, …)
    dataset: str | None
    refreshed_at: object

    @property
    def display(self) -> str:
        """The figure in the reader's number format: whole for large values."""
        if self.value is None:
            return ""
        return floatformat(self.value, "0g" if abs(self.value) >= 100 else "-1g")

    @property
    def period_kind(self) -> str:
        if isinstance(self.period, datetime):
            return "datetime"
        if isinstance(self.period, date):
            return "date"
        return "text"


def _period(text: str):
    """The period a card's figure belongs to, as a date or time when it reads as one."""
    if len(text) == 10:
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    if len(text) > 10:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return text
        return moment if moment.tzinfo else timezone.make_aware(moment)
    return text


def dashboard_cards(cards: list[Card]) -> list[CardView]:
    statuses = {
        s.name: s
        for s in PublicationStatus.objects.select_related("dataset").filter(
            name__in={c.publication for c in cards}
        )
    }
    rows_by_name: dict[str, list[dict]] = {}
    views = []
    for card in cards:
        status = statuses.get(card.publication)
        if card.publication not in rows_by_name:
            rows_by_name[card.publication] = published_rows(status)
        value, period = card_value(card, rows_by_name[card.publication])
        views.append(
            CardView(
                card=card,
                title=str(card.title),
                value=value,
                period=_period(period),
                dataset=status.dataset.name if status and status.dataset else None,
                refreshed_at=status.last_success_at if status else None,
            )
        )
    return views
