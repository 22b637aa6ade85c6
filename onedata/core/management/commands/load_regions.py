from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onedata.core.errors import ValidationError
from onedata.core.regions import BALI_REGIONS_CSV, regions_load


class Command(BaseCommand):
    help = "Load regions from a CSV (code,name,level,parent_code); default: Bali."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(BALI_REGIONS_CSV))

    def handle(self, *args, path, **options):
        try:
            count = regions_load(path=Path(path))
        except ValidationError as error:
            lines = [f"{where}: {'; '.join(problems)}" for where, problems in error.fields.items()]
            raise CommandError("\n".join([error.message, *lines[:20]])) from None
        self.stdout.write(self.style.SUCCESS(f"{count} regions loaded from {path}"))
