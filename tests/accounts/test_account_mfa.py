"""Two-factor authentication (TOTP and recovery codes): staff turn it on; from then on logging in asks for a code."""

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.conf import settings

from tests.accounts.conftest import log_in, logged_in_user_id, reauthenticate

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def activate_totp(client, password: str) -> None:
    reauthenticate(client, password)
    page = client.get("/akun/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    assert f'value="{secret}"' in page.content.decode()  # shown for typing in by hand, beside the QR code
    response = client.post("/akun/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302


def test_staff_turn_on_totp_and_then_log_in_with_a_second_step(client, staff_user, password) -> None:
    log_in(client, staff_user.email, password)

    activate_totp(client, password)

    assert set(Authenticator.objects.filter(user=staff_user).values_list("type", flat=True)) == {
        Authenticator.Type.TOTP,
        Authenticator.Type.RECOVERY_CODES,
    }
    client.post("/akun/logout/")

    response = log_in(client, staff_user.email, password)
    assert response["Location"] == "/akun/2fa/authenticate/"
    assert logged_in_user_id(client) is None  # the password alone is not enough any more
    page = client.get("/akun/2fa/authenticate/")
    assert page.status_code == 200 and 'name="code"' in page.content.decode()

    wrong = client.post("/akun/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and 'aria-invalid="true"' in wrong.content.decode()
    recovery_codes = Authenticator.objects.get(user=staff_user, type=Authenticator.Type.RECOVERY_CODES).wrap()
    response = client.post("/akun/2fa/authenticate/", {"code": recovery_codes.get_unused_codes()[0]})

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(staff_user.pk)


def test_admin_login_asks_staff_with_totp_for_the_second_step(client, staff_user, password) -> None:
    log_in(client, staff_user.email, password)
    activate_totp(client, password)
    client.post("/akun/logout/")
    admin_index = f"/{settings.ADMIN_URL}"

    response = client.post(f"/akun/login/?next={admin_index}", {"login": staff_user.email, "password": password})

    assert response["Location"] == "/akun/2fa/authenticate/"
    assert client.get(admin_index).status_code == 302  # still not in


def test_two_factor_pages_render_in_the_site_layout(client, staff_user, password) -> None:
    log_in(client, staff_user.email, password)
    activate_totp(client, password)

    for path in ["/akun/2fa/", "/akun/2fa/recovery-codes/", "/akun/2fa/totp/deactivate/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert '<main id="main-content"' in html and 'class="account-settings-nav"' in html, path
        assert "<script" not in html, path


def test_members_may_turn_on_totp_too(client, member, password) -> None:
    log_in(client, member.email, password)

    activate_totp(client, password)

    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()
