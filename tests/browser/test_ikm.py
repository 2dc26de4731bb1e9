"""A producer signs up, creates the IKM profile, fills the story and sends it; staff verify; the page is public.

The owner's own fields are found by id: their labels are new strings whose Indonesian the lead syncs later.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from ikm import services
from ikm.models import IKM

pytestmark = pytest.mark.django_db(transaction=True)

LINK_PATH = re.compile(r"https?://[^/\s]+(/\S+)")
STORY = (
    "Kami membuat keripik pisang sejak 2010 di dapur rumah di Bandar Lampung.\n\n"
    "Sekarang lima ibu bekerja bersama kami, dan pisang kami beli dari petani di Pesawaran."
)


def test_sign_up_create_submit_verify_and_public(
    live_server, page: Page, staff_user, csp_violations: list[str]
) -> None:
    page.goto(live_server.url + "/akun/signup/")
    page.get_by_label("Email").fill("pemilik@keripik.test")
    page.locator("#id_password1").fill("kopi-robusta-2026")
    page.locator("#id_password2").fill("kopi-robusta-2026")
    page.get_by_role("main").get_by_role("button", name="Daftar").click()
    expect(page).to_have_url(live_server.url + "/akun/confirm-email/")

    [message] = mail.outbox
    page.goto(live_server.url + LINK_PATH.search(message.body).group(1))
    page.get_by_role("main").get_by_role("button", name="Konfirmasi").click()

    page.goto(live_server.url + "/dasbor/")
    expect(page).to_have_url(live_server.url + "/dasbor/profil/buat/")
    page.locator("#id_name").fill("Keripik Bu Sari")
    page.locator("#id_sector").select_option("pangan")
    page.locator("#id_region").select_option("18.71")
    page.locator("#id_whatsapp").fill("+44 20 7946 0958")  # a foreign number first
    page.get_by_role("main").get_by_role("button").last.click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("Keripik Bu Sari")
    page.locator("#id_whatsapp").fill("0812-3456-7890")
    page.get_by_role("main").get_by_role("button").last.click()

    expect(page).to_have_url(live_server.url + "/dasbor/profil/")
    page.locator("#id_story").fill(STORY)
    page.locator("#id_tagline").fill("Renyah dari Bandar Lampung")
    page.locator("form.ikm-form button[type=submit]").click()
    expect(page.locator("#id_story")).to_have_value(STORY)

    page.goto(live_server.url + "/dasbor/")
    page.locator("form[action='/dasbor/profil/kirim/'] button").click()
    expect(page).to_have_url(live_server.url + "/dasbor/")
    ikm = IKM.objects.get(owner__email="pemilik@keripik.test")
    assert ikm.status == IKM.Status.SUBMITTED and ikm.slug == "keripik-bu-sari"

    services.ikm_verify(ikm=ikm, actor=staff_user)

    page.goto(live_server.url + "/akun/logout/")
    page.get_by_role("main").get_by_role("button").first.click()
    page.goto(live_server.url + "/ikm/keripik-bu-sari/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Keripik Bu Sari")
    expect(page.get_by_role("main")).to_contain_text("Sekarang lima ibu bekerja")
    page.goto(live_server.url + "/ikm/")
    expect(page.get_by_role("link", name="Keripik Bu Sari")).to_be_visible()
    assert csp_violations == []
