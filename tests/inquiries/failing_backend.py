"""A mail backend that always fails, as an unreachable SMTP server does.

Use: ``override_settings(MAILERS={"default": {"BACKEND": "tests.inquiries.failing_backend.EmailBackend"}})``.
Django 6.1 builds MAILERS backends as ``Backend(alias=..., **OPTIONS)``.
"""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: list) -> int:
        raise smtplib.SMTPException("Connection unexpectedly closed (test backend)")
