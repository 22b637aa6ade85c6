"""Structured JSON logs with the request id on every line, secrets and NIK scrubbed.

Used by settings.LOGGING. The scrubbing is a filter on the handler, so no logger anywhere
in the process (ours, Django's, a library's) can write a NIK or a token in clear.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

from onedata.core import context

# 16 digits not inside a longer number: a NIK (or a card number: masked all the same).
NIK_IN_TEXT = re.compile(r"(?<!\d)(\d{4})\d{8}(\d{4})(?!\d)")
TOKEN_IN_TEXT = re.compile(r"\bod_[0-9a-f]{12}_[A-Za-z0-9_\-]+")
SECRET_ASSIGNMENT = re.compile(
    r"(?i)\b(password|passwd|secret|token|api[_-]?key|authorization)(\"?\s*[:=]\s*\"?)"
    r"(bearer\s+)?[^\s\"',;&]+"
)


def scrub(text: str) -> str:
    text = TOKEN_IN_TEXT.sub("od_***", text)
    text = SECRET_ASSIGNMENT.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)
    return NIK_IN_TEXT.sub(r"\1********\2", text)


class ScrubFilter(logging.Filter):
    """Renders the message once, scrubs it, and drops the raw arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the line
            message = str(record.msg)
        record.msg = scrub(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        ctx = context.current()
        record.request_id = getattr(record, "request_id", "") or ctx.request_id
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, extras."""

    EXTRA_FIELDS = ("method", "path", "status", "duration_ms", "user_id", "route")

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
        }
        for field in self.EXTRA_FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if record.exc_text:
            line["exception"] = record.exc_text
        elif record.exc_info:
            line["exception"] = scrub(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)
