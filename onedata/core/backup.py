"""Backing up and restoring the whole platform: database and media files, in one archive.

The archive is a ``.tar.gz`` (or plain ``.tar``) holding

* ``database.sqlite3`` (a consistent copy made with SQLite's online backup API) or
  ``database.pgdump`` (``pg_dump --format=custom``), whichever engine is configured;
* ``media/<relative path>`` for every file under MEDIA_ROOT (not when media lives in S3);
* ``manifest.json``, written last because it holds the sha256 of every other member:
  format version, time, engine, platform version, the latest applied migration of each
  app and the row count of every table, all read from the same snapshot as the dump.

Restoring unpacks and verifies everything into a staging folder first, so that a damaged,
foreign or mismatched archive is refused before the current data is touched. The web
server and workers should be stopped while restoring; backing up is safe while they run.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from onedata.core.errors import DomainError, ValidationError

FORMAT = "onedata-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA_PREFIX = "media/"
MAX_MANIFEST_BYTES = 64 * 1024 * 1024  # a manifest lists every media file; refuse absurd ones
COPY_CHUNK = 1024 * 1024
S3_NOTICE = (
    "Media files are stored in the S3 bucket {bucket!r}; they are NOT in this archive. "
    "Protect them with the bucket's own versioning and replication. "
    "Only the database was backed up."
)
# libpq reads these from the environment; Django keeps them in DATABASES[...]["OPTIONS"].
PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


@dataclass(frozen=True)
class DatabaseState:
    """Row counts and migration state, read from the same snapshot as the dump."""

    row_counts: dict[str, int]
    migrations: dict[str, list[str]]


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    manifest: dict
    notices: list[str]


@dataclass
class RestoreReport:
    manifest: dict
    row_counts: dict[str, int]
    mismatches: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    extra_tables: list[str] = field(default_factory=list)
    media_files: int = 0
    notices: list[str] = field(default_factory=list)
    pending_migrations: bool = False


# --- Backup ------------------------------------------------------------------------------


def backup_create(path: Path | str, *, force: bool = False, using: str = DEFAULT_DB_ALIAS):
    """Write a backup archive to ``path``; returns a BackupResult.

    Refuses to replace an existing file unless ``force``. The archive appears at ``path``
    only when complete (it is written to a temporary file in the same folder, then renamed),
    so a crash never leaves a half-written archive under the real name.
    """
    path = Path(path).absolute()
    compression = _compression_for(path)
    if path.exists() and not force:
        raise ValidationError.for_field(
            "path", f"{path} already exists; choose another name or pass --force to replace it."
        )
    if not path.parent.is_dir():
        raise ValidationError.for_field("path", f"The folder {path.parent} does not exist.")
    _refuse_inside_media(path)
    connection = connections[using]
    engine = _engine(connection)
    notices: list[str] = []
    with tempfile.TemporaryDirectory(prefix=".onedata-backup-", dir=path.parent) as work:
        dump = Path(work) / DATABASE_MEMBERS[engine]
        state = _dump_database(connection, engine, dump)
        partial = Path(work) / "archive.partial"
        with (
            open(partial, "wb") as raw,
            tarfile.open(
                fileobj=raw, mode=f"w:{compression}", **_compress_options(compression)
            ) as archive,
        ):
            members = {dump.name: _add_file(archive, dump, dump.name)}
            # Media after the database: files that rows of the snapshot point to were
            # written before it, so they are in the archive unless deleted meanwhile.
            if settings.S3_BUCKET:
                notices.append(S3_NOTICE.format(bucket=settings.S3_BUCKET))
            else:
                members.update(_add_media(archive, Path(settings.MEDIA_ROOT)))
            manifest = _manifest(engine, connection, state, members, notices)
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
            archive.close()
            raw.flush()
            os.fsync(raw.fileno())
        _publish(partial, path, force=force)
    return BackupResult(path=path, size=path.stat().st_size, manifest=manifest, notices=notices)


def _refuse_inside_media(path: Path) -> None:
    """An archive inside MEDIA_ROOT would be packed into itself by a backup and thrown
    away with the old media folder by a restore."""
    media = Path(settings.MEDIA_ROOT).resolve()
    if not settings.S3_BUCKET and path.resolve().is_relative_to(media):
        raise ValidationError.for_field(
            "path", f"{path} lies inside MEDIA_ROOT ({media}); keep archives outside it."
        )


def _compression_for(path: Path) -> str:
    name = path.name.lower()
    if name.endswith((".tar.gz", ".tgz")):
        return "gz"
    if name.endswith(".tar"):
        return ""
    raise ValidationError.for_field(
        "path", f"{path.name}: the archive name must end with .tar.gz or .tar."
    )


def _compress_options(compression: str) -> dict:
    # Level 6 is gzip's own default: nearly the size of 9 at a fraction of the time.
    return {"compresslevel": 6} if compression == "gz" else {}


def _engine(connection) -> str:
    if connection.vendor not in DATABASE_MEMBERS:
        raise DomainError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _dump_database(connection, engine: str, target: Path) -> DatabaseState:
    if engine == "sqlite":
        return _sqlite_dump(connection, target)
    return _postgresql_dump(connection, target)


def _sqlite_dump(connection, target: Path) -> DatabaseState:
    """Copy the live database with SQLite's backup API: a consistent snapshot even while
    the server writes (WAL), unlike copying the file, which can catch a torn page."""
    name = str(connection.settings_dict["NAME"])
    if connection.creation.is_in_memory_db(name):
        raise DomainError("An in-memory SQLite database cannot be backed up.")
    if not Path(name).is_file():
        raise DomainError(f"The SQLite database {name} does not exist.")
    source = sqlite3.connect(name, timeout=20)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # all pages in one step: one read transaction, one snapshot
        # A self-contained file without -wal/-shm companions, so one tar member suffices.
        copy.execute("PRAGMA journal_mode=DELETE")
        return _database_state(copy.cursor(), "sqlite")
    finally:
        copy.close()
        source.close()


def _postgresql_dump(connection, target: Path) -> DatabaseState:
    """pg_dump inside an exported snapshot, so that the row counts and migration state in
    the manifest describe exactly the rows in the dump even while the server writes."""
    reader = connection.copy()  # its own session: the caller's may be inside a transaction
    try:
        reader.set_autocommit(False)
        with reader.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            state = _database_state(cursor, "postgresql")
            _run_pg_tool(
                "pg_dump",
                [
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                ],
                connection.settings_dict,
            )
        reader.rollback()
    finally:
        reader.close()
    return state


def _database_state(cursor, engine: str) -> DatabaseState:
    """Row count of every table and latest applied migrations, through a DB-API cursor
    (sqlite3 or Django's) so that backup and restore count the same way."""
    counts = {}
    for table in _table_names(cursor, engine):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - our table names
        counts[table] = cursor.fetchone()[0]
    applied: list[tuple[str, str]] = []
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations")
        applied = [(app, name) for app, name in cursor.fetchall()]
    return DatabaseState(row_counts=counts, migrations=_latest_migrations(applied))


def _table_names(cursor, engine: str) -> list[str]:
    if engine == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        )
    else:
        # Ordinary and partitioned tables of the current schema; partitions are counted
        # through their parent.
        cursor.execute(
            "SELECT c.relname FROM pg_catalog.pg_class c "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition "
            "AND n.nspname = current_schema() ORDER BY c.relname"
        )
    return [row[0] for row in cursor.fetchall()]


