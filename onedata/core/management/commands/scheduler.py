"""``onedata scheduler``: enqueue each module's periodic tasks when they are due."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from onedata.core import scheduling


class Command(BaseCommand):
    help = "Enqueue periodic tasks (modules' schedule.py) when due; run one per host or more."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=15.0, help="seconds between looks")
        parser.add_argument("--once", action="store_true", help="look once and exit")

    def handle(self, *args, interval: float, once: bool, **options):
        names = ", ".join(p.name for p in scheduling.all_periodic()) or "none"
        self.stdout.write(f"scheduler: periodic tasks: {names}")
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while not stopping:
            try:
                for name in scheduling.enqueue_due():
                    self.stdout.write(f"scheduler: enqueued {name}")
            except DatabaseError as error:  # the database restarts: try again next round
                self.stderr.write(f"scheduler: database unavailable ({error}); retrying")
            if once:
                break
            close_old_connections()  # a connection the database dropped is not reused
            slept = 0.0
            while slept < interval and not stopping:
                time.sleep(0.5)
                slept += 0.5
