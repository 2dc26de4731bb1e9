"""A producer signs up, creates the IKM profile, fills the story and sends it; staff ask for a change in the
admin, the owner reads the reason and sends it again; staff verify it; the page is public.

The owner's own fields are found by id: their labels are new strings whose Indonesian the lead syncs later.
"""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from ikm.models import IKM

pytestmark = pytest.mark.django_db(transaction=True)

LINK_PATH = re.compile(r"https?://[^/\s]+(/\S+)")
STORY = (
    "Kami membuat keripik pisang sejak 2010 di dapur rumah di Bandar Lampung.\n\n"
    "Sekarang lima ibu bekerja bersama kami, dan pisang kami beli dari petani di Pesawaran."
)
REASON = "Tambahkan alamat lengkap agar pembeli bisa datang."


def _staff_page(browser: Browser, base: str, email: str, password: str, violations: list[str]) -> Page:
    """A second browser, signed in to the admin as staff (the admin may hand over to allauth's login)."""
    page = browser.new_context(base_url=base).new_page()
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto("/admin/")
    if "/akun/login/" in page.url:
        page.locator("input[name=login]").fill(email)
        page.locator("input[name=password]").fill(password)
        page.locator("main form").first.locator("button[type=submit]").click()
    else:
        page.locator("input[name=username]").fill(email)
        page.locator("input[name=password]").fill(password)
        page.locator("input[type=submit]").click()
    expect(page).to_have_url(base + "/admin/")
    return page


def _run_action(staff: Page, ikm: IKM, action: str) -> None:
    staff.goto("/admin/ikm/ikm/")
    staff.locator(f'input[name="_selected_action"][value="{ikm.pk}"]').check()
    staff.locator('select[name="action"]').select_option(action)
    staff.locator('button[name="index"]').click()


def test_sign_up_create_submit_changes_verify_and_public(
    live_server, page: Page, browser: Browser, staff_user, password, csp_violations: list[str]
) -> None:
    # A flush by an earlier transactional test recreated the content types under new ids.
    ContentType.objects.clear_cache()
    base = live_server.url
    page.goto(base + "/akun/signup/")
    page.get_by_label("Email").fill("pemilik@keripik.test")
    page.locator("#id_password1").fill("kopi-robusta-2026")
    page.locator("#id_password2").fill("kopi-robusta-2026")
    page.get_by_role("main").get_by_role("button", name="Daftar").click()
    expect(page).to_have_url(base + "/akun/confirm-email/")

    # The verification link logs the new owner in and leads through the dashboard to the first, short form.
    [message] = mail.outbox
    page.goto(base + LINK_PATH.search(message.body).group(1))
    page.get_by_role("main").get_by_role("button", name="Konfirmasi").click()
    expect(page).to_have_url(base + "/dasbor/profil/buat/")

    page.locator("#id_name").fill("Keripik Bu Sari")
    page.locator("#id_sector").select_option("pangan")
    page.locator("#id_region").select_option("18.71")
    page.locator("#id_whatsapp").fill("+44 20 7946 0958")  # a foreign number first
    page.get_by_role("main").get_by_role("button").last.click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("Keripik Bu Sari")
    page.locator("#id_whatsapp").fill("0812-3456-7890")
    page.get_by_role("main").get_by_role("button").last.click()

    expect(page).to_have_url(base + "/dasbor/profil/")
    page.locator("#id_story").fill(STORY)
    page.locator("#id_tagline").fill("Renyah dari Bandar Lampung")
    page.locator("form.ikm-form button[type=submit]").click()
    expect(page.locator("#id_story")).to_have_value(STORY)

    page.goto(base + "/dasbor/")
    page.locator("form[action='/dasbor/profil/kirim/'] button").click()
    expect(page).to_have_url(base + "/dasbor/")
    ikm = IKM.objects.get(owner__email="pemilik@keripik.test")
    assert ikm.status == IKM.Status.SUBMITTED and ikm.slug == "keripik-bu-sari"
    assert page.request.get(base + "/ikm/keripik-bu-sari/").ok  # the owner's preview

    # Staff ask for a change in the admin: the action asks for the reason on its own page first.
    staff = _staff_page(browser, base, staff_user.email, password, csp_violations)
    _run_action(staff, ikm, "request_changes")
    staff.locator("textarea[name=reason]").fill(REASON)
    staff.locator("input[name=apply]").click()
    expect(staff.locator(".messagelist .success")).to_be_visible()

    # The owner reads the reason on the dashboard, completes the address and sends the profile again.
    page.goto(base + "/dasbor/")
    expect(page.locator(".ikm-status")).to_contain_text(REASON)
    page.goto(base + "/dasbor/profil/")
    page.locator("#id_kecamatan").fill("Kedaton")
    page.locator("#id_address").fill("Jl. Pagar Alam No. 5")
    page.locator("form.ikm-form button[type=submit]").click()
    expect(page.locator("#id_address")).to_have_value("Jl. Pagar Alam No. 5")
    page.goto(base + "/dasbor/")
    page.locator("form[action='/dasbor/profil/kirim/'] button").click()
    ikm.refresh_from_db()
    assert ikm.status == IKM.Status.SUBMITTED

    # Staff verify it; the public sees it in the directory and on its page.
    _run_action(staff, ikm, "verify")
    expect(staff.locator(".messagelist .success")).to_be_visible()
    ikm.refresh_from_db()
    assert ikm.status == IKM.Status.VERIFIED
    assert any("keripik-bu-sari" in sent.body for sent in mail.outbox if sent.to == ["pemilik@keripik.test"])

    visitor = browser.new_context(base_url=base).new_page()
    visitor.goto("/ikm/keripik-bu-sari/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Keripik Bu Sari")
    expect(visitor.get_by_role("main")).to_contain_text("Sekarang lima ibu bekerja")
    expect(visitor.get_by_role("main")).to_contain_text("Kedaton")
    visitor.goto("/ikm/")
    expect(visitor.get_by_role("link", name="Keripik Bu Sari")).to_be_visible()
    assert csp_violations == []