def _quote(table: str) -> str:
    return '"' + table.replace('"', '""') + '"'


def _latest_migrations(applied: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Per app, the applied migrations that no other applied migration of it depends on
    (usually one name; two after an unmerged branch). Unknown names count as latest."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    applied_set = set(applied)
    latest: dict[str, list[str]] = {}
    for app, name in sorted(applied_set):
        node = graph.node_map.get((app, name))
        children = node.children if node is not None else set()
        if not any(child[0] == app and child in applied_set for child in children):
            latest.setdefault(app, []).append(name)
    return latest


def _add_file(archive: tarfile.TarFile, source: Path, name: str) -> dict:
    """Add one file, hashing the very bytes written (a file that changes meanwhile
    cannot get a checksum that differs from its archived content)."""
    with open(source, "rb") as handle:
        stat = os.fstat(handle.fileno())
        info = _tar_info(name, stat.st_size, stat.st_mtime)
        reader = _HashingReader(handle)
        archive.addfile(info, reader)
    return {"size": stat.st_size, "sha256": reader.hexdigest()}


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    archive.addfile(_tar_info(name, len(data), datetime.now(UTC).timestamp()), io.BytesIO(data))


def _tar_info(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    # No owner names or ids: they mean nothing on the machine that restores.
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(mtime)
    info.mode = 0o600
    return info


class _HashingReader:
    def __init__(self, raw):
        self.raw = raw
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.digest.update(data)
        return data

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


def _add_media(archive: tarfile.TarFile, root: Path) -> dict[str, dict]:
    """Every regular file under MEDIA_ROOT, by relative path. Symbolic links are skipped:
    following them could pull in files from outside the media folder."""
    members: dict[str, dict] = {}
    if not root.is_dir():
        return members
    for folder, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for filename in sorted(filenames):
            source = Path(folder) / filename
            if source.is_symlink() or not source.is_file():
                continue
            name = MEDIA_PREFIX + source.relative_to(root).as_posix()
            members[name] = _add_file(archive, source, name)
    return members


def _manifest(engine, connection, state: DatabaseState, members, notices) -> dict:
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "platform_version": _platform_version(),
        "engine": engine,
        "database_member": DATABASE_MEMBERS[engine],
        "database_server_version": _server_version(connection),
        "media": {
            "included": not settings.S3_BUCKET,
            "files": sum(1 for name in members if name.startswith(MEDIA_PREFIX)),
            "notice": notices[0] if settings.S3_BUCKET else "",
        },
        "migrations": state.migrations,
        "row_counts": state.row_counts,
        "members": dict(sorted(members.items())),
    }
    manifest["checksum"] = _manifest_checksum(manifest)
    return manifest


def _platform_version() -> str:
    try:
        return metadata.version("bali-onedata")
    except metadata.PackageNotFoundError:
        return "unknown"


def _server_version(connection) -> str:
    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def _manifest_checksum(manifest: dict) -> str:
    """sha256 of the manifest without its own checksum: detects a hand-edited manifest
    (not a forged one; a backup is only as trustworthy as the place it is kept)."""
    body = {key: value for key, value in manifest.items() if key != "checksum"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _publish(partial: Path, path: Path, *, force: bool) -> None:
    """Give the finished archive its real name in one step. Without --force a hard link
    creates the name only if it is still free, so a file that appeared meanwhile is kept."""
    partial.chmod(0o600)  # it holds password and token hashes
    if force:
        os.replace(partial, path)
        return
    try:
        os.link(partial, path)
    except FileExistsError:
        raise ValidationError.for_field(
            "path", f"{path} already exists; choose another name or pass --force to replace it."
        ) from None
    except OSError:
        # Filesystems without hard links: check, then rename (a tiny race, no worse).
        if path.exists():
            raise ValidationError.for_field("path", f"{path} already exists.") from None
        os.replace(partial, path)
        return
    partial.unlink()


# --- PostgreSQL client tools -------------------------------------------------------------


def _run_pg_tool(tool: str, arguments: list[str], database: dict) -> None:
    """Run pg_dump or pg_restore with the connection taken from Django's settings. The
    password goes through PGPASSWORD, never the command line (visible to every user in ps)."""
    executable = shutil.which(tool)
    if executable is None:
        raise DomainError(
            f"{tool} was not found on PATH; install the PostgreSQL client tools "
            "of the same major version as the server."
        )
    result = subprocess.run(  # noqa: S603 - fixed executable, our own arguments
        [executable, *arguments],
        env=_pg_environment(database),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()[-2000:]
        raise DomainError(f"{tool} failed (exit status {result.returncode}): {detail}")


def _pg_environment(database: dict) -> dict[str, str]:
    environment = dict(os.environ)
    for key, variable in (
        ("NAME", "PGDATABASE"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
    ):
        if database.get(key):
            environment[variable] = str(database[key])
    for option, variable in PG_OPTION_ENV.items():
        value = (database.get("OPTIONS") or {}).get(option)
        if value is not None:
            environment[variable] = str(value)
    return environment


# --- Restore -----------------------------------------------------------------------------


def restore(path: Path | str, *, confirmed: bool, using: str = DEFAULT_DB_ALIAS):
    """Replace the database and media files with those in the archive; returns a report.

    Order matters: confirmation, then unpacking and checking everything in a staging
    folder, then the database (one transaction), and last the media folder swap. Any
    refusal before the database step leaves the current data exactly as it was.
    """
    if not confirmed:
        raise ValidationError.for_field(
            "yes",
            "Restoring replaces the current database and media files; pass --yes to confirm.",
        )
    path = Path(path).absolute()
    if not path.is_file():
        raise ValidationError.for_field("path", f"{path} is not a file.")
    _refuse_inside_media(path)
    connection = connections[using]
    engine = _engine(connection)
    with _staging_folder() as staging:
        manifest = _unpack_and_verify(path, staging)
        _check_compatible(manifest, engine)
        report = RestoreReport(manifest=manifest, row_counts={})
        dump = staging / manifest["database_member"]
        # Every open session would hold the old data (SQLite) or block the DROPs (PostgreSQL).
        connections.close_all()
        if engine == "sqlite":
            _sqlite_restore(connection.settings_dict, dump)
        else:
            _postgresql_restore(connection.settings_dict, dump)
        _restore_media(manifest, staging / "media", report)
    _compare_counts(connection, report)
    report.pending_migrations = _has_pending_migrations(connection)
    return report


@contextmanager
def _staging_folder() -> Iterator[Path]:
    """A temporary folder beside MEDIA_ROOT (same filesystem, so the media swap is a
    rename), removed on the way out whatever happens."""
    if settings.S3_BUCKET:
        parent = Path(settings.VAR_DIR)
    else:
        parent = Path(settings.MEDIA_ROOT).absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".onedata-restore-", dir=parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _unpack_and_verify(path: Path, staging: Path) -> dict:
    """Unpack every member into ``staging`` while hashing it, then check the manifest
    against what was found. Nothing outside ``staging`` is written."""
    found: dict[str, dict] = {}
    manifest_bytes = None
    try:
        with tarfile.open(path, mode="r:*") as archive:
            for member in archive:
                name = _checked_member_name(member)
                if name in found or (name == MANIFEST and manifest_bytes is not None):
                    raise _damaged(path, f"the member {name} appears twice")
                source = archive.extractfile(member)
                if name == MANIFEST:
                    if member.size > MAX_MANIFEST_BYTES:
                        raise _damaged(path, "manifest.json is implausibly large")
                    manifest_bytes = source.read()
                    continue
                found[name] = _unpack_member(source, staging / name, member.mtime)
            # tarfile stops quietly at a garbled header; reading the compressed stream to
            # its end makes gzip check its CRC, so damage is named as such.
            while archive.fileobj.read(COPY_CHUNK):
                pass
    except (tarfile.TarError, EOFError, zlib.error, OSError, ValueError, OverflowError) as error:
        raise _damaged(path, f"it could not be read ({error})") from None
    if manifest_bytes is None:
        raise _damaged(
            path, "it has no manifest.json (damaged or cut short, or not a Bali One Data backup)"
        )
    manifest = _parsed_manifest(path, manifest_bytes)
    _check_members(path, manifest, found)
    return manifest


def _damaged(path: Path, problem: str) -> ValidationError:
    return ValidationError.for_field(
        "path", f"Refusing to restore {path.name}: {problem}. Nothing was changed."
    )


def _checked_member_name(member: tarfile.TarInfo) -> str:
    """Only plain files with clean relative names: an absolute path, '..' or a link could
    write outside the staging folder."""
    name = member.name
    parts = name.split("/")
    if name.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise ValidationError.for_field(
            "path", f"Refusing to restore: unsafe member name {name!r}. Nothing was changed."
        )
    if not member.isreg():
        raise ValidationError.for_field(
            "path", f"Refusing to restore: {name!r} is not a plain file. Nothing was changed."
        )
    known = name == MANIFEST or name in DATABASE_MEMBERS.values()
    if not known and not name.startswith(MEDIA_PREFIX):
        raise ValidationError.for_field(
            "path",
            f"Refusing to restore: unexpected member {name!r}; "
            "not a Bali One Data backup. Nothing was changed.",
        )
    return name


def _unpack_member(source, target: Path, mtime: float) -> dict:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with open(target, "xb") as handle:
        while chunk := source.read(COPY_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            handle.write(chunk)
    os.utime(target, (mtime, mtime))
    return {"size": size, "sha256": digest.hexdigest()}


def _parsed_manifest(path: Path, raw: bytes) -> dict:
    try:
        manifest = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _damaged(path, f"manifest.json is not valid JSON ({error})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _damaged(path, "manifest.json does not describe a Bali One Data backup")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise _damaged(
            path,
            f"archive format version {manifest.get('format_version')!r} is not supported "
            f"(this version reads {FORMAT_VERSION})",
        )
    if manifest.get("checksum") != _manifest_checksum(manifest):
        raise _damaged(path, "manifest.json was changed after the backup (checksum mismatch)")
    engine = manifest.get("engine")
    shapes = [(key, dict) for key in ("members", "row_counts", "migrations", "media")]
    if engine not in DATABASE_MEMBERS or any(
        not isinstance(manifest.get(key), kind) for key, kind in shapes
    ):
        raise _damaged(path, "manifest.json lacks the engine, members, row counts or migrations")
    if manifest.get("database_member") != DATABASE_MEMBERS[engine]:
        raise _damaged(path, f"manifest.json names no {engine} database dump")
    return manifest


def _check_members(path: Path, manifest: dict, found: dict[str, dict]) -> None:
    expected: dict[str, dict] = manifest["members"]
    missing = sorted(set(expected) - set(found))
    unexpected = sorted(set(found) - set(expected))
    if missing:
        raise _damaged(path, f"members listed in the manifest are missing: {_few(missing)}")
    if unexpected:
        raise _damaged(path, f"members not listed in the manifest: {_few(unexpected)}")
    damaged = sorted(name for name in expected if expected[name] != found[name])
    if damaged:
        raise _damaged(path, f"checksum mismatch in {_few(damaged)}")
    if manifest["database_member"] not in found:
        raise _damaged(path, "the database dump is missing")


def _few(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _check_compatible(manifest: dict, engine: str) -> None:
    """Same engine, and no migration this code does not know (an archive from a newer
    version would leave tables that this code cannot read)."""
    if manifest["engine"] != engine:
        raise ValidationError.for_field(
            "path",
            f"Refusing to restore: the archive holds a {manifest['engine']} database but "
            f"this installation uses {engine}. Moving between engines is not a restore: "
            "use `onedata manage dumpdata` on the old installation and "
            "`onedata manage loaddata` on the new one. Nothing was changed.",
        )
    loader = MigrationLoader(None, ignore_no_migrations=True)
    unknown = [
        f"{app}.{name}"
        for app, names in sorted(manifest.get("migrations", {}).items())
        for name in names
        if app in loader.migrated_apps and (app, name) not in loader.disk_migrations
    ]
    if unknown:
        raise ValidationError.for_field(
            "path",
            "Refusing to restore: the archive comes from a newer version of the platform "
            f"(migrations unknown here: {_few(unknown)}). Upgrade first. Nothing was changed.",
        )


def _sqlite_restore(database: dict, dump: Path) -> None:
    """Copy the archived database into the configured file with the backup API: one
    write transaction, so other readers see either the old or the new database."""
    name = str(database["NAME"])
    source = sqlite3.connect(dump)
    target = sqlite3.connect(name, timeout=20)
    try:
        source.backup(target)
        # Fold the restored pages into the main file now rather than at some later write.
        target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error as error:
        raise DomainError(f"Restoring the SQLite database {name} failed: {error}") from None
    finally:
        target.close()
        source.close()


def _postgresql_restore(database: dict, dump: Path) -> None:
    """--clean drops every object the dump holds (tables, the audit trigger and its
    function) and recreates it; --single-transaction makes that all or nothing."""
    _run_pg_tool(
        "pg_restore",
        [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            f"--dbname={database['NAME']}",
            str(dump),
        ],
        database,
    )


def _restore_media(manifest: dict, staged: Path, report: RestoreReport) -> None:
    media = manifest.get("media") or {}
    if not media.get("included"):
        report.notices.append(
            "The archive holds no media files (they were in S3 when it was made); "
            "the media folder was left as it is. " + (media.get("notice") or "")
        )
        return
    if settings.S3_BUCKET:
        report.notices.append(
            f"Media files are now stored in the S3 bucket {settings.S3_BUCKET!r}; the "
            f"{media.get('files', 0)} media files in the archive were NOT restored."
        )
        return
    staged.mkdir(exist_ok=True)  # an archive of an empty media folder has no media members
    _swap_folder(staged, Path(settings.MEDIA_ROOT))
    report.media_files = media.get("files", 0)


def _swap_folder(staged: Path, root: Path) -> None:
    """Put ``staged`` in place of ``root`` by two renames, so the media folder is never
    half old, half new. If ``root`` cannot be renamed (a mount point), replace its
    contents entry by entry instead."""
    old = staged.parent / "media-old"
    try:
        if root.exists():
            os.rename(root, old)
        os.rename(staged, root)
        return
    except OSError:
        if old.exists() and not root.exists():
            os.rename(old, root)  # put the original back before the fallback
    root.mkdir(parents=True, exist_ok=True)
    for entry in list(root.iterdir()):
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    for entry in staged.iterdir():
        shutil.move(str(entry), str(root / entry.name))


def _compare_counts(connection, report: RestoreReport) -> None:
    with connection.cursor() as cursor:
        counts = _database_state(cursor, connection.vendor).row_counts
    report.row_counts = counts
    expected: dict[str, int] = report.manifest["row_counts"]
    for table, count in expected.items():
        if counts.get(table) != count:
            report.mismatches[table] = (count, counts.get(table))
    # Tables made by migrations newer than the archive survive a PostgreSQL restore.
    report.extra_tables = sorted(set(counts) - set(expected))


def _has_pending_migrations(connection) -> bool:
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
