from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand

from onedata.core.demo import DEMO_PASSWORD
from onedata.core.models import Membership


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
        # Read back from the database: modules add roles of their own (a hospital reporter
        # at a hospital, clinic staff at a puskesmas) after core's seed.
        for username, role, agency in logins:
            held = (
                Membership.objects.filter(user__username=username)
                .select_related("agency")
                .order_by("id")
            )
            roles = [(m.get_role_display(), m.agency.short_name or m.agency.name) for m in held]
            for index, (role_name, agency_name) in enumerate(roles or [(role, agency)]):
                name = username if index == 0 else ""
                self.stdout.write(f"  {name:<16} {role_name:<32} {agency_name}")
