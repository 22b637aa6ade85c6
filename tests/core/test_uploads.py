"""Upload safety: kinds judged from bytes, size and pixel limits while reading, clean images,
zip bombs refused, safe storage names. Fixture files are built here at run time."""

from __future__ import annotations

import hashlib
import io
import json
import re
import struct
import time
import zipfile
import zlib
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image, ImageDraw, ImageFile

from onedata.core.errors import ValidationError
from onedata.core.uploads import (
    ACCEPTABLE_KINDS,
    ATTACHMENT,
    DATASET_FILE,
    MB,
    POLICIES,
    RECEIPT_PHOTO,
    SELFIE,
    CheckedUpload,
    Kind,
    UploadPolicy,
    check_upload,
    original_display_name,
    safe_storage_name,
    strip_metadata,
)


@pytest.fixture(autouse=True, scope="module")
def english():
    """Messages are asserted in English; the site's default language is Indonesian."""
    with translation.override("en"):
        yield


# --- fixture builders ---------------------------------------------------------------------


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), mode: str = "RGB", **save):
    image = Image.new(mode, size, "white")
    ImageDraw.Draw(image).rectangle((4, 4, size[0] // 2, size[1] // 2), fill="black")
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save)
    return buffer.getvalue()


def phone_photo_with_gps() -> bytes:
    """40x20 JPEG, left half red, right half blue, stored sideways (EXIF Orientation 6, as
    phones write it) with a GPS position, a camera make and a comment."""
    image = Image.new("RGB", (40, 20), "blue")
    ImageDraw.Draw(image).rectangle((0, 0, 19, 19), fill="red")
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (8.0, 39.0, 30.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=b"treasurer's home")
    return buffer.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A few dozen bytes whose PNG header claims width x height pixels: a decompression
    bomb's opening, with valid CRCs so that only the pixel count can refuse it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


XLSX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "</Types>"
)
XLSM_TYPES = XLSX_TYPES.replace(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
)


def xlsx_bytes(extra: dict[str, bytes] | None = None, content_types: str = XLSX_TYPES) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets/></workbook>")
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData/></worksheet>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
CSV = b"kabupaten,jumlah\nBadung,12\nGianyar,7\n"
GEOJSON = json.dumps(
    {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": None}]}
).encode()

ANY_IMAGE = UploadPolicy(
    name="any_image",
    allowed_kinds=frozenset({Kind.JPEG, Kind.PNG, Kind.WEBP, Kind.GIF}),
    max_bytes=MB,
    max_pixels=1_000_000,
)


class CountingStream:
    """An upload of ``total`` bytes, produced on demand, that counts what was read."""

    def __init__(self, total: int):
        self.total = total
        self.bytes_read = 0

    def read(self, size: int = -1) -> bytes:
        assert size >= 0, "the whole stream was asked for"
        size = min(size, self.total - self.bytes_read)
        self.bytes_read += size
        return b"\xff" * size


def refusal(upload, policy: UploadPolicy, field: str = "file") -> str:
    with pytest.raises(ValidationError) as caught:
        check_upload(upload, policy, field=field)
    assert list(caught.value.fields) == [field]
    return caught.value.message


# --- images -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fmt, kind, content_type, extension",
    [
        ("JPEG", Kind.JPEG, "image/jpeg", "jpg"),
        ("PNG", Kind.PNG, "image/png", "png"),
        ("WEBP", Kind.WEBP, "image/webp", "webp"),
    ],
)
def test_check_accepts_photo_when_bytes_are_jpeg_png_or_webp(fmt, kind, content_type, extension):
    checked = check_upload(image_bytes(fmt, size=(64, 48)), RECEIPT_PHOTO)

    assert isinstance(checked, CheckedUpload)
    assert (checked.kind, checked.content_type, checked.extension) == (
        kind,
        content_type,
        extension,
    )
    assert (checked.width, checked.height) == (64, 48)
    assert checked.size == len(checked.data_or_path)
    assert checked.sha256 == hashlib.sha256(checked.data_or_path).hexdigest()
    with checked.open() as stored:
        assert Image.open(stored).format == fmt


def test_check_detects_png_when_png_is_named_jpg():
    upload = SimpleUploadedFile("kwitansi.jpg", image_bytes("PNG"), content_type="image/jpeg")

    checked = check_upload(upload, RECEIPT_PHOTO)

    assert (checked.kind, checked.extension, checked.content_type) == ("png", "png", "image/png")


