"""Handing a message to the mail relay, and what its answer means.

The only module here that talks SMTP. It reports what happened; services decide what to
record. With an SMTP relay configured (the default and production) it uses smtplib to
see each recipient's reply code; with another Django mail backend (console, memory) it
hands the message to that backend.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@dataclass
class Outcome:
    """``delivered`` lists accepted recipients; ``bounced`` maps refused ones to the reply."""

    delivered: list[str] = field(default_factory=list)
    bounced: dict[str, str] = field(default_factory=dict)
    temporary_error: str = ""  # set when the whole attempt should be retried later

    @property
    def is_temporary(self) -> bool:
        return bool(self.temporary_error)


def build(message, recipients: list[str]) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text or "",
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=[r for r in message.to if r in recipients],
        cc=[r for r in message.cc if r in recipients],
        bcc=[r for r in message.bcc if r in recipients],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers={"X-OneData-Message-ID": str(message.pk)},
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    for attachment in message.attachments.all():
        email.attach(attachment.filename, bytes(attachment.content), attachment.content_type)
    return email


class Relay:
    """One SMTP connection for the messages of a batch, like Django's EmailBackend used in
    a ``with`` block: opening a connection and greeting the relay cost more than sending
    a small message. After an error the connection is dropped and the next message opens
    a new one; ``close`` (or the end of the ``with`` block) says QUIT."""

    def __init__(self):
        self._connection: smtplib.SMTP | None = None
        self.used = 0  # messages sent over the current connection

    def __enter__(self) -> Relay:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def connection(self) -> smtplib.SMTP:
        if self._connection is None:
            self._connection, self.used = _connect(), 0
        return self._connection

    def drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(OSError):
                connection.close()

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.quit()
            except (OSError, smtplib.SMTPException):
                connection.close()


def send(message, recipients: list[str], relay: Relay | None = None) -> Outcome:
    email = build(message, recipients)
    if settings.EMAIL_BACKEND != SMTP_BACKEND:
        get_connection(fail_silently=False).send_messages([email])
        return Outcome(delivered=list(recipients))
    if relay is None:
        with Relay() as relay:
            return _send_smtp(email, recipients, relay)
    return _send_smtp(email, recipients, relay)


def _send_smtp(email: EmailMultiAlternatives, recipients: list[str], relay: Relay) -> Outcome:
    content = email.message().as_bytes(linesep="\r\n")
    for _try in range(2):
        try:
            connection = relay.connection()
        except (OSError, smtplib.SMTPException) as error:
            relay.drop()
            return Outcome(temporary_error=f"connection: {error}")
        reused = relay.used > 0
        try:
            refused = connection.sendmail(email.from_email, recipients, content)
        except smtplib.SMTPServerDisconnected as error:
            relay.drop()
            if reused:
                continue  # the relay closed a kept connection: once more on a new one
            return Outcome(temporary_error=f"{type(error).__name__}: {error}")
        except smtplib.SMTPRecipientsRefused as error:  # smtplib sent RSET: still usable
            return _classify_refusals(error.recipients, recipients)
        except smtplib.SMTPResponseException as error:
            if error.smtp_code == 421:  # the relay is closing the connection
                relay.drop()
            reply = f"{error.smtp_code} {_text(error.smtp_error)}"
            if 500 <= error.smtp_code < 600:
                return Outcome(bounced=dict.fromkeys(recipients, reply))
            return Outcome(temporary_error=reply)
        except (OSError, smtplib.SMTPException) as error:  # disconnects, timeouts
            relay.drop()
            return Outcome(temporary_error=f"{type(error).__name__}: {error}")
        relay.used += 1
        return _classify_refusals(refused, recipients)
    return Outcome(temporary_error="the relay closed the connection twice")


def _classify_refusals(refused: dict, recipients: list[str]) -> Outcome:
    outcome = Outcome()
    temporary = []
    for recipient in recipients:
        if recipient not in refused:
            outcome.delivered.append(recipient)
            continue
        code, text = refused[recipient]
        reply = f"{code} {_text(text)}"
        if 500 <= code < 600:
            outcome.bounced[recipient] = reply
        else:
            temporary.append(f"{recipient}: {reply}")
    if temporary and not outcome.delivered and not outcome.bounced:
        outcome.temporary_error = "; ".join(temporary)
    elif temporary:
        # Partly accepted: retrying would send twice to those who got it. Record it.
        for line in temporary:
            recipient = line.split(":", 1)[0]
            outcome.bounced[recipient] = "temporary refusal after others accepted: " + line
    return outcome


def _connect() -> smtplib.SMTP:
    timeout = getattr(settings, "EMAIL_TIMEOUT", None) or 20
    host, port = settings.EMAIL_HOST, settings.EMAIL_PORT
    if settings.EMAIL_USE_SSL:
        connection = smtplib.SMTP_SSL(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = smtplib.SMTP(host, port, timeout=timeout)
        if settings.EMAIL_USE_TLS:
            connection.starttls(context=ssl.create_default_context())
    if settings.EMAIL_HOST_USER:
        connection.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
    return connection


def _text(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)
