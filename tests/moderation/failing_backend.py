"""A mail backend that always fails, as an unreachable SMTP server does (MAILERS builds it with alias=...)."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: list) -> int:
        raise smtplib.SMTPException("Connection unexpectedly closed (test backend)")
