"""`onedata backup` and `onedata restore`: a round trip loses nothing, and a damaged,
foreign or unconfirmed restore is refused before anything changes. Runs on SQLite and
PostgreSQL alike (the engine comes from DATABASE_URL)."""

from __future__ import annotations

import importlib
import io
import json
import tarfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection

from onedata.core import audit, backup, services
from onedata.core.errors import ValidationError
from onedata.core.models import Agency, AuditEvent, Membership, Region, User
from onedata.core.regions import regions_load
from onedata.core.roles import Role
from tests.conftest import make_agency, make_user

pytestmark = pytest.mark.django_db(transaction=True)

APPEND_ONLY = importlib.import_module("onedata.core.migrations.0002_auditevent_append_only")
RECEIPT = "receipts/2025/nota-001.jpg"
RECEIPT_BYTES = bytes(range(256)) * 40


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.S3_BUCKET = ""
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def table_counts() -> dict[str, int]:
    """Row count of every table, counted independently of the backup module."""
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608 - a table name
            counts[table] = cursor.fetchone()[0]
    return counts


def read_manifest(path) -> dict:
    with tarfile.open(path) as archive:
        return json.loads(archive.extractfile(backup.MANIFEST).read())


def member_names(path) -> list[str]:
    with tarfile.open(path) as archive:
        return sorted(archive.getnames())


def small_platform(media_root) -> User:
    user = make_user("walidata")
    audit.record(actor=user, action="test.before_backup")
    (media_root / "upload.txt").write_bytes(b"kept")
    return user


def rewrite_archive(
    source, target, *, change_member=None, change_manifest=None, extra=None, rename=None
):
    """Copy an archive member by member, changing one member's bytes or name, or the
    manifest, or adding members."""
    with tarfile.open(source) as old, tarfile.open(target, "w:gz") as new:
        for info in old.getmembers():
            data = old.extractfile(info).read()
            if change_member and info.name == change_member[0]:
                data = change_member[1](data)
            if change_manifest and info.name == backup.MANIFEST:
                manifest = json.loads(data)
                change_manifest(manifest)
                data = json.dumps(manifest).encode()
            if rename and info.name == rename[0]:
                info.name = rename[1]
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
        for name, data in (extra or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
    return target


def flip_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]


def assert_refused_and_unchanged(path, tmp_path, media_root, *, match: str) -> None:
    """After a backup, a user and a media change were made; a refused restore keeps both."""
    with pytest.raises(ValidationError, match=match) as refusal:
        backup.restore(path, confirmed=True)
    assert "Nothing was changed" in refusal.value.message
    assert User.objects.filter(username="after-backup").exists()
    assert (media_root / "upload.txt").read_bytes() == b"changed"
    assert not list(tmp_path.glob(".onedata-restore-*"))


def change_after_backup(media_root) -> None:
    make_user("after-backup")
    (media_root / "upload.txt").write_bytes(b"changed")


