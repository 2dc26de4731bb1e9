"""Helpers for the account tests: allauth's pages are driven the way a browser drives them."""

import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.test import Client

LINK = re.compile(r"https?://testserver(/\S+)")


def link_in(message: mail.EmailMessage) -> str:
    """The path of the one link in a mail allauth sent (verification, password reset)."""
    paths = LINK.findall(message.body)
    assert len(paths) == 1, message.body
    return paths[0]


def log_in(client: Client, email: str, password: str, *, prefix: str = ""):
    return client.post(f"{prefix}/akun/login/", {"login": email, "password": password})


def reauthenticate(client: Client, password: str) -> None:
    """Confirm the password, as allauth asks before an email change or two-factor setup."""
    response = client.post("/akun/reauthenticate/", {"password": password})
    assert response.status_code == 302, response.content.decode()


def logged_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


class FormAudit(HTMLParser):
    """Collects what the accessibility and CSP checks need from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self.scripts: list[dict[str, str | None]] = []
        self.style_attributes = 0
        self.inline_handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if "style" in attributes:
            self.style_attributes += 1
        self.inline_handlers += [name for name in attributes if name.startswith("on")]
        if tag == "label" and attributes.get("for"):
            self.label_for.add(attributes["for"])
        elif tag in {"input", "select", "textarea"}:
            if attributes.get("type") not in {"hidden", "submit", "button"}:
                self.controls.append(attributes)
        elif tag == "script":
            self.scripts.append(attributes)

    def unlabelled_controls(self) -> list[dict[str, str | None]]:
        return [
            control
            for control in self.controls
            if control.get("id") not in self.label_for and not control.get("aria-label")
        ]


def audit(html: str) -> FormAudit:
    parser = FormAudit()
    parser.feed(html)
    return parser


@pytest.fixture
def member(make_user):
    """A producer's account with a verified address."""
    return make_user("pemilik@kopi-lampung.test")


@pytest.fixture
def member_client(client, member, password):
    """Signed in through the login form, as a member is."""
    response = log_in(client, member.email, password)
    assert response.status_code == 302
    return client
