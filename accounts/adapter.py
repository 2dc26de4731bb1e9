"""How allauth talks to Galeri: the site's own name in the mails it sends."""

import logging
from dataclasses import dataclass

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

logger = logging.getLogger("galeri.mail")


@dataclass(frozen=True)
class MailSite:
    """What allauth's mail templates read from ``current_site`` (we run without django.contrib.sites)."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Without the sites framework allauth names the site after the request's host ("Hello from 127.0.0.1:8000!").
        request = self.request
        domain = request.get_host() if request is not None else settings.SITE_URL.split("://", 1)[-1]
        context = {**context, "current_site": MailSite(name=settings.SITE_NAME, domain=domain)}
        try:
            super().send_mail(template_prefix, email, context)
        except Exception:  # the mail server is down: the account is saved; "send again" and reset links retry
            # Logged, not raised: a 500 would leave the new account created but the person told nothing.
            logger.exception("Account mail %s to %s failed.", template_prefix, email)
