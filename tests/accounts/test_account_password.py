"""Password reset by emailed link, and password change for a signed-in user."""

import pytest
from django.core import mail

from tests.accounts.conftest import link_in, log_in, logged_in_user_id

pytestmark = pytest.mark.django_db

RESET_DONE = "/akun/password/reset/done/"
NEW_PASSWORD = "tapis-sai-bumi-2027"


def request_reset(client, email: str):
    return client.post("/akun/password/reset/", {"email": email})


def test_password_reset_end_to_end(client, member, password) -> None:
    response = request_reset(client, "Pemilik@Kopi-Lampung.test")
    assert response.status_code == 302
    assert response["Location"] == RESET_DONE
    [message] = mail.outbox
    assert message.to == [member.email]

    # The emailed link stores its key in the session and redirects to a key-less URL (no key in Referer headers).
    response = client.get(link_in(message), follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302

    client.post("/akun/logout/")
    assert log_in(client, member.email, password).status_code == 200  # the old password no longer works
    assert log_in(client, member.email, NEW_PASSWORD).status_code == 302
    assert logged_in_user_id(client) == str(member.pk)


def test_password_reset_link_works_only_once(client, member) -> None:
    request_reset(client, member.email)
    link = link_in(mail.outbox[0])
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    response = type(client)().get(link, follow=True)

    assert response.status_code == 200
    assert 'name="password1"' not in response.content.decode()


def test_password_reset_for_an_unknown_email_answers_exactly_as_for_a_known_one(client, member) -> None:
    known = request_reset(type(client)(), member.email)
    unknown = request_reset(type(client)(), "tidak-terdaftar@ikm.test")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == RESET_DONE
    # Both addresses get one mail; the unknown one is told no account uses it (no link to a reset form).
    assert [message.to for message in mail.outbox] == [[member.email], ["tidak-terdaftar@ikm.test"]]
    assert "/akun/password/reset/key/" in mail.outbox[0].body
    assert "/akun/password/reset/key/" not in mail.outbox[1].body


def test_password_reset_done_page_is_the_same_for_everyone(client) -> None:
    first, second = type(client)(), type(client)()
    request_reset(first, "satu@ikm.test")
    request_reset(second, "dua@ikm.test")

    assert first.get(RESET_DONE).content == second.get(RESET_DONE).content


def test_password_reset_with_a_malformed_email_says_why(visitor) -> None:
    response = visitor.post("/en/akun/password/reset/", {"email": "bukan email"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and 'value="bukan email"' in html
    assert mail.outbox == []


def test_password_change_keeps_the_user_logged_in_and_mails_a_notice(member_client, member, password) -> None:
    response = member_client.post(
        "/akun/password/change/", {"oldpassword": password, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert logged_in_user_id(member_client) == str(member.pk)
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    [notice] = mail.outbox
    assert notice.to == [member.email]


def test_password_change_with_a_wrong_current_password_changes_nothing(member_client, member, password) -> None:
    response = member_client.post(
        "/en/akun/password/change/", {"oldpassword": "salah", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 200
    assert "Please type your current password." in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(password)


def test_password_change_needs_a_login(visitor) -> None:
    response = visitor.get("/akun/password/change/")

    assert response.status_code == 302
    assert response["Location"].startswith("/akun/login/")
