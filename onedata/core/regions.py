"""Loading the official region tree from a CSV file (code, name, level, parent_code)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from onedata.core.errors import ValidationError
from onedata.core.models import Region

BALI_REGIONS_CSV = Path(__file__).parent / "data" / "bali_regions.csv"
LEVELS = ("province", "regency", "district", "village")


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def check_rows(rows: Iterable[dict[str, str]], known_codes: set[str]) -> list[dict[str, str]]:
    """Validate rows; parents must come from the file or the database. Pure, no writes."""
    rows = list(rows)
    codes = {row.get("code", "").strip() for row in rows}
    problems: dict[str, list[str]] = {}
    for number, row in enumerate(rows, start=2):
        code = (row.get("code") or "").strip()
        level = (row.get("level") or "").strip()
        parent = (row.get("parent_code") or "").strip()
        where = f"line {number}"
        if not code or not (row.get("name") or "").strip():
            problems.setdefault(where, []).append("code and name are required")
        if level not in LEVELS:
            problems.setdefault(where, []).append(f"level {level!r} is not one of {LEVELS}")
        if level != "province" and parent not in codes and parent not in known_codes:
            problems.setdefault(where, []).append(f"parent_code {parent!r} is unknown")
        if parent and not code.startswith(parent + "."):
            problems.setdefault(where, []).append(f"code {code} does not lie under {parent}")
    if problems:
        raise ValidationError(_("The region file has errors."), fields=problems)
    # Parents before children: codes with fewer dots first.
    return sorted(rows, key=lambda row: (row["code"].count("."), row["code"]))


@transaction.atomic
def regions_load(*, path: Path = BALI_REGIONS_CSV) -> int:
    """Insert or update every region in the file; returns how many rows it holds.

    Idempotent: loading the same file twice changes nothing.
    """
    existing = {region.code: region for region in Region.objects.all()}
    rows = check_rows(read_rows(path), set(existing))
    for row in rows:
        code = row["code"].strip()
        parent_code = (row.get("parent_code") or "").strip()
        values = {
            "name": row["name"].strip(),
            "level": row["level"].strip(),
            "parent": existing.get(parent_code) if parent_code else None,
        }
        region = existing.get(code)
        if region is None:
            region = Region.objects.create(code=code, **values)
            existing[code] = region
        elif any(getattr(region, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(region, key, value)
            region.save(update_fields=list(values))
    return len(rows)


DISTRICT_CODES_KEY = "core:district-codes"


def known_district_codes() -> frozenset[str]:
    """The district codes a NIK may start with; cached, since every booking checks one.

    The region tree changes a few times a year (``regions_load``); any save or delete of a
    region drops the cached set, in every process that shares the cache.
    """
    codes = cache.get(DISTRICT_CODES_KEY)
    if codes is None:
        codes = frozenset(
            Region.objects.filter(level=Region.Level.DISTRICT).values_list("code", flat=True)
        )
        cache.set(DISTRICT_CODES_KEY, codes, timeout=24 * 3600)
    return codes


@receiver(post_save, sender=Region)
@receiver(post_delete, sender=Region)
def _forget_district_codes(**_kwargs) -> None:
    # After commit: a reader between the write and the commit would cache the old set.
    transaction.on_commit(lambda: cache.delete(DISTRICT_CODES_KEY))
    cache.delete(DISTRICT_CODES_KEY)
