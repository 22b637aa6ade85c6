"""Receipt photos: checked and cleaned, duplicates flagged by perceptual hash."""

import io

import pytest
from PIL import Image

from onedata.core.errors import ValidationError
from onedata.villagefinance import imagehash, services

from .conftest import photo


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_receipt_is_stored_without_exif_under_a_random_name(village, treasurer):
    image = Image.open(io.BytesIO(photo(1)))
    exif = Image.Exif()
    exif[0x010F] = "Phone maker"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    upload = io.BytesIO(out.getvalue())
    upload.name = "../../kwitansi.jpg"
    receipt = services.receipt_store(actor=treasurer, desa=village, upload=upload)
    assert receipt.path.startswith("villagefinance/receipts/") and "kwitansi" not in receipt.path
    assert receipt.original_name == "kwitansi.jpg"
    with services.receipt_open(receipt) as fp:
        assert not Image.open(fp).getexif()
    assert receipt.duplicate_of is None


def test_the_same_receipt_resized_and_recompressed_is_flagged(village, treasurer):
    first = services.receipt_store(actor=treasurer, desa=village, upload=photo(1))
    image = Image.open(io.BytesIO(photo(1))).resize((300, 450))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=60)
    second = services.receipt_store(actor=treasurer, desa=village, upload=out.getvalue())
    third = services.receipt_store(actor=treasurer, desa=village, upload=photo(7))
    assert second.duplicate_of == first
    assert third.duplicate_of is None


def test_hash_distance_separates_different_pictures():
    assert imagehash.distance(imagehash.dhash(photo(1)), imagehash.dhash(photo(1))) == 0
    assert not imagehash.is_duplicate(imagehash.dhash(photo(1)), imagehash.dhash(photo(7)))


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.4 not an image", b"just text", b""],
)
def test_a_file_that_is_not_an_image_is_refused_naming_the_field(village, treasurer, data):
    with pytest.raises(ValidationError) as caught:
        services.receipt_store(actor=treasurer, desa=village, upload=data)
    assert "receipt" in caught.value.fields


def test_a_decompression_bomb_is_refused(village, treasurer):
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")
    with pytest.raises(ValidationError) as caught:
        services.receipt_store(actor=treasurer, desa=village, upload=out.getvalue())
    assert "megapixel" in caught.value.message or "piksel" in caught.value.message


@pytest.mark.skipif(not services.ocr_available(), reason="tesseract is not installed")
def test_ocr_proposes_date_and_total_from_a_clear_receipt(village, treasurer):
    from datetime import date

    from PIL import ImageDraw, ImageFont

    image = Image.new("RGB", (900, 500), "white")
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 36)
    except OSError:
        font = ImageFont.load_default(size=36)
    for i, text in enumerate(["TOKO CANANG", "Tgl 14/03/2025", "Dupa 45.000", "TOTAL 145.000"]):
        draw.text((40, 40 + i * 90), text, fill="black", font=font)
    out = io.BytesIO()
    image.save(out, "PNG")
    receipt = services.receipt_store(actor=treasurer, desa=village, upload=out.getvalue())
    proposal = services.receipt_read(receipt=receipt, today=date(2025, 12, 31))
    assert proposal.total == 145_000
    assert proposal.date == date(2025, 3, 14)


def _flip(phash: str, bits: list[int]) -> str:
    value = int(phash, 16)
    for bit in bits:
        value ^= 1 << bit
    return f"{value:064x}"


def _receipt(village, phash: str, n: int):
    from onedata.villagefinance.models import Receipt

    return Receipt.objects.create(
        desa_adat=village,
        path=f"r{n}",
        content_type="image/jpeg",
        size=1,
        sha256=f"{n:064x}",
        phash=phash,
        **imagehash.band_values(phash),
    )


@pytest.mark.django_db
def test_near_duplicate_search_uses_the_band_index_and_matches_the_bit_distance(
    village, django_assert_num_queries
):
    base = "f0e1d2c3b4a5968778695a4b3c2d1e0f" * 2
    # 10 bits, one in each of 10 different bands: only the 11th band still agrees.
    spread = [0, 24, 48, 72, 95, 118, 141, 164, 187, 210]
    kept = _receipt(village, _flip(base, spread), 1)
    _receipt(village, _flip(base, [*spread[:9], 250, 251]), 2)  # 11 bits away: not the same
    with django_assert_num_queries(3):  # exact bytes, the band lookup, the found receipt
        assert services._earlier_duplicate(village, "c" * 64, base) == kept
    far = _flip(base, [1, 25, 49, 73, 96, 119, 142, 165, 188, 211, 254])
    assert services._earlier_duplicate(village, "d" * 64, far) is None


def test_bands_cover_every_bit_once():
    assert sum(imagehash.BAND_WIDTHS) == imagehash.BITS == 256
    assert len(imagehash.BAND_WIDTHS) == imagehash.DUPLICATE_DISTANCE + 1
    assert max(imagehash.BAND_WIDTHS) <= 24  # fits a 32-bit integer column
    for bit in range(256):
        changed = imagehash.bands(_flip("0" * 64, [bit]))
        assert sum(1 for value in changed if value) == 1


def _spread(count: int) -> list[int]:
    """``count`` bits in as many different bands as possible."""
    starts = [sum(imagehash.BAND_WIDTHS[:band]) for band in range(imagehash.BAND_COUNT)]
    return [starts[n % imagehash.BAND_COUNT] + n // imagehash.BAND_COUNT for n in range(count)]


@pytest.mark.django_db
def test_index_and_scan_agree_on_random_hashes(village, other_village):
    """Random hashes plus planted neighbours at 0..12 bits (worst case: the changed bits
    spread over as many bands as possible): the band index finds exactly what the full
    scan finds, for one village and for the whole province."""
    import random

    from onedata.villagefinance import receipt_index

    rng = random.Random(9)
    queries = [f"{rng.getrandbits(256):064x}" for _ in range(20)]
    stored = []
    n = 0
    for query in queries:
        for flips in (0, 3, 9, 10, 11, 12):
            bits = rng.sample(range(256), flips) if flips % 2 else _spread(flips)
            n += 1
            stored.append(_receipt(village if n % 3 else other_village, _flip(query, bits), n))
    for _ in range(200):
        n += 1
        _receipt(village, f"{rng.getrandbits(256):064x}", n)
    for query in queries:
        for desa_id in (village.pk, other_village.pk, None):
            by_index = receipt_index.near(query, desa_id=desa_id)
            assert by_index == receipt_index.near_by_scan(query, desa_id=desa_id)
        assert len(receipt_index.near(query)) == 4  # the planted 0, 3, 9 and 10 bits
