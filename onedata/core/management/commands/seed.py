from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand

from onedata.core.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load regions and demo data (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        from onedata.core import demo

        logins = demo.seed(self.stdout)
        for config in apps.get_app_configs():
            if config.name.startswith("onedata.") and config.name != "onedata.core":
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError:
                    continue
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, role, agency in logins:
            self.stdout.write(f"  {username:<16} {role:<24} {agency}")