def test_check_refuses_html_when_named_photo_jpg():
    html = b"<html><body><script>fetch('/api/v1/core/tokens')</script></body></html>"
    upload = SimpleUploadedFile("photo.jpg", html, content_type="image/jpeg")

    message = refusal(upload, SELFIE, field="selfie")

    assert message == "This file is not a JPEG, PNG or WebP image."


def test_check_refuses_html_even_where_text_is_accepted():
    assert refusal(b"  <svg onload=alert(1)>", ATTACHMENT).startswith("This file is not a PDF")


@pytest.mark.parametrize(
    "payload",
    [
        b"<script>alert(document.cookie)</script>",
        zip_bytes({"payload.html": b"<script>alert(1)</script>" * 20}),
        PDF,
    ],
    ids=["script", "zip", "pdf"],
)
def test_check_drops_trailing_payload_when_a_valid_jpeg_carries_one(payload):
    polyglot = image_bytes("JPEG") + payload
    assert Image.open(io.BytesIO(polyglot)).size == (64, 48)  # decoders ignore the tail

    checked = check_upload(polyglot, RECEIPT_PHOTO)

    assert checked.kind is Kind.JPEG
    assert payload not in checked.data_or_path
    assert b"<script>" not in checked.data_or_path
    assert b"PK\x03\x04" not in checked.data_or_path
    assert b"%PDF" not in checked.data_or_path


def test_check_drops_script_when_a_valid_png_carries_one_after_its_end():
    checked = check_upload(image_bytes("PNG") + b"<script>alert(1)</script>", ATTACHMENT)

    assert checked.kind is Kind.PNG
    assert b"<script>" not in checked.data_or_path


def test_check_refuses_gif_header_followed_by_script():
    polyglot = b"GIF89a/*\x00\x00*/=1;<script>alert(1)</script>"

    assert refusal(polyglot, ANY_IMAGE) == "The image is damaged or incomplete."
    assert refusal(polyglot, RECEIPT_PHOTO) == "This file is not a JPEG, PNG or WebP image."


def test_check_refuses_pdf_behind_a_jpeg_header():
    polyglot = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + PDF

    assert refusal(polyglot, RECEIPT_PHOTO) == "The image is damaged or incomplete."
    assert refusal(polyglot, DATASET_FILE).startswith("This file is not a CSV")


@pytest.mark.parametrize(
    "damaged",
    [
        pytest.param(image_bytes("JPEG", size=(640, 480))[:3000], id="truncated-jpeg"),
        pytest.param(image_bytes("PNG", size=(640, 480))[:-40], id="truncated-png"),
        pytest.param(image_bytes("WEBP", size=(640, 480))[:100], id="truncated-webp"),
        pytest.param(png_declaring(64, 48)[:16] + b"\x00" * 40, id="png-bad-crc"),
        pytest.param(b"\xff\xd8\xff" + b"\x00" * 200, id="jpeg-magic-only"),
    ],
)
def test_check_refuses_image_when_truncated_or_corrupted(damaged):
    assert refusal(damaged, RECEIPT_PHOTO) == "The image is damaged or incomplete."


