"""A buyer asks about a product; the owner finds the inquiry in the inbox; both emails went out."""

import re
from importlib import import_module

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _collect_server_connections():
    """After the page has closed, collect the SQLite connections the live server's request threads left open.

    Those threads open their own connection and do not always close it; left to the garbage collector, it
    warns (ResourceWarning, an error under filterwarnings=error) in whichever test happens to be running.
    Torn down last (an autouse fixture that needs nothing), so the browser context is already closed.
    """
    yield
    import gc
    import time
    import warnings

    time.sleep(0.3)  # let the server threads notice the closed sockets and finish
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


@pytest.fixture(autouse=True)
def _reference_data(transactional_db) -> None:
    """Load the regions and categories again (idempotent loaders from the data migrations).

    An earlier transactional test's flush removes them, and serialized_rollback does not bring them back when
    the test database was serialized before Playwright's event loop started (another connection object).
    """
    from django.apps import apps

    import_module("ikm.migrations.0002_load_regions").load_regions(apps, None)
    import_module("catalog.migrations.0002_load_categories").load_categories(apps, None)


@pytest.fixture(autouse=True)
def _ikm_page_routed():
    """The thank-you page links to the IKM's page; stand in for it while the ikm app does not route it yet."""
    try:
        reverse("ikm:ikm-detail", kwargs={"slug": "x"})
    except NoReverseMatch:
        with override_settings(ROOT_URLCONF="tests.inquiries.stub_urls"):
            yield
        return
    yield


def t(text: str) -> str:
    """The Indonesian text of a msgid (English until the catalogue has it), so labels are found either way."""
    with translation.override("id"):
        return gettext(text)


def test_buyer_asks_and_owner_answers(
    live_server, page: Page, csp_violations: list[str], make_user, make_ikm, make_product, password
) -> None:
    owner = make_user("pemilik@ikm.test")
    ikm = make_ikm(owner=owner, name="Keripik Mak Ijah", slug="keripik-mak-ijah")
    product = make_product(ikm, name="Keripik Pisang Cokelat", slug="keripik-pisang-cokelat")
    mail.outbox = []

    # The product page carries the form once its template includes it; the form's own page always works.
    response = page.goto(live_server.url + product.get_absolute_url())
    if response is None or not response.ok or page.locator("form.inquiry-form").count() == 0:
        page.goto(f"{live_server.url}/tanya/produk/{product.slug}/")
    form = page.locator("form.inquiry-form")
    expect(form).to_be_visible()
    form.get_by_label(t("Your name")).fill("Rina Susanti")
    form.get_by_label(t("Your email")).fill("rina@pengadaan.test")
    form.get_by_label(t("Phone or WhatsApp (optional)")).fill("0812 3456 7891")
    form.get_by_label(t("Company or agency (optional)")).fill("Dinas Perindustrian Provinsi Lampung")
    form.get_by_label(t("Government or public agency")).check()
    form.get_by_label(t("Quantity (optional)")).fill("200")
    form.get_by_label(t("Your question")).fill("Apakah bisa kirim 200 pack untuk acara dinas?")
    # The honeypot is out of reach for people: not focusable by Tab, hidden from assistive technology.
    expect(page.locator("[name=fax_number]")).to_have_attribute("tabindex", "-1")
    form.get_by_role("button", name=t("Send inquiry")).click()

    expect(page).to_have_url(f"{live_server.url}/tanya/produk/{product.slug}/terkirim/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Your inquiry was sent"))

    assert [message.to for message in mail.outbox] == [["pemilik@ikm.test"], ["rina@pengadaan.test"]]
    assert mail.outbox[0].reply_to == ["rina@pengadaan.test"]
    assert "Apakah bisa kirim 200 pack" in mail.outbox[0].body

    # The owner logs in and finds it in the inbox, with the count of new inquiries in the navigation.
    page.goto(f"{live_server.url}/akun/login/?next=/dasbor/pertanyaan/")
    page.locator("input[name=login]").fill("pemilik@ikm.test")
    page.locator("input[name=password]").fill(password)
    page.locator("form").filter(has=page.locator("input[name=password]")).locator("[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/dasbor/pertanyaan/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Inquiries"))
    page.get_by_role("link", name="Rina Susanti").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Rina Susanti")
    expect(page.locator(".inquiry-message")).to_contain_text("Apakah bisa kirim 200 pack untuk acara dinas?")
    expect(page.get_by_role("link", name=t("Reply by email"))).to_have_attribute(
        "href", re.compile(r"^mailto:rina@pengadaan\.test\?")
    )
    expect(page.get_by_role("link", name=t("Reply on WhatsApp"))).to_have_attribute(
        "href", re.compile(r"^https://wa\.me/6281234567891\?")
    )
    expect(page.locator(".status")).to_have_text(t("Read"))
    page.get_by_role("button", name=t("Mark as replied")).click()
    expect(page.locator(".status")).to_have_text(t("Replied"))
    assert csp_violations == []


def test_bad_input_keeps_what_was_typed(live_server, page: Page, make_ikm, make_product) -> None:
    product = make_product(make_ikm(), slug="kopi-robusta")
    page.goto(f"{live_server.url}/tanya/produk/{product.slug}/")
    form = page.locator("form.inquiry-form")
    form.get_by_label(t("Your name")).fill("Budi")
    form.get_by_label(t("Your email")).fill("budi@example.test")
    form.get_by_label(t("Phone or WhatsApp (optional)")).fill("+1 202 555 0143")
    form.get_by_label(t("Your question")).fill("Masih ada stok?")
    form.get_by_role("button", name=t("Send inquiry")).click()

    expect(page.locator(".error-summary")).to_be_visible()
    phone = page.locator("form.inquiry-form").get_by_label(t("Phone or WhatsApp (optional)"))
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(phone).to_have_value("+1 202 555 0143")
    expect(page.locator("form.inquiry-form").get_by_label(t("Your question"))).to_have_value("Masih ada stok?")
    # The summary links to the field.
    page.locator(".error-summary a").first.click()
    expect(phone).to_be_focused()
