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
