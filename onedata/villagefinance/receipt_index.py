"""Finding earlier receipts whose perceptual hash is near a new one.

``near`` asks the database for the receipts sharing at least one hash band with the
query (one indexed equality per band, ORed) and keeps those within
``imagehash.DUPLICATE_DISTANCE`` bits: by pigeonhole it misses none. ``near_by_scan`` is
the plain version that reads every hash of the scope; it stays as the reference that the
tests and ``bench/villagefinance.py`` compare the index against.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q

from onedata.villagefinance import imagehash
from onedata.villagefinance.models import Receipt


def _scope(desa_id: int | None):
    receipts = Receipt.objects.all()
    return receipts if desa_id is None else receipts.filter(desa_adat_id=desa_id)


def near(phash: str, *, desa_id: int | None = None) -> list[int]:
    """Ids of the receipts (of one village, or all) within the duplicate distance, oldest
    first."""
    if not phash:
        return []
    match = reduce(
        or_, (Q(**{name: value}) for name, value in imagehash.band_values(phash).items())
    )
    candidates = _scope(desa_id).filter(match).values_list("pk", "phash")
    return sorted(pk for pk, other in candidates if imagehash.is_duplicate(phash, other))


def near_by_scan(phash: str, *, desa_id: int | None = None) -> list[int]:
    """The same answer by reading every hash of the scope (the reference)."""
    if not phash:
        return []
    hashes = _scope(desa_id).exclude(phash="").values_list("pk", "phash")
    return sorted(
        pk for pk, other in hashes.iterator(chunk_size=5000) if imagehash.is_duplicate(phash, other)
    )
