"""Every account page in the site's layout: language, skip link, <main>, labelled fields, nothing the CSP blocks."""

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail

from tests.accounts.conftest import audit, link_in, log_in, reauthenticate

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = [
    "/akun/login/",
    "/akun/signup/",
    "/akun/password/reset/",
    "/akun/password/reset/done/",
    "/akun/password/reset/key/1-tidak-sah/",
    "/akun/confirm-email/",
    "/akun/confirm-email/tidak-sah/",
]
MEMBER_PAGES = [
    "/akun/email/",
    "/akun/password/change/",
    "/akun/logout/",
    "/akun/reauthenticate/",
    "/akun/2fa/",
    "/akun/2fa/totp/activate/",
]


def assert_in_site_layout(response, *, lang: str) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert 'class="skip-link" href="#main-content"' in html and '<main id="main-content"' in html
    assert html.count("<h1") == 1
    assert f"— {settings.SITE_NAME}</title>" in html
    assert '<meta name="robots" content="noindex">' in html
    page = audit(html)
    assert page.unlabelled_controls() == []
    assert page.style_attributes == 0 and page.inline_handlers == []
    assert all(script.get("src") or script.get("nonce") for script in page.scripts)
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    return html


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_anonymous_account_pages_speak_indonesian_in_the_site_layout(visitor, path: str) -> None:
    html = assert_in_site_layout(visitor.get(path), lang="id")
    assert "Langsung ke konten utama" in html


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_anonymous_account_pages_speak_english_under_en(visitor, path: str) -> None:
    html = assert_in_site_layout(visitor.get(f"/en{path}"), lang="en")
    assert "Skip to main content" in html


@pytest.mark.parametrize("path", MEMBER_PAGES)
def test_account_settings_pages_render_in_the_site_layout(client, member, password, path: str) -> None:
    log_in(client, member.email, password)
    reauthenticate(client, password)
    html = assert_in_site_layout(client.get(path), lang="id")
    if path != "/akun/reauthenticate/":
        assert 'class="account-settings-nav"' in html


def test_login_page_speaks_indonesian(visitor) -> None:
    html = visitor.get("/akun/login/").content.decode()

    assert '<h1 class="account-title">' in html and "Masuk" in html
    assert 'for="id_login"' in html and 'for="id_password"' in html and 'for="id_remember"' in html
    assert "Lupa kata sandi Anda?" in html  # allauth's own Indonesian, the link to password reset
    assert 'autocomplete="current-password"' in html


def test_signup_page_labels_every_field_and_links_their_help(visitor) -> None:
    html = visitor.get("/en/akun/signup/").content.decode()

    assert 'for="id_email"' in html and 'for="id_password1"' in html and 'for="id_password2"' in html
    assert 'aria-describedby="id_password1_helptext"' in html  # the password rules
    assert 'autocomplete="new-password"' in html


def test_errors_are_summarised_and_tied_to_their_fields(visitor) -> None:
    response = visitor.post("/en/akun/signup/", {"email": "bukan-email", "password1": "a", "password2": "b"})

    html = response.content.decode()
    assert 'class="error-summary" role="alert"' in html
    assert 'href="#id_email"' in html
    assert 'id="id_email_error"' in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_email_error"' in html


def test_email_page_marks_the_pending_address(client, member, password) -> None:
    log_in(client, member.email, password)
    EmailAddress.objects.create(user=member, email="baru@kopi-lampung.test", verified=False)

    html = assert_in_site_layout(client.get("/en/akun/email/"), lang="en")

    assert "baru@kopi-lampung.test" in html and 'class="badge badge-warn"' in html
    assert 'name="action_send"' in html and 'name="action_remove"' in html


def test_header_offers_account_settings_to_a_signed_in_user(client, member, password) -> None:
    assert 'href="/en/akun/email/"' not in client.get("/en/").content.decode()

    log_in(client, member.email, password)
    html = client.get("/en/akun/email/").content.decode()

    assert '<a href="/en/akun/email/" aria-current="page">Account settings</a>' in html


def test_verification_link_page_renders_in_the_site_layout(visitor, password) -> None:
    visitor.post("/akun/signup/", {"email": "baru@ikm.test", "password1": password, "password2": password})

    html = assert_in_site_layout(visitor.get(link_in(mail.outbox[0])), lang="id")

    assert "baru@ikm.test" in html and 'method="post"' in html
