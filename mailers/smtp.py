"""One message to one recipient over SMTP, and what the server's answer means for a retry."""

from __future__ import annotations

import asyncio
import email.utils
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from enum import StrEnum
from pathlib import Path

import aiosmtplib

from kernel.settings import Settings
from mailers.mail_folder import write_to_folder


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    username: str = ""
    password: str = ""
    security: str = "none"
    timeout_seconds: float = 30.0
    mail_from: str = "iepimplementation@localhost"
    mail_dir: str = ""
    """When set, messages are written there as ``.eml`` files instead of sent."""

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpConfig:
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password,
            security=settings.smtp_security,
            timeout_seconds=settings.smtp_timeout_seconds,
            mail_from=settings.mail_from,
            mail_dir=settings.mail_dir,
        )


@dataclass(frozen=True)
class Letter:
    """What the worker hands over: one outbox row's content and its one recipient."""

    message_id: str
    recipient: str
    subject: str
    body_text: str
    body_html: str


class Verdict(StrEnum):
    SENT = "SENT"
    RETRY = "RETRY"
    FAILED = "FAILED"


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    reason: str = ""


def build_message(letter: Letter, mail_from: str, date: datetime) -> EmailMessage:
    """Text part with an HTML alternative; the Message-ID is the row's, never a fresh one."""
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = letter.recipient
    message["Subject"] = letter.subject
    message["Message-ID"] = letter.message_id
    message["Date"] = email.utils.format_datetime(date)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(letter.body_text)
    message.add_alternative(letter.body_html, subtype="html")
    return message


def _by_code(code: int, what: str, message: str) -> Outcome:
    reason = f"{what}: {code} {message}".strip()[:500]
    if 500 <= code < 600:
        return Outcome(Verdict.FAILED, reason)
    return Outcome(Verdict.RETRY, reason)


def classify(exc: BaseException) -> Outcome:
    """Transient (retry): no connection, timeouts, disconnects, 4xx. Permanent: a 5xx about
    this message (its recipient, its content).

    Refusals of the connection or of the sender, and authentication or TLS problems, are the
    server's state or configuration, not the message's: they would fail every message, so
    they are retried until an operator fixes them (or the message's give-up time passes).
    """
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        refusals = exc.recipients
        if refusals and all(500 <= r.code < 600 for r in refusals):
            first = refusals[0]
            return Outcome(Verdict.FAILED, f"recipient refused: {first.code} {first.message}"[:500])
        codes = ", ".join(str(r.code) for r in refusals)
        return Outcome(Verdict.RETRY, f"recipient deferred: {codes}")
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
        return Outcome(Verdict.RETRY, f"authentication failed: {exc.code}")
    if isinstance(exc, aiosmtplib.SMTPTimeoutError | asyncio.TimeoutError | TimeoutError):
        return Outcome(Verdict.RETRY, "timed out talking to the mail server")
    if isinstance(exc, aiosmtplib.SMTPConnectResponseError):
        return Outcome(Verdict.RETRY, f"connection refused by server: {exc.code}")
    if isinstance(exc, aiosmtplib.SMTPSenderRefused):
        return Outcome(Verdict.RETRY, f"sender refused: {exc.code}")
    if isinstance(exc, aiosmtplib.SMTPDataError):
        return _by_code(exc.code, "message refused", exc.message)
    if isinstance(exc, aiosmtplib.SMTPHeloError):
        return Outcome(Verdict.RETRY, f"greeting refused: {exc.code}")
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return _by_code(exc.code, "server answered", exc.message)
    if isinstance(exc, aiosmtplib.SMTPServerDisconnected):
        return Outcome(Verdict.RETRY, "mail server disconnected")
    if isinstance(exc, aiosmtplib.SMTPConnectError | ConnectionError | OSError):
        return Outcome(Verdict.RETRY, "mail server unreachable")
    if isinstance(exc, aiosmtplib.SMTPNotSupported):
        return Outcome(Verdict.RETRY, "mail server does not support a required extension")
    return Outcome(Verdict.RETRY, f"unexpected {type(exc).__name__}")


async def deliver(config: SmtpConfig, letter: Letter, date: datetime) -> Outcome:
    """Send one letter; never raises for an SMTP or network failure (cancellation passes)."""
    message = build_message(letter, config.mail_from, date)
    if config.mail_dir:
        try:
            await write_to_folder(Path(config.mail_dir), message)
        except OSError as exc:
            return Outcome(Verdict.RETRY, f"cannot write to the mail folder: {exc.strerror}")
        return Outcome(Verdict.SENT)
    try:
        errors, _ = await aiosmtplib.send(
            message,
            sender=config.mail_from,
            recipients=[letter.recipient],
            hostname=config.host,
            port=config.port,
            username=config.username or None,
            password=config.password or None,
            timeout=config.timeout_seconds,
            use_tls=config.security == "tls",
            start_tls=config.security == "starttls",
        )
    except Exception as exc:
        return classify(exc)
    refused = errors.get(letter.recipient)
    if refused is None and errors:
        refused = next(iter(errors.values()))
    if refused is not None:
        return _by_code(refused.code, "recipient refused", refused.message)
    return Outcome(Verdict.SENT)
