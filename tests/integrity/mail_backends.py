"""Mail backends that fail as real mail servers do (Django 6.1 MAILERS builds them as ``Backend(alias=...)``).

``FailingBackend`` refuses every message; ``FlakyBackend`` refuses the first message of a test and delivers
the others to ``django.core.mail.outbox`` like the locmem backend, to show one failure does not stop the rest.
"""

import smtplib

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

FAILING = {"default": {"BACKEND": "tests.integrity.mail_backends.FailingBackend"}}
FLAKY = {"default": {"BACKEND": "tests.integrity.mail_backends.FlakyBackend"}}


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: list) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed (test backend)")


class FlakyBackend(BaseEmailBackend):
    refused = 0  # class-level: each send_mail() builds a new backend

    def send_messages(self, email_messages: list) -> int:
        if FlakyBackend.refused == 0:
            FlakyBackend.refused += 1
            raise smtplib.SMTPRecipientsRefused({"first@example.test": (550, b"mailbox unavailable")})
        if not hasattr(mail, "outbox"):
            mail.outbox = []
        mail.outbox.extend(email_messages)
        return len(email_messages)
