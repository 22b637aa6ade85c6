import sys

from django.core.management.base import BaseCommand, CommandError

from onedata.core import backup
from onedata.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Replace the database and media files with those in a backup archive. "
        "Stop the web server and workers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive written by `onedata backup`")
        parser.add_argument(
            "--yes", action="store_true", help="confirm that the current data is replaced"
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="never ask; refuse unless --yes is given",
        )

    def handle(self, *args, path, yes, interactive=True, **options):
        confirmed = yes or (interactive and self._ask(path))
        try:
            report = backup.restore(path, confirmed=confirmed)
        except DomainError as error:
            raise CommandError(error.message) from None
        manifest = report.manifest
        self.stdout.write(
            f"Restored {path}: made {manifest['created_at']} by version "
            f"{manifest['platform_version']}, {manifest['engine']} database, "
            f"{report.media_files} media files."
        )
        for notice in report.notices:
            self.stderr.write(self.style.WARNING(notice))
        if report.extra_tables:
            self.stderr.write(
                self.style.WARNING(
                    "Tables not in the archive were left as they were: "
                    + ", ".join(report.extra_tables)
                )
            )
        if report.pending_migrations:
            self.stderr.write(
                self.style.WARNING(
                    "The archive is from an older version: run `onedata manage migrate` next."
                )
            )
        if report.mismatches:
            lines = [
                f"  {table}: archive {expected}, now {actual}"
                for table, (expected, actual) in sorted(report.mismatches.items())
            ]
            raise CommandError("Row counts differ from the archive:\n" + "\n".join(lines))
        self.stdout.write(
            self.style.SUCCESS(
                f"Row counts match the archive for all {len(manifest['row_counts'])} tables."
            )
        )

    def _ask(self, path) -> bool:
        # Only a person at a terminal can confirm; scripts must say --yes.
        if not sys.stdin.isatty():
            return False
        answer = input(
            f"This replaces the current database and media files with {path}.\n"
            "Type 'yes' to continue: "
        )
        return answer.strip().lower() == "yes"
