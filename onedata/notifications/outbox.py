"""The demo's outbox: mail caught by the local SMTP sink (onedata/mailsink.py) as .eml
files under var/outbox/. Reading only; nothing here sends."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

from django.conf import settings

NAME = re.compile(r"^[0-9T]{15}-[0-9a-f]{8}\.eml$")


@dataclass(frozen=True)
class CaughtMail:
    name: str
    received_at: datetime
    sender: str
    to: str
    subject: str
    text: str
    html: str


def folder() -> Path:
    return settings.VAR_DIR / "outbox"


def _read(path: Path) -> CaughtMail:
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    return CaughtMail(
        name=path.name,
        received_at=datetime.fromtimestamp(path.stat().st_mtime, UTC),
        sender=str(message.get("From", "")),
        to=", ".join(str(v) for v in message.get_all("To", [])),
        subject=str(message.get("Subject", "")),
        text=text_part.get_content() if text_part else "",
        html=html_part.get_content() if html_part else "",
    )


def latest(limit: int = 100) -> list[CaughtMail]:
    if not folder().is_dir():
        return []
    paths = sorted((p for p in folder().iterdir() if NAME.match(p.name)), reverse=True)
    return [_read(path) for path in paths[:limit]]


def one(name: str) -> CaughtMail | None:
    if not NAME.match(name):  # never a path from the request
        return None
    path = folder() / name
    return _read(path) if path.is_file() else None