@pytest.mark.parametrize("width, height", [(8000, 8000), (20000, 20000)], ids=["64Mpx", "400Mpx"])
def test_check_refuses_decompression_bomb_before_decoding(monkeypatch, width, height):
    def must_not_decode(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", must_not_decode)
    bomb = png_declaring(width, height)
    assert len(bomb) < 200
    started = time.perf_counter()

    message = refusal(bomb, RECEIPT_PHOTO)

    assert time.perf_counter() - started < 0.5
    assert message == (
        "The image has too many pixels (more than 40 megapixels). Use a smaller image."
    )


def test_check_refuses_selfie_over_its_pixel_limit_that_a_receipt_would_accept():
    photo = image_bytes("JPEG", size=(5000, 4000))  # 20 Mpx

    assert check_upload(photo, RECEIPT_PHOTO).width == 5000
    assert "more than 16 megapixels" in refusal(photo, SELFIE)


# --- size ---------------------------------------------------------------------------------


def test_check_stops_reading_when_upload_exceeds_the_limit():
    stream = CountingStream(total=1024 * MB)

    message = refusal(stream, SELFIE, field="selfie")

    assert message == "The photo is larger than 5 MB."
    assert stream.bytes_read == SELFIE.max_bytes + 1


def test_check_refuses_dataset_file_over_its_limit_on_disk_without_reading_it_all(tmp_path):
    policy = replace(DATASET_FILE, max_bytes=MB)
    big = tmp_path / "data.csv"
    big.write_bytes(b"a,b\n" * (MB // 2))

    assert refusal(big, policy) == "The file is larger than 1 MB."


def test_check_refuses_empty_file():
    assert refusal(b"", ATTACHMENT) == "The file is empty."


def test_check_accepts_file_of_exactly_the_limit():
    policy = replace(DATASET_FILE, max_bytes=len(CSV))

    assert check_upload(io.BytesIO(CSV), policy).size == len(CSV)


# --- metadata -----------------------------------------------------------------------------


def test_strip_metadata_removes_gps_and_turns_the_photo_upright():
    original = phone_photo_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    clean = Image.open(io.BytesIO(strip_metadata(original)))

    assert clean.format == "JPEG"
    assert not clean.getexif()
    assert {"exif", "comment", "icc_profile", "xmp"}.isdisjoint(clean.info)
    assert clean.size == (20, 40)  # stored 40x20 sideways, shown 20x40
    assert clean.getpixel((10, 2))[0] > 200  # the red half is now on top
    assert clean.getpixel((10, 37))[2] > 200


def test_check_stores_the_clean_upright_copy_of_a_phone_photo():
    checked = check_upload(phone_photo_with_gps(), RECEIPT_PHOTO)

    assert (checked.width, checked.height) == (20, 40)
    assert b"Exif" not in checked.data_or_path
    assert b"PhoneMaker" not in checked.data_or_path
    assert b"treasurer" not in checked.data_or_path


def test_strip_metadata_refuses_a_file_that_is_not_an_image():
    with pytest.raises(ValidationError, match="not a JPEG, PNG, WebP or GIF image"):
        strip_metadata(PDF)


def test_check_refuses_heic_photo_with_advice():
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64

    assert refusal(heic, RECEIPT_PHOTO).startswith("HEIC photos are not accepted.")


# --- spreadsheets and archives ------------------------------------------------------------


def test_check_accepts_xlsx_when_its_package_declares_a_workbook():
    checked = check_upload(xlsx_bytes(), DATASET_FILE)

    assert checked.kind is Kind.XLSX
    assert checked.extension == "xlsx"
    assert checked.width is None


def test_check_refuses_zip_that_only_starts_like_an_xlsx():
    docx_like = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    plain = zip_bytes({"readme.txt": b"hello"})

    for archive in (docx_like, plain):
        assert refusal(archive, DATASET_FILE).startswith("This file is not a CSV")


def test_check_refuses_xlsx_when_it_is_a_zip_bomb():
    bomb = xlsx_bytes({"xl/worksheets/sheet2.xml": b"0" * (20 * MB)})
    assert len(bomb) < 100_000

    message = refusal(bomb, DATASET_FILE)

    assert message == "The file is compressed far more than a normal file and is refused."


def test_check_refuses_xlsx_when_it_would_expand_beyond_the_limit():
    policy = replace(DATASET_FILE, max_unzipped_bytes=MB)
    workbook = xlsx_bytes({"xl/media/image1.bin": bytes(range(256)) * 8192})  # 2 MB

    assert refusal(workbook, policy) == "The file would expand to more than 1 MB when opened."


def test_check_refuses_xlsx_when_it_has_too_many_parts():
    parts = {f"xl/worksheets/sheet{n}.xml": b"" for n in range(2, 2100)}

    assert refusal(xlsx_bytes(parts), DATASET_FILE) == "The file contains too many parts."


@pytest.mark.parametrize(
    "name", ["../../etc/cron.d/evil", "xl/../../evil", "/etc/passwd", "C:/evil", "xl\\..\\evil"]
)
def test_check_refuses_xlsx_when_a_part_name_escapes_its_folder(name):
    message = refusal(xlsx_bytes({name: b"x"}), DATASET_FILE)

    assert message == "The file contains a part with an unsafe name."


def test_check_refuses_xlsx_when_a_part_name_is_repeated():
    duplicated = xlsx_bytes({"XL/Workbook.xml": b"<workbook/>"})  # OPC names ignore case

    assert refusal(duplicated, DATASET_FILE) == "The file contains a part with an unsafe name."


def test_check_refuses_workbook_with_macros_with_advice():
    xlsm = xlsx_bytes({"xl/vbaProject.bin": b"\x00" * 64}, content_types=XLSM_TYPES)

    assert refusal(xlsm, DATASET_FILE).startswith("Workbooks with macros are not accepted.")


def test_check_refuses_old_xls_with_advice():
    xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512

    assert refusal(xls, DATASET_FILE).startswith("Old Excel files (.xls)")


def test_check_refuses_xlsx_when_its_directory_is_cut_off():
    assert refusal(xlsx_bytes()[:-30], DATASET_FILE) == "The file is damaged or incomplete."


# --- text, JSON, PDF ----------------------------------------------------------------------


@pytest.mark.parametrize("data", [CSV, b"\xef\xbb\xbf" + CSV, "desa,nama\n1,Ubud\u00e9\n".encode()])
def test_check_accepts_csv_when_it_is_utf8_with_or_without_bom(data):
    checked = check_upload(data, DATASET_FILE)

    assert (checked.kind, checked.content_type, checked.extension) == ("csv", "text/csv", "csv")
    assert checked.data_or_path == data  # non-images are stored byte for byte


def test_check_refuses_csv_when_it_contains_a_nul_byte():
    message = refusal(b"a,b\n1,2\n3,\x004\n", DATASET_FILE)

    assert message == "Line 3 contains a control character that is not allowed in a text file."


def test_check_refuses_csv_when_it_is_not_utf8():
    windows_1252 = "kabupaten,catatan\nBadung,caf\u00e9\n".encode("cp1252")

    message = refusal(windows_1252, DATASET_FILE)

    assert message == "Line 2 is not UTF-8 text. Save the file as CSV UTF-8 and upload it again."


def test_check_refuses_utf16_text_with_advice():
    utf16 = "a,b\n1,2\n".encode("utf-16")

    assert refusal(utf16, DATASET_FILE).startswith("The text is saved as UTF-16.")


def test_check_refuses_text_that_is_only_whitespace():
    assert refusal(b" \n\r\n\t", DATASET_FILE) == "The file has no content."


def test_check_accepts_json_and_recognises_geojson():
    assert check_upload(b'[{"desa": "Ubud"}]', DATASET_FILE).kind is Kind.JSON
    geo = check_upload(GEOJSON, DATASET_FILE)
    assert (geo.kind, geo.content_type) == (Kind.GEOJSON, "application/geo+json")


def test_check_refuses_json_when_it_does_not_parse():
    broken = b'{\n  "desa": "Ubud",\n  "jumlah": 12,,\n}'

    assert refusal(broken, DATASET_FILE) == "The JSON is not valid at line 3, column 16."


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"[" * 100_000 + b"]" * 100_000, "The JSON is nested too deeply."),
        (b'{"rate": NaN}', "The JSON contains NaN or Infinity, which JSON does not allow."),
        (b"[" + b"9" * 5000 + b"]", "The JSON is not valid: it contains a number too long."),
    ],
    ids=["deep", "nan", "long-number"],
)
def test_check_refuses_json_that_python_would_choke_on(data, expected):
    assert refusal(data, DATASET_FILE) == expected


