from django.core.management.base import BaseCommand, CommandError

from onedata.core import services
from onedata.core.errors import DomainError
from onedata.core.models import User


class Command(BaseCommand):
    help = "Create an API token for a user and print it (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line")
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, username, name, days, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        try:
            issued = services.api_token_create(actor="cli", user=user, name=name, days=days)
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(issued.plaintext)
