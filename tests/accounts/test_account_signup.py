"""Sign-up by email, mandatory verification, and answers that never tell whether an address is registered."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.shortcuts import resolve_url

from accounts.models import User
from tests.accounts.conftest import link_in, log_in, logged_in_user_id

pytestmark = pytest.mark.django_db

VERIFICATION_SENT = "/akun/confirm-email/"


def sign_up(client, email: str, password: str):
    return client.post("/akun/signup/", {"email": email, "password1": password, "password2": password})


def normalised(html: str, email: str) -> str:
    """The page without what differs between any two requests: CSRF tokens, and the address the visitor typed."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html).replace(email, "EMAIL")


def test_signup_mails_a_link_that_verifies_the_address_and_logs_in(visitor, password) -> None:
    response = sign_up(visitor, "Pemilik.Baru@IKM.test", password)

    assert response.status_code == 302
    assert response["Location"] == VERIFICATION_SENT
    user = User.objects.get(email="pemilik.baru@ikm.test")
    assert not EmailAddress.objects.get(user=user).verified
    assert logged_in_user_id(visitor) is None
    [message] = mail.outbox
    assert message.to == ["pemilik.baru@ikm.test"]
    assert message.subject.startswith(f"[{settings.SITE_NAME}]")
    assert settings.SITE_NAME in message.body  # the site's name, not the request's host

    link = link_in(message)
    confirm_page = visitor.get(link)
    assert confirm_page.status_code == 200
    assert "pemilik.baru@ikm.test" in confirm_page.content.decode()
    response = visitor.post(link)

    assert response.status_code == 302
    assert response["Location"] == resolve_url(settings.LOGIN_REDIRECT_URL)
    assert EmailAddress.objects.get(user=user).verified
    assert logged_in_user_id(visitor) == str(user.pk)


def test_verification_link_opened_in_another_browser_verifies_but_does_not_log_in(client, password) -> None:
    sign_up(client, "pemilik.baru@ikm.test", password)
    other_browser = type(client)()

    response = other_browser.post(link_in(mail.outbox[0]))

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="pemilik.baru@ikm.test").verified
    assert logged_in_user_id(other_browser) is None


def test_unverified_user_cannot_log_in_and_gets_the_verification_page(visitor, django_user_model, password) -> None:
    user = django_user_model.objects.create_user(email="belum@ikm.test", password=password)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)

    response = log_in(visitor, user.email, password)

    assert response.status_code == 302
    assert response["Location"] == VERIFICATION_SENT
    assert logged_in_user_id(visitor) is None
    [message] = mail.outbox  # a fresh link, in case the first one was lost
    assert message.to == [user.email]
    page = visitor.get(response["Location"])
    assert page.status_code == 200
    assert "<h1" in page.content.decode()


def test_signup_with_a_registered_email_answers_exactly_as_for_a_new_one(client, make_user, password) -> None:
    make_user("ada@ikm.test")
    new_visitor, second_visitor = type(client)(), type(client)()

    for_new = sign_up(new_visitor, "baru@ikm.test", password)
    for_registered = sign_up(second_visitor, "ADA@ikm.test", password)

    assert for_registered.status_code == for_new.status_code == 302
    assert for_registered["Location"] == for_new["Location"] == VERIFICATION_SENT
    page_new = new_visitor.get(for_new["Location"])
    page_registered = second_visitor.get(for_registered["Location"])
    assert normalised(page_registered.content.decode(), "ada@ikm.test") == normalised(
        page_new.content.decode(), "baru@ikm.test"
    )
    # Each address gets one mail: a verification link, or for the registered one a pointer to password reset.
    assert sorted(message.to[0] for message in mail.outbox) == ["ada@ikm.test", "baru@ikm.test"]
    assert User.objects.filter(email__iexact="ada@ikm.test").count() == 1


def test_signup_with_mismatched_passwords_keeps_the_email_and_says_why(visitor, password) -> None:
    response = visitor.post(
        "/en/akun/signup/", {"email": "baru@ikm.test", "password1": password, "password2": password + "x"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="baru@ikm.test"' in html
    assert "You must type the same password each time." in html
    assert 'aria-invalid="true"' in html
    assert not User.objects.exists()
    assert mail.outbox == []
