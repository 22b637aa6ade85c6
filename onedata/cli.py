"""The ``onedata`` command: demo, serve, worker, token, seed, and any manage.py command."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

DEFAULT_BIND = "127.0.0.1:8000"


def _django(mode: str | None = None) -> None:
    if mode:
        os.environ.setdefault("ONEDATA_MODE", mode)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onedata.settings")
    import django

    django.setup()


def _manage(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def cmd_seed(args) -> None:
    _django()
    _manage("seed")


def cmd_token(args) -> None:
    _django()
    from django.core.management import call_command

    call_command("issue_token", args.username, name=args.name, days=args.days)


def cmd_backup(args) -> None:
    _django()
    from django.core.management import CommandError, call_command

    try:
        call_command("backup", args.path, force=args.force)
    except CommandError as error:
        sys.exit(f"onedata backup: {error}")


def cmd_restore(args) -> None:
    _django()
    from django.core.management import CommandError, call_command

    try:
        call_command("restore", args.path, yes=args.yes)
    except CommandError as error:
        sys.exit(f"onedata restore: {error}")


def _gunicorn_argv(bind: str) -> list[str]:
    workers = os.environ.get("WEB_CONCURRENCY", "2")
    threads = os.environ.get("WEB_THREADS", "4")
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "onedata.wsgi:application",
        "--bind",
        bind,
        "--workers",
        workers,
        "--threads",
        threads,
        "--graceful-timeout",
        "10",
        # Longer than gunicorn's 2 s default and than nginx's upstream keep-alive: a proxy
        # must never reuse a connection gunicorn is closing (a 502 on a POST).
        "--keep-alive",
        os.environ.get("WEB_KEEPALIVE", "75"),
    ]


def _worker_argv() -> list[str]:
    from django.conf import settings

    if settings.REDIS_URL:
        return [
            sys.executable,
            "-m",
            "django",
            "rqworker",
            "default",
            "--with-scheduler",
            "--job-class",
            "django_tasks_rq.Job",
        ]
    return [sys.executable, "-m", "django", "db_worker", "--no-startup-delay"]


def _metrics_dir() -> None:
    """Workers of one gunicorn share their metrics through files in this folder."""
    from django.conf import settings

    folder = settings.VAR_DIR / "prometheus"
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.db"):
            stale.unlink()
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)


def cmd_serve(args) -> None:
    _django()
    _metrics_dir()
    os.execv(sys.executable, _gunicorn_argv(args.bind))  # noqa: S606 - our own argv


def cmd_worker(args) -> None:
    _django()
    os.execv(sys.executable, _worker_argv())  # noqa: S606


def _scheduler_argv() -> list[str]:
    return [sys.executable, "-m", "django", "scheduler"]


def cmd_scheduler(args) -> None:
    _django()
    os.execv(sys.executable, _scheduler_argv())  # noqa: S606


def cmd_mailsink(args) -> None:
    _django()
    from django.conf import settings

    from onedata import mailsink

    mailsink.run(settings.VAR_DIR / "outbox", port=args.port)


def cmd_demo(args) -> None:
    """Set up (migrate, seed) and run web server, task worker, scheduler and mail sink."""
    os.environ["ONEDATA_MODE"] = "demo"
    _django("demo")
    from django.conf import settings

    _manage("migrate", "--no-input", "-v", "0")
    _manage("seed")
    _metrics_dir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "onedata.settings"}
    port = str(settings.EMAIL_PORT)
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "onedata.cli", "mailsink", "--port", port], env=env
        ),
        subprocess.Popen(_worker_argv(), env=env),
        subprocess.Popen(_scheduler_argv(), env=env),
        subprocess.Popen(_gunicorn_argv(args.bind), env=env),
    ]
    print(f"\n  Bali One Data is running at http://{args.bind}/  (Ctrl-C stops it)\n", flush=True)
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stopping and all(child.poll() is None for child in children):
        time.sleep(0.5)
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for child in children:
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()
    sys.exit(0 if stopping else 1)


def cmd_manage(args) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onedata.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["onedata manage", *args.rest])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="onedata", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="set up with demo data and run everything")
    demo.add_argument("--bind", default=os.environ.get("ONEDATA_BIND", DEFAULT_BIND))
    demo.set_defaults(func=cmd_demo)
    serve = sub.add_parser("serve", help="run the web server (gunicorn)")
    serve.add_argument("--bind", default=os.environ.get("ONEDATA_BIND", DEFAULT_BIND))
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("worker", help="run a task worker").set_defaults(func=cmd_worker)
    sub.add_parser("scheduler", help="enqueue periodic tasks when due").set_defaults(
        func=cmd_scheduler
    )
    sub.add_parser("seed", help="load regions and demo data").set_defaults(func=cmd_seed)
    token = sub.add_parser("token", help="print a new API token for a user")
    token.add_argument("username")
    token.add_argument("--name", default="command line")
    token.add_argument("--days", type=int, default=None)
    token.set_defaults(func=cmd_token)
    backup = sub.add_parser("backup", help="write the database and media files to an archive")
    backup.add_argument("path", help="the archive to write, e.g. onedata-2025-01-31.tar.gz")
    backup.add_argument("--force", action="store_true", help="replace an existing file")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="replace database and media files from an archive")
    restore.add_argument("path", help="an archive written by `onedata backup`")
    restore.add_argument("--yes", action="store_true", help="confirm replacing the current data")
    restore.set_defaults(func=cmd_restore)
    sink = sub.add_parser("mailsink", help="run the local SMTP sink (demo)")
    sink.add_argument("--port", type=int, default=8025)
    sink.set_defaults(func=cmd_mailsink)
    manage = sub.add_parser("manage", help="any Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
