"""Changing the account's email: the new address replaces the old one only once it is verified."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from tests.accounts.conftest import link_in, log_in, logged_in_user_id, reauthenticate

pytestmark = pytest.mark.django_db


def change_email(client, email: str):
    return client.post("/akun/email/", {"email": email, "action_add": ""})


@pytest.fixture
def member_client(member_client, password):
    """A signed-in member who has just confirmed the password (allauth asks for it before an email change)."""
    reauthenticate(member_client, password)
    return member_client


def test_email_change_waits_for_verification_of_the_new_address(member_client, member, password) -> None:
    response = change_email(member_client, "Baru@Kopi-Lampung.test")

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == "pemilik@kopi-lampung.test"  # unchanged until verified
    assert not EmailAddress.objects.get(email="baru@kopi-lampung.test").verified
    [verification] = mail.outbox
    assert verification.to == ["baru@kopi-lampung.test"]
    page = member_client.get("/en/akun/email/").content.decode()
    assert "baru@kopi-lampung.test" in page and "pending verification" in page

    member_client.post(link_in(verification))

    member.refresh_from_db()
    assert member.email == "baru@kopi-lampung.test"
    assert list(EmailAddress.objects.filter(user=member).values_list("email", "verified", "primary")) == [
        ("baru@kopi-lampung.test", True, True)
    ]
    assert mail.outbox[-1].to == ["pemilik@kopi-lampung.test"]  # the old address is told of the change
    member_client.post("/akun/logout/")
    assert log_in(member_client, "baru@kopi-lampung.test", password).status_code == 302
    assert logged_in_user_id(member_client) == str(member.pk)


def test_unverified_new_address_cannot_be_used_to_log_in(member_client, member, password) -> None:
    change_email(member_client, "baru@kopi-lampung.test")
    member_client.post("/akun/logout/")

    response = log_in(member_client, "baru@kopi-lampung.test", password)

    assert response["Location"] == "/akun/confirm-email/"  # "verify your address first", as after sign-up
    assert logged_in_user_id(member_client) is None


def test_email_change_can_be_cancelled(member_client, member) -> None:
    change_email(member_client, "baru@kopi-lampung.test")

    member_client.post("/akun/email/", {"email": "baru@kopi-lampung.test", "action_remove": ""})

    assert list(EmailAddress.objects.filter(user=member).values_list("email", flat=True)) == [member.email]


def test_email_change_to_another_accounts_address_answers_as_for_a_free_one(member_client, member, make_user) -> None:
    other = make_user("lain@ikm.test")

    response = change_email(member_client, "lain@ikm.test")

    assert response.status_code == 302  # same answer as for a free address: nothing tells it is taken
    [verification] = mail.outbox

    member_client.post(link_in(verification))  # even the link cannot take the address over

    member.refresh_from_db()
    other.refresh_from_db()
    assert member.email == "pemilik@kopi-lampung.test"
    assert other.email == "lain@ikm.test"
    assert not EmailAddress.objects.filter(user=member, email="lain@ikm.test", verified=True).exists()
    assert EmailAddress.objects.get(user=other).verified


def test_email_change_with_a_malformed_address_keeps_it_and_says_why(member_client, member) -> None:
    response = member_client.post("/en/akun/email/", {"email": "bukan-email", "action_add": ""})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="bukan-email"' in html and 'aria-invalid="true"' in html
    assert "Enter a valid email address." in html
    assert mail.outbox == []


def test_email_change_asks_for_the_password_first(client, member, password) -> None:
    log_in(client, member.email, password)

    response = change_email(client, "baru@kopi-lampung.test")

    assert response.status_code == 302
    assert response["Location"].startswith("/akun/reauthenticate/")
    assert not EmailAddress.objects.filter(email="baru@kopi-lampung.test").exists()
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'name="password"' in page.content.decode()

    response = client.post(response["Location"], {"password": password})

    # allauth resumes the change once the password is confirmed.
    assert response.status_code == 302
    assert EmailAddress.objects.filter(email="baru@kopi-lampung.test", verified=False).exists()


def test_wrong_password_on_the_confirmation_page_changes_nothing(client, member, password) -> None:
    log_in(client, member.email, password)
    location = change_email(client, "baru@kopi-lampung.test")["Location"]

    response = client.post(location, {"password": "salah"})

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not EmailAddress.objects.filter(email="baru@kopi-lampung.test").exists()