def test_check_accepts_pdf_and_refuses_it_when_truncated():
    assert check_upload(PDF, DATASET_FILE).kind is Kind.PDF
    assert refusal(PDF[:-7], DATASET_FILE) == "The PDF is damaged or incomplete."


# --- files already on disk ----------------------------------------------------------------


def test_check_keeps_large_dataset_on_disk_when_django_spooled_it_there():
    upload = TemporaryUploadedFile("data.csv", "text/csv", len(CSV) * 1000, "utf-8")
    upload.write(CSV * 1000)
    upload.flush()

    checked = check_upload(upload, DATASET_FILE)

    assert checked.data_or_path == Path(upload.temporary_file_path())
    assert checked.size == len(CSV) * 1000
    assert checked.sha256 == hashlib.sha256(CSV * 1000).hexdigest()
    with checked.open() as stored:
        assert stored.read() == CSV * 1000
    upload.close()


def test_check_re_encodes_a_photo_even_when_it_is_on_disk(tmp_path):
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(phone_photo_with_gps())

    checked = check_upload(photo, RECEIPT_PHOTO)

    assert isinstance(checked.data_or_path, bytes)
    assert b"PhoneMaker" not in checked.data_or_path


# --- names --------------------------------------------------------------------------------


def test_safe_storage_name_is_random_and_never_uses_the_client_name():
    when = datetime(2026, 12, 5, tzinfo=UTC)

    names = {safe_storage_name("villagefinance/receipts", Kind.PNG, now=when) for _ in range(50)}

    assert len(names) == 50
    for name in names:
        assert re.fullmatch(r"villagefinance/receipts/2026/12/[0-9a-f]{32}\.png", name)