def test_round_trip_restores_database_and_media_exactly(tmp_path, media_root):
    regions_load()
    agency = make_agency("diskominfos", "51")
    admin = make_user("root", Role.PLATFORM_ADMIN, agency, first_name="Made")
    employee = make_user("pegawai", Role.EMPLOYEE, agency)
    issued = services.api_token_create(actor=admin, user=admin, name="sync script")
    audit.record(actor=admin, action="test.before_backup", after={"note": "kept"})
    receipt = media_root / RECEIPT
    receipt.parent.mkdir(parents=True)
    receipt.write_bytes(RECEIPT_BYTES)
    village = Region.objects.filter(level="village").order_by("code").first()
    before = table_counts()
    archive = tmp_path / "onedata.tar.gz"

    call_command("backup", str(archive), stdout=StringIO())

    manifest = read_manifest(archive)
    assert manifest["row_counts"] == before
    assert manifest["engine"] == connection.vendor
    from django.db.migrations.loader import MigrationLoader

    core_leaves = MigrationLoader(connection).graph.leaf_nodes("core")
    assert manifest["migrations"]["core"] == [name for _app, name in core_leaves]
    assert "media/" + RECEIPT in manifest["members"]

    # Change, delete and add after the backup; audit events can only be added.
    Agency.objects.filter(pk=agency.pk).update(name="Renamed")
    Region.objects.filter(pk=village.pk).update(name="Renamed village")
    employee.delete()
    services.api_token_revoke(actor=admin, token=issued.token)
    audit.record(actor=admin, action="test.after_backup")
    make_user("after-backup")
    receipt.write_bytes(b"overwritten")
    (media_root / "new-upload.txt").write_bytes(b"not in the backup")
    assert services.api_token_authenticate(issued.plaintext) is None

    output = StringIO()
    call_command("restore", str(archive), yes=True, stdout=output, stderr=StringIO())

    assert "Row counts match the archive" in output.getvalue()
    assert table_counts() == before
    assert Agency.objects.get(pk=agency.pk).name == agency.name
    assert Region.objects.get(pk=village.pk).name == village.name
    restored = User.objects.get(username="pegawai")
    assert Membership.objects.filter(user=restored, role=Role.EMPLOYEE, agency=agency).exists()
    assert User.objects.get(username="root").first_name == "Made"
    assert not User.objects.filter(username="after-backup").exists()
    assert services.api_token_authenticate(issued.plaintext) == admin
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"api_token.create", "test.before_backup"} <= actions
    assert not actions & {"api_token.revoke", "test.after_backup"}
    assert receipt.read_bytes() == RECEIPT_BYTES
    assert not (media_root / "new-upload.txt").exists()
    with pytest.raises(DatabaseError), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'rewritten'")
    assert not list(tmp_path.glob(".onedata-*"))


def test_restore_when_dump_member_is_tampered_is_refused_before_anything_changes(
    tmp_path, media_root
):
    small_platform(media_root)
    result = backup.backup_create(tmp_path / "good.tar.gz")
    change_after_backup(media_root)
    dump_member = result.manifest["database_member"]
    bad = rewrite_archive(
        result.path, tmp_path / "bad.tar.gz", change_member=(dump_member, flip_byte)
    )

    assert_refused_and_unchanged(
        bad, tmp_path, media_root, match=f"checksum mismatch in {dump_member}"
    )


def test_restore_when_manifest_is_edited_is_refused(tmp_path, media_root):
    small_platform(media_root)
    result = backup.backup_create(tmp_path / "good.tar.gz")
    change_after_backup(media_root)

    def more_users(manifest):
        manifest["row_counts"]["core_user"] += 1

    bad = rewrite_archive(result.path, tmp_path / "bad.tar.gz", change_manifest=more_users)

    assert_refused_and_unchanged(bad, tmp_path, media_root, match="manifest.json was changed")


def test_restore_when_archive_bytes_are_damaged_is_refused(tmp_path, media_root):
    small_platform(media_root)
    result = backup.backup_create(tmp_path / "good.tar.gz")
    change_after_backup(media_root)
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(flip_byte(result.path.read_bytes()))

    assert_refused_and_unchanged(bad, tmp_path, media_root, match="Refusing to restore")


def test_restore_when_member_escapes_the_folder_is_refused(tmp_path, media_root):
    small_platform(media_root)
    result = backup.backup_create(tmp_path / "good.tar.gz")
    change_after_backup(media_root)
    bad = rewrite_archive(
        result.path, tmp_path / "bad.tar.gz", extra={"media/../../escaped.txt": b"x"}
    )

    assert_refused_and_unchanged(bad, tmp_path, media_root, match="unsafe member name")
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_restore_of_a_foreign_archive_is_refused(tmp_path, media_root):
    small_platform(media_root)
    change_after_backup(media_root)
    foreign = tmp_path / "foreign.tar.gz"
    with tarfile.open(foreign, "w:gz") as archive:
        info = tarfile.TarInfo("media/photo.jpg")
        archive.addfile(info, io.BytesIO(b""))

    assert_refused_and_unchanged(foreign, tmp_path, media_root, match="no manifest.json")


