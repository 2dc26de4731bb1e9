"""A visitor finds a product by an inflected Indonesian word and by the filters, opens it and sees its halal badge."""

import gc
import re
import time
from collections.abc import Iterator
from importlib import import_module

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import Page, expect

from catalog.models import Category, Certification


def _has_ikm_pages() -> bool:
    try:
        reverse("ikm:ikm-detail", kwargs={"slug": "x"})
    except NoReverseMatch:
        return False
    return True


pytestmark = [
    pytest.mark.django_db(transaction=True),
    # The live server's request threads open SQLite connections that Django never closes for an in-memory
    # test database; their ResourceWarning is not about this code.
    pytest.mark.filterwarnings("ignore:unclosed database:ResourceWarning"),
    pytest.mark.skipif(not _has_ikm_pages(), reason="IKM pages (ikm:ikm-detail) are not wired yet"),
]


@pytest.fixture(autouse=True)
def _let_server_threads_finish() -> Iterator[None]:
    """Collect the request threads' connections while this module's warning filter still applies."""
    yield
    time.sleep(0.2)
    gc.collect()


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    """The regions and categories of the data migrations: an earlier transactional test's flush emptied them."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    import_module("ikm.migrations.0002_load_regions").load_regions(apps, None)
    import_module("catalog.migrations.0002_load_categories").load_categories(apps, None)


@pytest.fixture
def shelf(reference_data, make_ikm, make_product):
    mak_ijah = make_ikm(name="Keripik Mak Ijah", slug="mak-ijah", region_id="18.71")
    liwa = make_ikm(name="Kopi Liwa", slug="kopi-liwa", region_id="18.04")
    pisang = make_product(
        mak_ijah,
        name="Keripik Pisang Manis",
        slug="keripik-pisang-manis",
        description="Keripik pisang kepok yang kami jual dalam kemasan 250 gram.",
        price_min=25_000,
    )
    make_product(
        liwa,
        name="Kopi Robusta Liwa",
        slug="kopi-robusta-liwa",
        category=Category.objects.get(slug="kopi"),
        description="Kopi bubuk yang dijual per 250 gram.",
        price_min=45_000,
    )
    halal = Certification.objects.create(ikm=mak_ijah, type="halal", number="ID18110018517710724", status="verified")
    halal.products.add(pisang)
    return pisang


def test_visitor_finds_a_product_by_an_inflected_word_and_the_filters(
    live_server, page: Page, shelf, csp_violations: list[str]
) -> None:
    page.goto(live_server.url + "/en/")
    search = page.get_by_role("search").get_by_label("Search products")
    search.fill("menjual")  # "selling": the descriptions say "jual" and "dijual"
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/produk/\?q=menjual$"))
    expect(page.get_by_role("status")).to_have_text("2 products")
    cards = page.locator(".product-card")
    expect(cards).to_have_count(2)

    # The filters: choosing a regency submits the form (JavaScript); the search is kept.
    filters = page.get_by_role("search", name="Filter products")
    filters.get_by_label(re.compile(r"Bandar Lampung")).check()
    expect(page).to_have_url(re.compile(r"q=menjual.*region=18\.71|region=18\.71.*q=menjual"))
    expect(cards).to_have_count(1)
    expect(page.get_by_role("link", name="Keripik Pisang Manis")).to_be_visible()
    expect(page.locator(".chip-list")).to_contain_text("Bandar Lampung")

    # The halal badge on the card, then on the product page with the certificate's number.
    expect(cards.first.locator(".badge-halal")).to_have_text("Halal")
    page.get_by_role("link", name="Keripik Pisang Manis").click()
    expect(page).to_have_url(live_server.url + "/en/produk/keripik-pisang-manis/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Keripik Pisang Manis")
    expect(page.locator(".product-summary .badge-halal")).to_be_visible()
    expect(page.locator(".product-certificates")).to_contain_text("ID18110018517710724")
    assert csp_violations == []


def test_filters_work_without_javascript(live_server, browser, shelf) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/en/produk/")
    page.locator("summary").click()  # on a phone-sized or script-less page the filters start folded
    page.get_by_label(re.compile(r"Coffee")).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"category=kopi"))
    expect(page.locator(".product-card")).to_have_count(1)
    expect(page.get_by_role("link", name="Kopi Robusta Liwa")).to_be_visible()
    context.close()
