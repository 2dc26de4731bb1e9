"""Logging in and out: by email in any case, a new session key, logout by POST only, rate limits, the admin."""

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import override_settings

from tests.accounts.conftest import log_in, logged_in_user_id

pytestmark = pytest.mark.django_db

WRONG_CREDENTIALS_ID = "Alamat e-mail dan/atau kata sandi yang anda masukkan tidak benar."
WRONG_CREDENTIALS_EN = "The email address and/or password you specified are not correct."
TOO_MANY_ATTEMPTS_ID = "Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti."


def test_login_by_email_ignores_case_and_redirects(visitor, member, password) -> None:
    response = log_in(visitor, "PEMILIK@Kopi-Lampung.TEST", password)

    assert response.status_code == 302
    assert response["Location"] == resolve_url(settings.LOGIN_REDIRECT_URL)
    assert logged_in_user_id(visitor) == str(member.pk)


def test_login_honours_a_safe_next_and_ignores_another_site(visitor, member, password) -> None:
    response = visitor.post("/akun/login/?next=/produk/", {"login": member.email, "password": password})
    assert response["Location"] == "/produk/"

    visitor.post("/akun/logout/")
    response = visitor.post("/akun/login/?next=https://phish.example/", {"login": member.email, "password": password})
    assert response["Location"] == resolve_url(settings.LOGIN_REDIRECT_URL)


def test_wrong_password_shows_a_clear_error_and_keeps_the_typed_email(visitor, member) -> None:
    response = log_in(visitor, member.email, "bukan-sandinya")

    assert response.status_code == 200
    html = response.content.decode()
    assert WRONG_CREDENTIALS_ID in html
    assert 'role="alert"' in html
    assert f'value="{member.email}"' in html
    assert "bukan-sandinya" not in html  # a password is never sent back
    assert logged_in_user_id(visitor) is None


def test_unknown_email_gets_the_same_error_as_a_wrong_password(visitor, member) -> None:
    wrong_password = log_in(visitor, member.email, "bukan-sandinya", prefix="/en")
    unknown_email = log_in(visitor, "tidak-ada@ikm.test", "bukan-sandinya", prefix="/en")

    assert wrong_password.status_code == unknown_email.status_code == 200
    assert WRONG_CREDENTIALS_EN in wrong_password.content.decode()
    assert WRONG_CREDENTIALS_EN in unknown_email.content.decode()
    assert 'value="tidak-ada@ikm.test"' in unknown_email.content.decode()


@pytest.mark.parametrize(
    "data",
    [{}, {"login": "bukan-email", "password": "x"}, {"login": "a@b.test"}, {"login": "", "password": ""}],
    ids=["nothing", "not-an-email", "no-password", "blank"],
)
def test_incomplete_login_form_answers_with_errors_never_a_500(visitor, data: dict) -> None:
    response = visitor.post("/akun/login/", data)

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


def test_session_key_changes_at_login(visitor, member, password) -> None:
    session = visitor.session
    session["seen"] = True
    session.save()
    anonymous_key = session.session_key

    log_in(visitor, member.email, password)

    assert logged_in_user_id(visitor) == str(member.pk)
    assert visitor.session.session_key != anonymous_key
    assert not type(session)().exists(anonymous_key)  # the old key is gone, not merely unused


def test_logout_by_get_only_asks_and_keeps_the_user_logged_in(visitor, member, password) -> None:
    log_in(visitor, member.email, password)

    response = visitor.get("/akun/logout/")

    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    assert logged_in_user_id(visitor) == str(member.pk)


def test_logout_by_post_logs_out(visitor, member, password) -> None:
    log_in(visitor, member.email, password)

    response = visitor.post("/akun/logout/")

    assert response.status_code == 302
    assert logged_in_user_id(visitor) is None


def test_header_logout_button_posts_to_logout(visitor, member, password) -> None:
    log_in(visitor, member.email, password)

    html = visitor.get("/en/").content.decode()

    assert 'action="/en/akun/logout/"' in html
    assert 'href="/en/akun/email/"' in html and "Account settings" in html


def test_failed_logins_for_one_address_are_rate_limited_with_a_message(visitor, member, password) -> None:
    # ACCOUNT_RATE_LIMITS["login_failed"]: 5 failures per address in 5 minutes.
    for _attempt in range(5):
        response = log_in(visitor, member.email, "bukan-sandinya")
        assert WRONG_CREDENTIALS_ID in response.content.decode()

    response = log_in(visitor, member.email, password)  # even the right password waits

    assert response.status_code == 200
    assert TOO_MANY_ATTEMPTS_ID in response.content.decode()
    assert logged_in_user_id(visitor) is None


def test_failed_logins_from_one_address_are_rate_limited_across_emails(visitor, member, password) -> None:
    # ACCOUNT_RATE_LIMITS["login_failed"]: 10 failures per IP a minute, whichever emails they try.
    for attempt in range(10):
        log_in(visitor, f"tebakan{attempt}@ikm.test", "bukan-sandinya")

    response = log_in(visitor, member.email, password)

    assert response.status_code == 200
    assert TOO_MANY_ATTEMPTS_ID in response.content.decode()


def test_admin_login_goes_through_allauth(visitor) -> None:
    admin_index = f"/{settings.ADMIN_URL}"

    response = visitor.get(admin_index, follow=True)

    assert response.redirect_chain[-1][0] == "/akun/login/?" + urlencode({"next": admin_index})
    assert response.status_code == 200
    assert 'name="login"' in response.content.decode()


def test_staff_reach_the_admin_after_logging_in_through_allauth(visitor, staff_user, password) -> None:
    admin_index = f"/{settings.ADMIN_URL}"

    response = visitor.post(f"/akun/login/?next={admin_index}", {"login": staff_user.email, "password": password})

    assert response["Location"] == admin_index
    assert visitor.get(admin_index).status_code == 200
    # Already logged in, the admin's own login page sends staff on to the admin.
    assert visitor.get(f"/{settings.ADMIN_URL}login/").status_code == 302


def test_admin_login_refuses_a_signed_in_member_who_is_not_staff(visitor, member, password) -> None:
    log_in(visitor, member.email, password)

    assert visitor.get(f"/{settings.ADMIN_URL}login/").status_code == 403


def test_admin_login_form_does_not_accept_passwords_itself(visitor, staff_user, password) -> None:
    response = visitor.post(f"/{settings.ADMIN_URL}login/", {"username": staff_user.email, "password": password})

    assert response.status_code == 302
    assert response["Location"].startswith("/akun/login/")
    assert logged_in_user_id(visitor) is None


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_each_visitor_has_their_own_failed_login_count(client, member, password) -> None:
    # Every request comes from the proxy (REMOTE_ADDR 127.0.0.1); X-Forwarded-For names the visitor.
    for attempt in range(10):
        client.post(
            "/akun/login/",
            {"login": f"tebakan{attempt}@ikm.test", "password": "salah"},
            headers={"x-forwarded-for": "203.0.113.7"},
        )

    response = client.post(
        "/akun/login/", {"login": member.email, "password": password}, headers={"x-forwarded-for": "198.51.100.9"}
    )

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(member.pk)
