"""A local SMTP server for the demo: every mail it receives is kept as a .eml file in
var/outbox/, so a new user sees mail arrive without a real mail relay."""

from __future__ import annotations

import logging
import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller


class OutboxHandler:
    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}.eml"
        temporary = self.folder / (name + ".part")
        temporary.write_bytes(envelope.original_content or envelope.content)
        temporary.rename(self.folder / name)  # readers never see half a mail
        return "250 Message accepted for delivery"


def run(folder: Path, host: str = "127.0.0.1", port: int = 8025) -> None:
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every peer
    controller = Controller(OutboxHandler(folder), hostname=host, port=port)
    controller.start()
    print(f"Mail sink listening on {host}:{port}, keeping mail in {folder}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
