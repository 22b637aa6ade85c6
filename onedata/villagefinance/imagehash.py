"""Perceptual hash of receipt photos (difference hash, 256 bits), to flag the same
receipt uploaded twice even after re-compression or resizing. Pillow only, no Django.

Receipts are mostly white paper with a little text, so the classic 64-bit hash puts
different receipts of one shop a few bits apart; 16 x 16 after auto-contrast keeps them
well apart (13+ bits in our fixtures) while a re-compressed, resized copy stays within 6.
"""

from __future__ import annotations

import io

from PIL import Image, ImageOps

HASH_SIZE = 16
DUPLICATE_DISTANCE = 10  # of 256 bits: same picture, different JPEG or size


def dhash(data: bytes) -> str:
    """64 hex digits: for each row, whether each pixel is brighter than its right neighbour."""
    with Image.open(io.BytesIO(data)) as image:
        image = ImageOps.exif_transpose(image)
        small = ImageOps.autocontrast(image.convert("L")).resize(
            (HASH_SIZE + 1, HASH_SIZE), Image.Resampling.LANCZOS
        )
        pixels = list(small.tobytes())
    bits = 0
    for row in range(HASH_SIZE):
        for col in range(HASH_SIZE):
            left = pixels[row * (HASH_SIZE + 1) + col]
            right = pixels[row * (HASH_SIZE + 1) + col + 1]
            bits = (bits << 1) | (1 if left > right else 0)
    return f"{bits:064x}"


def distance(first: str, second: str) -> int:
    return (int(first, 16) ^ int(second, 16)).bit_count()


def is_duplicate(first: str, second: str) -> bool:
    return bool(first and second) and distance(first, second) <= DUPLICATE_DISTANCE


# --- multi-index hashing -------------------------------------------------------------------
# By pigeonhole, two 256-bit hashes at most DUPLICATE_DISTANCE bits apart agree exactly on
# at least one of DUPLICATE_DISTANCE + 1 disjoint bands. Each band is stored in its own
# indexed column, so the near-duplicate search is a few index lookups for candidates that
# share a band, verified here with the full distance, instead of reading every hash.

BITS = HASH_SIZE * HASH_SIZE
BAND_COUNT = DUPLICATE_DISTANCE + 1
BAND_FIELDS = tuple(f"phash_b{n}" for n in range(BAND_COUNT))


def _band_widths() -> list[int]:
    base, extra = divmod(BITS, BAND_COUNT)
    return [base + 1 if n < extra else base for n in range(BAND_COUNT)]


BAND_WIDTHS = tuple(_band_widths())  # 24 bits at most: fits a 32-bit integer column


def bands(phash: str) -> tuple[int, ...]:
    """The hash cut into BAND_COUNT integers, most significant bits first."""
    value = int(phash, 16)
    out = []
    shift = BITS
    for width in BAND_WIDTHS:
        shift -= width
        out.append((value >> shift) & ((1 << width) - 1))
    return tuple(out)


def band_values(phash: str) -> dict[str, int | None]:
    """The band columns of a receipt (all empty when it has no hash)."""
    if not phash:
        return dict.fromkeys(BAND_FIELDS)
    return dict(zip(BAND_FIELDS, bands(phash), strict=True))
