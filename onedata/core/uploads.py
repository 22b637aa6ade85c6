"""Upload safety: what a file really is, whether a use accepts it, and a clean copy to store.

Every module that takes files from people (receipt photos from village treasurers' phones,
attendance selfies, data hub resources, attachments) calls ``check_upload`` with the policy
for that use, stores ``CheckedUpload.open()`` under ``safe_storage_name(...)``, and keeps
``original_display_name(...)`` only as a label.

The rules, kept in this one place:

- The kind comes from the bytes, never from the file name or the client's Content-Type:
  both are typed by whoever uploads.
- Size is enforced while reading: at most ``max_bytes + 1`` bytes are ever read.
- Images: the pixel count declared in the header is checked before anything is decoded,
  then the image is fully decoded and re-encoded without metadata (EXIF with GPS, comments,
  ICC, XMP). The stored copy is the re-encoded one, so whatever was hidden around the pixels
  (a script, a ZIP, a PDF) is not stored.
- ZIP-based files (XLSX) are judged from their directory before anything is unpacked.
- Stored names are random; the client's file name never reaches a storage path.

Pure Python and Pillow; Django only for translating messages.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import os
import re
import struct
import unicodedata
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.utils.translation import gettext, gettext_noop
from PIL import Image, ImageOps

from onedata.core.errors import ValidationError

MB = 1024 * 1024
_CHUNK = MB  # read and scan in 1 MiB pieces: bounded memory whatever the file size
_HEAD = 64  # enough bytes for every magic number below


class Kind(StrEnum):
    """What a file is, judged from its bytes."""

    JPEG = "jpeg"
    PNG = "png"
    WEBP = "webp"
    GIF = "gif"
    PDF = "pdf"
    XLSX = "xlsx"
    CSV = "csv"  # any UTF-8 plain text that is not JSON or markup: CSV cannot be told apart
    JSON = "json"
    GEOJSON = "geojson"
    # Recognised, so the refusal can be precise, but never accepted by any policy:
    ZIP = "zip"  # a ZIP that is not a macro-free XLSX (DOCX, XLSM, plain archives)
    HTML = "html"  # text starting with "<": HTML, SVG, XML; a browser might run it
    UNKNOWN = "unknown"

    @property
    def content_type(self) -> str:
        return _KIND_INFO[self][0]

    @property
    def extension(self) -> str:
        return _KIND_INFO[self][1]


_KIND_INFO: dict[Kind, tuple[str, str]] = {
    Kind.JPEG: ("image/jpeg", "jpg"),
    Kind.PNG: ("image/png", "png"),
    Kind.WEBP: ("image/webp", "webp"),
    Kind.GIF: ("image/gif", "gif"),
    Kind.PDF: ("application/pdf", "pdf"),
    Kind.XLSX: ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    Kind.CSV: ("text/csv", "csv"),
    Kind.JSON: ("application/json", "json"),
    Kind.GEOJSON: ("application/geo+json", "geojson"),
    Kind.ZIP: ("application/zip", "zip"),
    Kind.HTML: ("text/html", "html"),
    Kind.UNKNOWN: ("application/octet-stream", "bin"),
}

IMAGE_KINDS = frozenset({Kind.JPEG, Kind.PNG, Kind.WEBP, Kind.GIF})
TEXT_KINDS = frozenset({Kind.CSV, Kind.JSON, Kind.GEOJSON})
ACCEPTABLE_KINDS = IMAGE_KINDS | TEXT_KINDS | {Kind.PDF, Kind.XLSX}
_ZIP_KINDS = frozenset({Kind.XLSX})

# Messages: marked here, translated when raised.
MSG_EMPTY = gettext_noop("The file is empty.")
MSG_NO_CONTENT = gettext_noop("The file has no content.")
MSG_NOT_ACCEPTED = gettext_noop("This type of file is not accepted.")
MSG_NOT_IMAGE = gettext_noop("This file is not a JPEG, PNG, WebP or GIF image.")
MSG_TOO_LARGE = gettext_noop("The file is larger than %(limit)s.")
MSG_TOO_MANY_PIXELS = gettext_noop(
    "The image has too many pixels (more than %(limit)s megapixels). Use a smaller image."
)
MSG_IMAGE_DAMAGED = gettext_noop("The image is damaged or incomplete.")
MSG_PDF_DAMAGED = gettext_noop("The PDF is damaged or incomplete.")
MSG_FILE_DAMAGED = gettext_noop("The file is damaged or incomplete.")
MSG_ZIP_TOO_MANY_PARTS = gettext_noop("The file contains too many parts.")
MSG_ZIP_UNSAFE_NAME = gettext_noop("The file contains a part with an unsafe name.")
MSG_ZIP_ENCRYPTED = gettext_noop("Password-protected files are not accepted.")
MSG_ZIP_EXPANDS = gettext_noop("The file would expand to more than %(limit)s when opened.")
MSG_ZIP_RATIO = gettext_noop("The file is compressed far more than a normal file and is refused.")
MSG_MACROS = gettext_noop(
    "Workbooks with macros are not accepted. Save it as an Excel Workbook (.xlsx)."
)
MSG_OLD_OFFICE = gettext_noop(
    "Old Excel files (.xls) and password-protected workbooks are not accepted. "
    "Save it as an Excel Workbook (.xlsx) without a password."
)
MSG_HEIC = gettext_noop(
    "HEIC photos are not accepted. Send the photo as JPEG "
    "(on iPhone: Settings, Camera, Formats, Most Compatible)."
)
MSG_UTF16 = gettext_noop("The text is saved as UTF-16. Save it as CSV UTF-8 and upload it again.")
MSG_NOT_UTF8 = gettext_noop(
    "Line %(line)s is not UTF-8 text. Save the file as CSV UTF-8 and upload it again."
)
MSG_CONTROL_CHAR = gettext_noop(
    "Line %(line)s contains a control character that is not allowed in a text file."
)
MSG_JSON_INVALID = gettext_noop("The JSON is not valid at line %(line)s, column %(column)s.")
MSG_JSON_INVALID_NUMBER = gettext_noop("The JSON is not valid: it contains a number too long.")
MSG_JSON_NON_FINITE = gettext_noop("The JSON contains NaN or Infinity, which JSON does not allow.")
MSG_JSON_TOO_DEEP = gettext_noop("The JSON is nested too deeply.")


@dataclass(frozen=True)
class UploadPolicy:
    """What one use of uploads accepts. Messages are gettext_noop strings, translated when shown."""

    name: str
    allowed_kinds: frozenset[Kind]
    max_bytes: int
    max_pixels: int = 0  # width * height; required when images are allowed
    not_allowed_message: str = MSG_NOT_ACCEPTED
    too_large_message: str = MSG_TOO_LARGE  # with %(limit)s, e.g. "10 MB"
    image_quality: int = 85  # JPEG and WebP re-encoding; 85 keeps receipts legible
    # ZIP containers (XLSX). A real workbook rarely compresses beyond 20:1 overall, and
    # Excel writes a few dozen parts; a zip bomb needs extreme ratios or sizes.
    max_unzipped_bytes: int = 1024 * MB
    max_zip_ratio: int = 100
    max_zip_entries: int = 2000

    def __post_init__(self) -> None:
        kinds = frozenset(Kind(kind) for kind in self.allowed_kinds)
        object.__setattr__(self, "allowed_kinds", kinds)
        if not kinds or not kinds <= ACCEPTABLE_KINDS:
            raise ValueError(f"policy {self.name}: allowed kinds must be among {ACCEPTABLE_KINDS}")
        if self.max_bytes <= 0:
            raise ValueError(f"policy {self.name}: max_bytes must be positive")
        # Our limit must be the one that bites, below Pillow's own bomb limit, so a refusal
        # always carries our message and never depends on warning filters.
        pillow_limit = Image.MAX_IMAGE_PIXELS or self.max_pixels
        if kinds & IMAGE_KINDS and not 0 < self.max_pixels <= pillow_limit:
            raise ValueError(f"policy {self.name}: max_pixels must be in 1..{pillow_limit}")


RECEIPT_PHOTO = UploadPolicy(
    name="receipt_photo",
    allowed_kinds=frozenset({Kind.JPEG, Kind.PNG, Kind.WEBP}),
    max_bytes=10 * MB,
    max_pixels=40_000_000,
    not_allowed_message=gettext_noop("This file is not a JPEG, PNG or WebP image."),
    too_large_message=gettext_noop("The photo is larger than %(limit)s."),
)

SELFIE = UploadPolicy(
    name="selfie",
    allowed_kinds=frozenset({Kind.JPEG, Kind.PNG, Kind.WEBP}),
    max_bytes=5 * MB,
    max_pixels=16_000_000,
    not_allowed_message=gettext_noop("This file is not a JPEG, PNG or WebP image."),
    too_large_message=gettext_noop("The photo is larger than %(limit)s."),
)

DATASET_FILE = UploadPolicy(
    name="dataset_file",
    allowed_kinds=frozenset({Kind.CSV, Kind.XLSX, Kind.JSON, Kind.GEOJSON, Kind.PDF}),
    max_bytes=100 * MB,
    not_allowed_message=gettext_noop("This file is not a CSV, Excel (XLSX), JSON or PDF file."),
)

ATTACHMENT = UploadPolicy(
    name="attachment",
    allowed_kinds=frozenset({Kind.JPEG, Kind.PNG, Kind.WEBP, Kind.PDF, Kind.CSV, Kind.XLSX}),
    max_bytes=20 * MB,
    max_pixels=40_000_000,
    not_allowed_message=gettext_noop(
        "This file is not a PDF, an image (JPEG, PNG or WebP), a CSV or an Excel (XLSX) file."
    ),
)

POLICIES: dict[str, UploadPolicy] = {
    policy.name: policy for policy in (RECEIPT_PHOTO, SELFIE, DATASET_FILE, ATTACHMENT)
}


@dataclass(frozen=True)
class CheckedUpload:
    """A file that passed its policy. Store ``open()``, never the original upload.

    ``data_or_path`` is bytes (images are always re-encoded bytes), or the path of a file
    already on disk (Django's temporary upload, or a path given by a task) for large
    non-image files, so that a 100 MB dataset is not copied into memory. A Django temporary
    upload's path lives only as long as the request.
    """

    kind: Kind
    content_type: str
    extension: str
    size: int
    data_or_path: bytes | Path = dataclass_field(repr=False)  # no megabytes in logs
    width: int | None
    height: int | None
    sha256: str

    def open(self) -> BinaryIO:
        if isinstance(self.data_or_path, bytes):
            return io.BytesIO(self.data_or_path)
        return self.data_or_path.open("rb")

    def storage_name(self, prefix: str) -> str:
        return safe_storage_name(prefix, self.kind)


Upload = bytes | bytearray | memoryview | BinaryIO | os.PathLike[str]


def check_upload(upload: Upload, policy: UploadPolicy, *, field: str = "file") -> CheckedUpload:
    """Check a file against ``policy`` and return what to store, or raise ValidationError.

    ``upload``: bytes, a binary file object (Django ``UploadedFile``, ``BytesIO``), or a path.
    """
    source = _load(upload, policy, field)
    if source.size == 0:
        raise _refuse(field, MSG_EMPTY)
    detection = _detect(source, policy, field)
    _ensure_allowed(detection, policy, field)
    kind = detection.kind
    if kind in IMAGE_KINDS:
        with source.open() as fp:
            data, width, height = _decode_clean(
                fp, kind, max_pixels=policy.max_pixels, quality=policy.image_quality, field=field
            )
        return _checked(kind, data, len(data), hashlib.sha256(data).hexdigest(), width, height)
    if kind is Kind.PDF:
        _check_pdf(source, field)
    elif kind is Kind.JSON:
        kind = _json_kind(source, policy, field)
    stored = source.data if source.data is not None else source.path
    assert stored is not None
    return _checked(kind, stored, source.size, source.sha256, None, None)


def strip_metadata(
    data: bytes, *, max_pixels: int = 40_000_000, quality: int = 85, field: str = "file"
) -> bytes:
    """Re-encode an image in its own format without metadata, upright (EXIF orientation
    applied first, so phone photos are not sideways). Anything stored around the pixels
    (EXIF with GPS, comments, ICC, XMP, bytes after the end of the image) is dropped."""
    detection = _magic_detection(data[:_HEAD])
    if detection is None or detection.kind not in IMAGE_KINDS:
        raise _refuse(field, MSG_NOT_IMAGE)
    clean, _width, _height = _decode_clean(
        io.BytesIO(data), detection.kind, max_pixels=max_pixels, quality=quality, field=field
    )
    return clean


def safe_storage_name(prefix: str, kind: Kind | str, *, now: datetime | None = None) -> str:
    """``receipts/2026/12/<uuid4 hex>.jpg``: random, with the extension of the sniffed kind.

    The client's file name never reaches the path: it may hold ``..``, slashes, a second
    extension or a name that collides with someone else's file.
    """
    if not _PREFIX_PATTERN.fullmatch(prefix):
        raise ValueError(f"storage prefix {prefix!r}: lowercase words separated by '/' only")
    when = now or datetime.now(UTC)
    return f"{prefix}/{when:%Y}/{when:%m}/{uuid.uuid4().hex}.{Kind(kind).extension}"


def original_display_name(name: str | None, *, max_length: int = 120) -> str:
    """The client's file name cleaned for display only: last path part, no control or
    invisible characters (a right-to-left override shows ``photo<U+202E>gpj.exe`` as
    ``photoexe.jpg``), whitespace collapsed, at most ``max_length`` characters keeping the
    extension. Returns "" when nothing is left."""
    if not name:
        return ""
    text = unicodedata.normalize("NFC", str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = " ".join(text.split())
    if not text.strip("."):
        return ""
    if len(text) <= max_length:
        return text
    stem, dot, extension = text.rpartition(".")
    if not dot or not stem or len(extension) > 10:
        return text[:max_length]
    return stem[: max_length - len(extension) - 1].rstrip() + "." + extension


_PREFIX_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*(?:/[a-z0-9][a-z0-9_-]*)*")


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Source:
    """The uploaded bytes, either in memory or in a file already on disk."""

    data: bytes | None
    path: Path | None
    size: int
    sha256: str

    def open(self) -> BinaryIO:
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        return self.path.open("rb")

    def chunks(self) -> Iterator[bytes]:
        with self.open() as fp:
            while chunk := fp.read(_CHUNK):
                yield chunk

    def head(self, length: int) -> bytes:
        with self.open() as fp:
            return fp.read(length)

    def tail(self, length: int) -> bytes:
        with self.open() as fp:
            fp.seek(max(0, self.size - length))
            return fp.read(length)

    def read_all(self) -> bytes:
        if self.data is not None:
            return self.data
        with self.open() as fp:
            return fp.read(self.size)  # size was bounded by the policy while hashing


def _load(upload: Upload, policy: UploadPolicy, field: str) -> _Source:
    if isinstance(upload, bytes | bytearray | memoryview):
        data = bytes(upload)
        if len(data) > policy.max_bytes:
            raise _too_large(policy, field)
        return _Source(data, None, len(data), hashlib.sha256(data).hexdigest())
    path = _path_of(upload)
    if path is not None:
        size, digest = _hash_file(path, policy, field)
        return _Source(None, path, size, digest)
    if not hasattr(upload, "read"):
        raise TypeError(f"cannot read an upload of type {type(upload).__name__}")
    _rewind(upload)
    data = _read_at_most(upload, policy.max_bytes + 1)
    if len(data) > policy.max_bytes:
        raise _too_large(policy, field)
    return _Source(data, None, len(data), hashlib.sha256(data).hexdigest())


def _path_of(upload: object) -> Path | None:
    """A path for uploads already on disk: a PathLike, or Django's TemporaryUploadedFile,
    which Django wrote to disk because it was large (and deletes after the request)."""
    if isinstance(upload, os.PathLike):
        return Path(upload)
    temporary_file_path = getattr(upload, "temporary_file_path", None)
    if callable(temporary_file_path):
        return Path(temporary_file_path())
    return None


def _rewind(stream: BinaryIO) -> None:
    # Form validation (Django's ImageField, for one) may have read part of the file already.
    seekable = getattr(stream, "seekable", None)
    if callable(seekable) and seekable():
        stream.seek(0)


def _read_at_most(stream: BinaryIO, limit: int) -> bytes:
    buffer = io.BytesIO()
    read = 0
    while read < limit:
        chunk = stream.read(min(_CHUNK, limit - read))
        if not chunk:
            break
        if not isinstance(chunk, bytes | bytearray | memoryview):
            raise TypeError("uploads must be opened in binary mode")
        read += buffer.write(chunk)
    return buffer.getvalue()


def _hash_file(path: Path, policy: UploadPolicy, field: str) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fp:
        while chunk := fp.read(min(_CHUNK, policy.max_bytes + 1 - size)):
            size += len(chunk)
            if size > policy.max_bytes:
                raise _too_large(policy, field)
            digest.update(chunk)
    return size, digest.hexdigest()


# --- detection ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Detection:
    kind: Kind
    # A precise refusal for a near miss ("HEIC photos are not accepted..."), shown only
    # where the policy accepts one of ``hint_for`` (an XLS hint means nothing on a selfie).
    hint: str | None = None
    hint_params: dict[str, object] = dataclass_field(default_factory=dict)
    hint_for: frozenset[Kind] = frozenset()


_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office, also encrypted OOXML
_UTF8_BOM = codecs.BOM_UTF8


def _magic_detection(head: bytes) -> _Detection | None:
    """The kind from the first bytes, or None for "maybe text"."""
    if head.startswith(b"\xff\xd8\xff"):
        return _Detection(Kind.JPEG)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _Detection(Kind.PNG)
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return _Detection(Kind.GIF)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _Detection(Kind.WEBP)
    if head.startswith(b"%PDF-"):
        return _Detection(Kind.PDF)
    if head.startswith(b"PK\x03\x04"):
        return _Detection(Kind.ZIP)
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return _Detection(Kind.UNKNOWN, MSG_HEIC, hint_for=IMAGE_KINDS)
    if head.startswith(_OLE_MAGIC):
        return _Detection(Kind.UNKNOWN, MSG_OLD_OFFICE, hint_for=frozenset({Kind.XLSX}))
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _Detection(Kind.UNKNOWN, MSG_UTF16, hint_for=TEXT_KINDS)
    return None


def _detect(source: _Source, policy: UploadPolicy, field: str) -> _Detection:
    detection = _magic_detection(source.head(_HEAD))
    if detection is None:
        # Scan the text only where text may be accepted: a photo policy needs no more
        # than "it is not an image".
        if policy.allowed_kinds & TEXT_KINDS:
            return _text_detection(source)
        return _Detection(Kind.UNKNOWN)
    if detection.kind is Kind.ZIP and policy.allowed_kinds & _ZIP_KINDS:
        return _zip_detection(source, policy, field)
    return detection


def _ensure_allowed(detection: _Detection, policy: UploadPolicy, field: str) -> None:
    kind = detection.kind
    if kind in policy.allowed_kinds:
        return
    if kind is Kind.JSON and Kind.GEOJSON in policy.allowed_kinds:
        return  # told apart only after parsing, in _json_kind
    if detection.hint and detection.hint_for & policy.allowed_kinds:
        raise _refuse(field, detection.hint, **detection.hint_params)
    raise _refuse(field, policy.not_allowed_message)


# --- text ---------------------------------------------------------------------------------

# C0 controls but tab, line feed and carriage return, and DEL. UTF-8 continuation bytes are
# all >= 0x80, so searching the raw bytes finds exactly these characters.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]")


def _text_detection(source: _Source) -> _Detection:
    """UTF-8 text (a BOM allowed) without NUL or control characters, classified by its
    first visible character: ``{``/``[`` JSON, ``<`` markup, anything else CSV."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    line = 1
    first = b""
    for index, raw in enumerate(source.chunks()):
        chunk = raw[len(_UTF8_BOM) :] if index == 0 and raw.startswith(_UTF8_BOM) else raw
        if control := _CONTROL_BYTES.search(chunk):
            at = line + chunk.count(b"\n", 0, control.start())
            return _Detection(Kind.UNKNOWN, MSG_CONTROL_CHAR, {"line": at}, TEXT_KINDS)
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            at = line + chunk.count(b"\n", 0, max(0, exc.start))
            return _Detection(Kind.UNKNOWN, MSG_NOT_UTF8, {"line": at}, TEXT_KINDS)
        first = first or chunk.lstrip()[:1]
        line += chunk.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return _Detection(Kind.UNKNOWN, MSG_NOT_UTF8, {"line": line}, TEXT_KINDS)
    if not first:
        return _Detection(Kind.UNKNOWN, MSG_NO_CONTENT, hint_for=TEXT_KINDS)
    if first in (b"{", b"["):
        return _Detection(Kind.JSON)
    if first == b"<":
        return _Detection(Kind.HTML)
    return _Detection(Kind.CSV)


_GEOJSON_TYPES = {
    "FeatureCollection",
    "Feature",
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}


class _JsonObject:
    """Stands in for every parsed JSON object: only its "type" is needed, and keeping
    nothing else holds memory near the file size instead of several times it."""

    __slots__ = ("type",)

    def __init__(self, pairs: list[tuple[str, object]]):
        found = next((value for key, value in pairs if key == "type"), None)
        self.type = found if isinstance(found, str) else None


class _NonFiniteNumber(ValueError):
    pass


def _refuse_constant(name: str) -> object:
    raise _NonFiniteNumber(name)  # Python's json accepts NaN and Infinity; JSON does not


def _json_kind(source: _Source, policy: UploadPolicy, field: str) -> Kind:
    text = source.read_all().decode("utf-8-sig")  # valid UTF-8: checked by _text_detection
    try:
        top = json.loads(text, object_pairs_hook=_JsonObject, parse_constant=_refuse_constant)
    except _NonFiniteNumber as exc:
        raise _refuse(field, MSG_JSON_NON_FINITE) from exc
    except json.JSONDecodeError as exc:
        raise _refuse(field, MSG_JSON_INVALID, line=exc.lineno, column=exc.colno) from exc
    except RecursionError as exc:
        raise _refuse(field, MSG_JSON_TOO_DEEP) from exc
    except ValueError as exc:  # an integer over Python's 4300-digit limit
        raise _refuse(field, MSG_JSON_INVALID_NUMBER) from exc
    is_geojson = isinstance(top, _JsonObject) and top.type in _GEOJSON_TYPES
    if is_geojson and Kind.GEOJSON in policy.allowed_kinds:
        return Kind.GEOJSON
    if Kind.JSON in policy.allowed_kinds:
        return Kind.JSON
    raise _refuse(field, policy.not_allowed_message)


# --- PDF ----------------------------------------------------------------------------------

_PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")


def _check_pdf(source: _Source, field: str) -> None:
    # The header at byte 0 (readers accept it anywhere in the first kilobyte, which is how
    # PDF polyglots are made) and %%EOF in the last kilobyte, where the PDF standard puts it:
    # a truncated upload has none. Content (scripts, forms) is a reader's concern; serve
    # PDFs as attachments.
    if not _PDF_HEADER.match(source.head(16)) or b"%%EOF" not in source.tail(1024):
        raise _refuse(field, MSG_PDF_DAMAGED)


# --- ZIP and XLSX -------------------------------------------------------------------------

_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"
_EOCD_SIZE = 22
_RATIO_FLOOR = MB  # small parts may compress absurdly well and do no harm
_CONTENT_TYPES = "[content_types].xml"  # OPC part names compare case-insensitively
_XLSX_MAIN_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_XLSM_MAIN_TYPE = b"application/vnd.ms-excel.sheet.macroenabled.main+xml"


def _zip_detection(source: _Source, policy: UploadPolicy, field: str) -> _Detection:
    with source.open() as fp:
        entries = _declared_zip_entries(fp, source.size)
        if entries is None:
            raise _refuse(field, MSG_FILE_DAMAGED)
        if entries > policy.max_zip_entries:
            raise _refuse(field, MSG_ZIP_TOO_MANY_PARTS)
        try:
            with zipfile.ZipFile(fp) as archive:
                infos = archive.infolist()
                _check_zip_entries(infos, policy, field)
                return _office_detection(archive, infos)
        except ValidationError:
            raise
        except Exception as exc:  # zipfile and zlib raise a wide, undocumented set on bad data
            raise _refuse(field, MSG_FILE_DAMAGED) from exc


def _declared_zip_entries(fp: BinaryIO, size: int) -> int | None:
    """The entry count from the end-of-central-directory record, read before zipfile builds
    one object per entry: a 100 MB archive of empty entries would cost gigabytes."""
    tail_length = min(size, _EOCD_SIZE + 0xFFFF + 20)  # record, longest comment, ZIP64 locator
    fp.seek(size - tail_length)
    tail = fp.read(tail_length)
    # Same search as zipfile: a record right at the end, else the last one before a comment.
    at = len(tail) - _EOCD_SIZE
    if tail[at : at + 4] != _EOCD or tail[-2:] != b"\x00\x00":
        at = tail.rfind(_EOCD)
    if at < 0 or at + _EOCD_SIZE > len(tail):
        return None
    (entries,) = struct.unpack_from("<H", tail, at + 10)
    if entries != 0xFFFF:
        return entries
    locator = at - 20
    if locator < 0 or tail[locator : locator + 4] != _ZIP64_LOCATOR:
        return entries
    (record_offset,) = struct.unpack_from("<Q", tail, locator + 8)
    if record_offset + 56 > size:
        return None
    fp.seek(record_offset)
    record = fp.read(56)
    if record[:4] != _ZIP64_EOCD:
        return None
    return struct.unpack_from("<Q", record, 32)[0]


def _check_zip_entries(infos: list[zipfile.ZipInfo], policy: UploadPolicy, field: str) -> None:
    """Refuse from the directory alone, before unpacking a byte: too many parts, unsafe or
    duplicate names, encryption, and sizes or ratios only a zip bomb has. Readers of the
    stored file (zipfile, openpyxl) stop at each part's declared size, so declared sizes
    that lie cannot expand further than checked here."""
    if len(infos) > policy.max_zip_entries:
        raise _refuse(field, MSG_ZIP_TOO_MANY_PARTS)
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if _unsafe_member_name(name) or name.casefold() in seen:
            raise _refuse(field, MSG_ZIP_UNSAFE_NAME)
        seen.add(name.casefold())
        if info.flag_bits & 0x1:
            raise _refuse(field, MSG_ZIP_ENCRYPTED)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse(field, MSG_FILE_DAMAGED)  # Excel writes only these two
        total += info.file_size
        if total > policy.max_unzipped_bytes:
            raise _refuse(field, MSG_ZIP_EXPANDS, limit=_format_size(policy.max_unzipped_bytes))
        ratio_limit = max(info.compress_size, 1) * policy.max_zip_ratio
        if info.file_size > _RATIO_FLOOR and info.file_size > ratio_limit:
            raise _refuse(field, MSG_ZIP_RATIO)


def _unsafe_member_name(name: str) -> bool:
    """Names that would escape a folder if anyone ever extracted the archive."""
    if not name or name.startswith("/") or "\\" in name or re.match(r"^[A-Za-z]:", name):
        return True
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        return True
    return ".." in PurePosixPath(name).parts


def _office_detection(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> _Detection:
    """XLSX when the package says so: a ``[Content_Types].xml`` naming the workbook type and
    parts under ``xl/``. A PK header alone is shared by DOCX, JAR, APK and plain archives."""
    by_name = {info.filename.casefold(): info for info in infos}
    content_types = by_name.get(_CONTENT_TYPES)
    if content_types is None or not any(name.startswith("xl/") for name in by_name):
        return _Detection(Kind.ZIP)
    if content_types.file_size > MB:
        return _Detection(Kind.ZIP)
    # A substring test, not an XML parse: nothing here needs the tree, and no XML parser
    # means no entity expansion on untrusted input.
    declared = archive.read(content_types).lower()
    if _XLSM_MAIN_TYPE in declared or "xl/vbaproject.bin" in by_name:
        return _Detection(Kind.ZIP, MSG_MACROS, hint_for=frozenset({Kind.XLSX}))
    if _XLSX_MAIN_TYPE in declared:
        return _Detection(Kind.XLSX)
    return _Detection(Kind.ZIP)


# --- images -------------------------------------------------------------------------------

_PILLOW_FORMATS = {Kind.JPEG: "JPEG", Kind.PNG: "PNG", Kind.WEBP: "WEBP", Kind.GIF: "GIF"}
# Modes each encoder writes as they are; anything else is converted first.
_SAVE_MODES = {
    Kind.JPEG: {"L", "RGB"},
    Kind.PNG: {"1", "L", "LA", "I", "I;16", "I;16B", "P", "RGB", "RGBA"},
    Kind.WEBP: {"RGB", "RGBA"},
    Kind.GIF: {"L", "P"},
}


def _decode_clean(
    fp: BinaryIO, kind: Kind, *, max_pixels: int, quality: int, field: str
) -> tuple[bytes, int, int]:
    """Open (header only), check the declared pixel count, decode fully, re-encode clean.
    Returns the clean bytes and their width and height."""
    try:
        # formats=: only the decoder for the sniffed kind may read these bytes.
        with Image.open(fp, formats=[_PILLOW_FORMATS[kind]]) as image:
            width, height = image.size
            if width < 1 or height < 1 or width * height > max_pixels:
                raise _refuse(field, MSG_TOO_MANY_PIXELS, limit=_megapixels(max_pixels))
            image.load()  # every pixel: a truncated or corrupt file fails here
            clean = _upright_without_metadata(image)
            return _encode(clean, kind, quality), clean.width, clean.height
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own limit, hit while reading the header (the warning only where the
        # project turns it into an error): same answer as ours.
        raise _refuse(field, MSG_TOO_MANY_PIXELS, limit=_megapixels(max_pixels)) from exc
    except Exception as exc:  # decoders raise a wide, undocumented set on malformed input
        raise _refuse(field, MSG_IMAGE_DAMAGED) from exc


def _upright_without_metadata(image: Image.Image) -> Image.Image:
    try:
        upright = ImageOps.exif_transpose(image)
    except Exception:  # a malformed EXIF block should not cost anyone their photo
        upright = image.copy()
    # Encoders take ICC profiles and comments from ``info``; keep only what the pixels mean.
    transparency = upright.info.get("transparency")
    upright.info = {} if transparency is None else {"transparency": transparency}
    return upright


def _encode(image: Image.Image, kind: Kind, quality: int) -> bytes:
    if image.mode not in _SAVE_MODES[kind]:
        if kind is Kind.GIF:
            image = image.convert("P")
        elif kind is not Kind.JPEG and image.has_transparency_data:
            image = image.convert("RGBA")
        else:
            image = image.convert("RGB")
    out = io.BytesIO()
    if kind is Kind.JPEG:
        image.save(out, "JPEG", quality=quality, optimize=True, exif=b"")
    elif kind is Kind.WEBP:
        image.save(out, "WEBP", quality=quality, exif=b"", icc_profile=None, xmp="")
    else:
        image.save(out, _PILLOW_FORMATS[kind])
    return out.getvalue()


# --- small helpers ------------------------------------------------------------------------


def _checked(
    kind: Kind, stored: bytes | Path, size: int, sha256: str, width: int | None, height: int | None
) -> CheckedUpload:
    return CheckedUpload(
        kind=kind,
        content_type=kind.content_type,
        extension=kind.extension,
        size=size,
        data_or_path=stored,
        width=width,
        height=height,
        sha256=sha256,
    )


def _refuse(field: str, message: str, **params: object) -> ValidationError:
    text = gettext(message)
    return ValidationError.for_field(field, text % params if params else text)


def _too_large(policy: UploadPolicy, field: str) -> ValidationError:
    return _refuse(field, policy.too_large_message, limit=_format_size(policy.max_bytes))


def _format_size(size: int) -> str:
    """``10485760`` -> ``10 MB`` (the binary megabyte, the generous reading of "10 MB")."""
    if size >= MB:
        return f"{size / MB:g} MB"
    return f"{size / 1024:g} KB"


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:g}"
