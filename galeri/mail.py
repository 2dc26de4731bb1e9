"""Mail that reports a write (a decision, a submission): sent after the commit, never at the cost of the write.

A mail server that is down or refuses a message must not turn a saved decision into an error page, nor stop
the next mails of the same request: the failure is logged with its traceback (logger ``galeri.mail``, level
ERROR) and the request goes on. What the mail said stays visible in Galeri itself (the owner's dashboard and
status history), so nothing is lost; operators see the failures in the logs (docs/operations.md).
Buyer inquiries have their own delivery record and retry job (``inquiries.services.inquiry_notify``).
"""

import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

logger = logging.getLogger(__name__)


def mail_after_commit(*, subject: str, body: str, to: Sequence[str]) -> None:
    """Send once the surrounding transaction commits (never when it rolls back); a failure is logged, not raised."""
    recipients = list(to)
    transaction.on_commit(lambda: send_mail_logged(subject=subject, body=body, to=recipients), robust=True)


def send_mail_logged(*, subject: str, body: str, to: Sequence[str]) -> bool:
    """Send now; True when the backend accepted the message, False (and an ERROR log entry) when it failed."""
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, list(to))
    except Exception:  # any backend error: SMTP refusal, DNS, timeout, a full disk for the file backend
        logger.exception("Mail %r to %s failed; the change it reports is saved.", subject, ", ".join(to))
        return False
    return True
