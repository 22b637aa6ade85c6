from django.core.management.base import BaseCommand, CommandError

from onedata.core import backup
from onedata.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Write the database and media files to one archive (.tar.gz or .tar). "
        "Safe while the server runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="where to write the archive, e.g. onedata.tar.gz")
        parser.add_argument(
            "--force", action="store_true", help="replace the file if it already exists"
        )

    def handle(self, *args, path, force, **options):
        try:
            result = backup.backup_create(path, force=force)
        except DomainError as error:
            raise CommandError(error.message) from None
        for notice in result.notices:
            self.stderr.write(self.style.WARNING(notice))
        manifest = result.manifest
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {result.path} ({_size(result.size)}): "
                f"{manifest['engine']} database, {rows} rows in "
                f"{len(manifest['row_counts'])} tables, {manifest['media']['files']} media files."
            )
        )


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    value = size / 1024
    for unit in ("KiB", "MiB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"