def test_checked_upload_names_its_storage_path_from_the_sniffed_kind():
    upload = SimpleUploadedFile("../../etc/passwd.jpg", image_bytes("PNG"))

    name = check_upload(upload, RECEIPT_PHOTO).storage_name("attendance/selfies")

    assert name.endswith(".png")
    assert "passwd" not in name and ".." not in name


@pytest.mark.parametrize(
    "prefix", ["../media", "receipts/../x", "/abs", "Receipts", "a//b", "", "receipts\n"]
)
def test_safe_storage_name_refuses_a_prefix_that_is_not_plain_words(prefix):
    with pytest.raises(ValueError):
        safe_storage_name(prefix, Kind.JPEG)


@pytest.mark.parametrize(
    "name, shown",
    [
        ("kwitansi.jpg", "kwitansi.jpg"),
        ("C:\\Users\\Bendahara\\Desktop\\kwitansi 01.jpg", "kwitansi 01.jpg"),
        ("../../etc/passwd", "passwd"),
        ("laporan\u202egpj.exe", "laporangpj.exe"),  # right-to-left override dropped
        ("nota\x00\r\n.pdf", "nota.pdf"),
        ("  banyak    spasi .csv ", "banyak spasi .csv"),
        ("..", ""),
        (None, ""),
        ("x" * 300 + ".xlsx", "x" * 115 + ".xlsx"),
    ],
)
def test_original_display_name_keeps_only_a_clean_label(name, shown):
    assert original_display_name(name) == shown


@given(st.text(max_size=400))
def test_original_display_name_never_holds_a_path_or_a_control_character(name):
    shown = original_display_name(name)

    assert len(shown) <= 120
    assert "/" not in shown and "\\" not in shown
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in shown)


# --- policies -----------------------------------------------------------------------------


def test_policy_refuses_images_without_a_pixel_limit():
    with pytest.raises(ValueError, match="max_pixels"):
        UploadPolicy(name="bad", allowed_kinds=frozenset({Kind.JPEG}), max_bytes=MB)


def test_ready_made_policies_are_named_by_their_use():
    assert set(POLICIES) == {"receipt_photo", "selfie", "dataset_file", "attachment"}
    assert RECEIPT_PHOTO.max_bytes == 10 * MB and RECEIPT_PHOTO.max_pixels == 40_000_000
    assert SELFIE.max_bytes == 5 * MB and SELFIE.max_pixels == 16_000_000
    assert DATASET_FILE.max_bytes == 100 * MB


# --- fuzz: whatever the bytes, a CheckedUpload or a ValidationError -----------------------

FUZZ_POLICY = UploadPolicy(
    name="fuzz", allowed_kinds=ACCEPTABLE_KINDS, max_bytes=256 * 1024, max_pixels=1_000_000
)
SAMPLES = [
    image_bytes("JPEG"),
    phone_photo_with_gps(),
    image_bytes("PNG"),
    image_bytes("PNG", mode="P", transparency=0),
    image_bytes("WEBP"),
    image_bytes("GIF", mode="P"),
    xlsx_bytes(),
    CSV,
    GEOJSON,
    PDF,
]


@st.composite
def mutated_samples(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        action = draw(st.sampled_from(["flip-head", "flip", "truncate", "insert", "delete"]))
        # Headers hold the sizes and offsets decoders trust; mutate them most.
        end = min(len(data), 96) if action == "flip-head" else len(data)
        at = draw(st.integers(min_value=0, max_value=max(end - 1, 0)))
        if action.startswith("flip") and data:
            data[at] ^= 1 << draw(st.integers(min_value=0, max_value=7))
        elif action == "truncate":
            del data[at:]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=32))
        elif action == "delete":
            del data[at : at + draw(st.integers(min_value=1, max_value=64))]
    return bytes(data)


def check_or_refuse(data: bytes, policy: UploadPolicy) -> None:
    try:
        checked = check_upload(data, policy)
    except ValidationError as refused:
        assert refused.message and refused.fields == {"file": [refused.message]}
    else:
        assert checked.kind in policy.allowed_kinds


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=2048), policy=st.sampled_from([FUZZ_POLICY, *POLICIES.values()]))
def test_check_answers_random_bytes_with_a_result_or_a_validation_error(data, policy):
    check_or_refuse(data, policy)


@pytest.mark.filterwarnings("ignore::UserWarning:PIL")  # Pillow notes broken EXIF tags
@settings(max_examples=300, deadline=None)
@given(data=mutated_samples())
def test_check_answers_damaged_samples_with_a_result_or_a_validation_error(data):
    check_or_refuse(data, FUZZ_POLICY)
