"""The ways out: an SMTP mailer and the province's SMS gateway behind a small protocol.

Both are chosen by configuration (CREDIT_CASES_SMTP_*, CREDIT_CASES_SMS_GATEWAY); with neither,
notifications stay in-app and nothing is sent. docs/notifications.md describes the SMS hook.
"""
from __future__ import annotations

import importlib
import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Protocol

from workflows.core.config import MailSettings, Settings

log = logging.getLogger(__name__)


class PermanentFailure(Exception):
    """The server refused this message for good (e.g. an unknown recipient): not retried."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime: tuple[str, str] = ("application", "pdf")


class Mailer:
    """Sends one message per connection over SMTP (STARTTLS or TLS, login when configured)."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings

    def send(self, to: str, subject: str, body: str, attachments: list[Attachment] = ()) -> None:
        message = self._message(to, subject, body, attachments)
        try:
            with self._connect() as smtp:
                if self.settings.username:
                    smtp.login(self.settings.username, self.settings.password)
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as err:
            if all(code >= 500 for code, _text in err.recipients.values()):  # 4xx: try again later
                raise PermanentFailure(f"收件地址被拒绝：{to}") from err
            raise

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.ssl:
            return smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=ssl.create_default_context())
        smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        if s.starttls:
            smtp.starttls(context=ssl.create_default_context())
        return smtp

    def _message(self, to: str, subject: str, body: str, attachments: list[Attachment]) -> EmailMessage:
        message = EmailMessage()
        message["From"] = formataddr(("公共信用案件系统", self.settings.sender))
        message["To"] = to
        message["Subject"] = subject
        message["Message-ID"] = make_msgid(domain=self.settings.sender.rpartition("@")[2] or None)
        message.set_content(body)
        for item in attachments:
            message.add_attachment(item.content, maintype=item.mime[0], subtype=item.mime[1], filename=item.filename)
        return message


class SmsGateway(Protocol):
    """The province's SMS gateway: one short text to one mobile number; raise to retry later,
    `PermanentFailure` to give up on that message."""

    def send(self, mobile: str, text: str) -> None: ...


class LoggingSms:
    """Development stand-in: the text goes to the log, nothing leaves the machine."""

    def send(self, mobile: str, text: str) -> None:
        log.info("SMS to %s: %s", mobile[:3] + "****" + mobile[-4:], text)


def load_sms_gateway(spec: str) -> SmsGateway | None:
    """"" → None; "log" → LoggingSms; "package.module:factory" → factory() (reads its own settings)."""
    if not spec:
        return None
    if spec == "log":
        return LoggingSms()
    module, _, name = spec.partition(":")
    if not name:
        raise ValueError(f"CREDIT_CASES_SMS_GATEWAY must be 'log' or 'package.module:factory', not {spec!r}")
    return getattr(importlib.import_module(module), name)()


@dataclass(frozen=True)
class Courier:
    """What the delivery functions send through; both None: in-app only."""

    mailer: Mailer | None = None
    sms: SmsGateway | None = None
    public_url: str = "http://127.0.0.1:5000"

    @classmethod
    def from_settings(cls, settings: Settings) -> "Courier":
        return cls(Mailer(settings.mail) if settings.mail else None, load_sms_gateway(settings.sms_gateway),
                   settings.public_url.rstrip("/"))
