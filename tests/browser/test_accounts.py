"""A producer signs up in the browser, follows the verification link from the mail, and ends up logged in."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)

LINK_PATH = re.compile(r"https?://[^/\s]+(/\S+)")


def test_sign_up_verify_by_mail_and_end_up_logged_in(live_server, page: Page, csp_violations: list[str]) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Akun").get_by_role("link", name="Daftarkan IKM Anda").click()
    expect(page).to_have_url(live_server.url + "/akun/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Daftar")

    page.get_by_label("Email").fill("Pemilik@Kopi-Tanggamus.test")
    page.locator("#id_password1").fill("kopi-robusta-2026")
    page.locator("#id_password2").fill("kopi-robusta-2027")  # a typo first
    page.get_by_role("main").get_by_role("button", name="Daftar").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value("Pemilik@Kopi-Tanggamus.test")  # kept as typed
    page.locator("#id_password1").fill("kopi-robusta-2026")
    page.locator("#id_password2").fill("kopi-robusta-2026")
    page.get_by_role("main").get_by_role("button", name="Daftar").click()

    expect(page).to_have_url(live_server.url + "/akun/confirm-email/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verifikasi Alamat E-mail Anda")
    expect(page.get_by_role("navigation", name="Akun").get_by_role("link", name="Masuk")).to_be_visible()

    [message] = mail.outbox
    assert message.to == ["pemilik@kopi-tanggamus.test"]
    page.goto(live_server.url + LINK_PATH.search(message.body).group(1))
    expect(page.get_by_role("main")).to_contain_text("pemilik@kopi-tanggamus.test")
    page.get_by_role("main").get_by_role("button", name="Konfirmasi").click()

    # Logged in, a new owner is led from the dashboard to create the IKM profile.
    expect(page).to_have_url(live_server.url + "/dasbor/profil/buat/")
    account_nav = page.get_by_role("navigation", name="Akun")
    expect(account_nav.get_by_role("button", name="Keluar")).to_be_visible()
    expect(account_nav.get_by_role("link", name="Masuk")).to_have_count(0)
    assert csp_violations == []