def test_restore_from_another_engine_is_refused_and_points_to_dumpdata(tmp_path, media_root):
    small_platform(media_root)
    result = backup.backup_create(tmp_path / "good.tar.gz")
    change_after_backup(media_root)
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    ours, theirs = backup.DATABASE_MEMBERS[connection.vendor], backup.DATABASE_MEMBERS[other]

    def other_engine(manifest):
        manifest["engine"] = other
        manifest["database_member"] = theirs
        manifest["members"][theirs] = manifest["members"].pop(ours)
        manifest["checksum"] = backup._manifest_checksum(manifest)

    moved = rewrite_archive(
        result.path,
        tmp_path / "other.tar.gz",
        change_manifest=other_engine,
        rename=(ours, theirs),
    )

    assert_refused_and_unchanged(moved, tmp_path, media_root, match="dumpdata")


def test_restore_of_an_archive_from_a_newer_version_is_refused(tmp_path, media_root):
    small_platform(media_root)
    result = backup.backup_create(tmp_path / "good.tar.gz")
    change_after_backup(media_root)

    def future_migration(manifest):
        manifest["migrations"]["core"] = ["0099_from_the_future"]
        manifest["checksum"] = backup._manifest_checksum(manifest)

    newer = rewrite_archive(
        result.path, tmp_path / "newer.tar.gz", change_manifest=future_migration
    )

    assert_refused_and_unchanged(newer, tmp_path, media_root, match="core.0099_from_the_future")


def test_backup_into_the_media_folder_is_refused(tmp_path, media_root):
    with pytest.raises(ValidationError, match="inside MEDIA_ROOT"):
        backup.backup_create(media_root / "backup.tar.gz")
    assert not list(media_root.iterdir())


def test_restore_without_yes_is_refused(tmp_path, media_root):
    small_platform(media_root)
    archive = backup.backup_create(tmp_path / "good.tar.gz").path
    change_after_backup(media_root)

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive), interactive=False)
    with pytest.raises(ValidationError, match="--yes"):
        backup.restore(archive, confirmed=False)
    assert User.objects.filter(username="after-backup").exists()
    assert (media_root / "upload.txt").read_bytes() == b"changed"


def test_backup_to_an_existing_file_is_refused_without_force(tmp_path, media_root):
    small_platform(media_root)
    target = tmp_path / "existing.tar.gz"
    target.write_bytes(b"precious")

    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(target), stdout=StringIO())
    assert target.read_bytes() == b"precious"

    call_command("backup", str(target), force=True, stdout=StringIO())
    assert read_manifest(target)["format"] == backup.FORMAT
    assert not list(tmp_path.glob(".onedata-*"))


def test_backup_with_plain_tar_round_trips(tmp_path, media_root):
    small_platform(media_root)
    archive = backup.backup_create(tmp_path / "plain.tar").path
    change_after_backup(media_root)

    report = backup.restore(archive, confirmed=True)

    assert report.mismatches == {}
    assert not User.objects.filter(username="after-backup").exists()
    assert (media_root / "upload.txt").read_bytes() == b"kept"


def test_backup_when_media_is_in_s3_keeps_only_the_database(settings, tmp_path, media_root):
    small_platform(media_root)
    settings.S3_BUCKET = "onedata-media"

    result = backup.backup_create(tmp_path / "db-only.tar.gz")

    assert "versioning" in result.notices[0]
    assert result.manifest["media"] == {
        "included": False,
        "files": 0,
        "notice": result.notices[0],
    }
    assert member_names(result.path) == sorted(
        [result.manifest["database_member"], "manifest.json"]
    )
