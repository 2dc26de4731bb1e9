"""Without a mouse: the catalog filters, a product's gallery and the inquiry form, all by keyboard, with a focus
ring that shows (WCAG 2.1.1, 2.4.7, 1.4.11) and focus moved to the errors of a form sent back (3.3.1).

Every step presses keys only (Tab, arrows, Space, Enter); each focused element must show a focus ring whose
colour contrasts at least 3:1 with the background it is drawn on.
"""

import gc
import io
import re
import time
from collections.abc import Iterator

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Browser, Page, expect

from tests.browser.a11y_support import focus_ring, log_in, ring_problem

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(autouse=True)
def _let_server_threads_finish() -> Iterator[None]:
    """Collect the live server threads' database connections while the warning filters still apply."""
    yield
    time.sleep(0.2)
    gc.collect()


def t(text: str) -> str:
    with translation.override("id"):
        return gettext(text)


@pytest.fixture
def shelf(transactional_db: None, make_ikm, make_product):
    """Two makers in two regencies, a snack with three photos and a woven cloth."""
    from catalog import services
    from catalog.models import Category
    from galeri.images import prepare_image

    keripik = make_ikm(name="Keripik Mak Ijah", slug="mak-ijah", region_id="18.71")
    tapis = make_ikm(name="Tapis Sai Bumi", slug="tapis-sai-bumi", sector="sandang", region_id="18.04")
    snack = make_product(keripik, name="Keripik Pisang Manis", slug="keripik-pisang-manis", price_min=25_000)
    make_product(
        tapis,
        name="Kain Tapis Pucuk Rebung",
        slug="kain-tapis-pucuk-rebung",
        category=Category.objects.get(slug="kain-tapis"),
        price_min=1_500_000,
    )
    images = [prepare_image(_jpeg(f"foto-{i}.jpg", (60 * i, 120, 90))) for i in range(3)]
    services.photos_add(product=snack, user=keripik.owner, images=images, alt_text="Keripik pisang dalam kemasan")
    return snack


def _jpeg(name: str, colour: tuple[int, int, int]):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), colour).save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


class Keyboard:
    """Presses keys and checks the focus ring of every element the focus lands on."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.problems: list[str] = []
        self.visited: list[dict] = []

    def press(self, key: str) -> dict | None:
        self.page.keyboard.press(key)
        ring = focus_ring(self.page)
        if ring is not None:
            self.visited.append(ring)
            problem = ring_problem(ring)
            if problem:
                self.problems.append(problem)
        return ring

    def tab_to(self, selector: str, limit: int = 80) -> None:
        """Press Tab until the focused element matches ``selector``."""
        for _ in range(limit):
            self.press("Tab")
            if self.page.evaluate("s => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"{limit} presses of Tab never reached {selector}")

    def submit(self, key: str) -> None:
        """Press a key that sends a form, and wait for the next page."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)

    def focused(self, selector: str) -> bool:
        return self.page.evaluate("s => document.activeElement.matches(s)", selector)


def test_catalog_filters_by_keyboard(live_server, page: Page, shelf, csp_violations: list[str]) -> None:
    from catalog.models import Category

    page.set_viewport_size(DESKTOP)  # the filter panel starts open on a wide screen
    page.goto(f"{live_server.url}/en/produk/")
    expect(page.locator(".product-card")).to_have_count(2)
    keys = Keyboard(page)

    # The category radio buttons are one stop; the arrow keys choose, without reloading at every step.
    keys.tab_to("input[name=category]")
    assert keys.focused("input[name=category][value='']:checked")  # "All categories"
    keys.press("ArrowDown")
    chosen = page.evaluate("document.activeElement.value")
    assert chosen and keys.focused("input[name=category]:checked")
    page.wait_for_timeout(300)
    assert page.url == f"{live_server.url}/en/produk/"  # not submitted yet: the visitor may keep moving
    keys.submit("Enter")
    expect(page).to_have_url(re.compile(rf"category={re.escape(chosen)}"))
    category = Category.objects.get(slug=chosen)
    in_category = {category.pk, *category.children.values_list("pk", flat=True)}
    expected = 1 if Category.objects.get(slug="keripik-camilan").pk in in_category else 0
    expected += 1 if Category.objects.get(slug="kain-tapis").pk in in_category else 0
    expect(page.locator(".product-card")).to_have_count(expected)
    with translation.override("en"):
        expect(page.locator(".chip-list")).to_contain_text(str(category.display_name))

    # The sort menu: arrows change it quietly, then the Sort button (shown once it changed) submits.
    page.goto(f"{live_server.url}/en/produk/")
    keys.tab_to("select[name=sort]")
    sort_button = page.locator(".sort-field button")
    expect(sort_button).to_be_hidden()  # a click in the menu submits at once
    keys.press("ArrowDown")
    page.wait_for_timeout(300)
    assert page.url == f"{live_server.url}/en/produk/"
    expect(sort_button).to_be_visible()
    keys.press("Tab")
    assert keys.focused(".sort-field button")
    keys.submit("Space")
    expect(page).to_have_url(re.compile(r"sort=\w+"))

    assert keys.problems == []
    assert csp_violations == []


def test_product_gallery_by_keyboard(live_server, page: Page, shelf, csp_violations: list[str]) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}{shelf.get_absolute_url()}")
    main_image = page.locator(".gallery-main img")
    thumbs = page.locator("[data-gallery-thumb]")
    expect(thumbs).to_have_count(3)
    first_src = main_image.evaluate("img => img.src")
    keys = Keyboard(page)

    keys.tab_to("[data-gallery-thumb]")
    assert keys.focused("[data-gallery-thumb][aria-current]")
    keys.press("Tab")
    keys.press("Tab")
    assert keys.focused("li:nth-child(3) > [data-gallery-thumb]")
    keys.press("Enter")

    third_src = thumbs.nth(2).locator("img").evaluate("img => img.src")
    assert third_src != first_src
    expect(main_image).to_have_js_property("src", third_src)
    expect(thumbs.nth(2)).to_have_attribute("aria-current", "true")
    expect(thumbs.nth(0)).not_to_have_attribute("aria-current", "true")
    assert page.url == f"{live_server.url}{shelf.get_absolute_url()}"  # the photo opened in place
    assert keys.focused("li:nth-child(3) > [data-gallery-thumb]")  # the focus stays where it was
    # Back to the first photo, from the keyboard too.
    keys.press("Shift+Tab")
    keys.press("Shift+Tab")
    assert keys.focused("li:nth-child(1) > [data-gallery-thumb]")
    keys.press("Enter")
    expect(main_image).to_have_js_property("src", first_src)

    assert keys.problems == []
    assert csp_violations == []


def test_inquiry_form_by_keyboard(live_server, page: Page, shelf, csp_violations: list[str]) -> None:
    from inquiries.models import Inquiry

    page.goto(f"{live_server.url}/tanya/produk/{shelf.slug}/")
    keys = Keyboard(page)

    keys.tab_to("#inquiry_name")
    page.keyboard.type("Rina Susanti")
    keys.press("Tab")
    assert keys.focused("#inquiry_email")
    page.keyboard.type("rina@pengadaan.test")
    keys.press("Tab")
    assert keys.focused("#inquiry_phone")
    keys.press("Tab")
    assert keys.focused("#inquiry_organization")
    page.keyboard.type("Dinas Perindustrian Provinsi Lampung")
    keys.press("Tab")
    assert keys.focused("input[name=buyer_type]")  # the radio group is one stop
    keys.press("Space")
    buyer_type = page.evaluate("document.activeElement.value")
    keys.press("Tab")
    assert keys.focused("#inquiry_quantity")
    page.keyboard.type("200")
    keys.press("Tab")
    assert keys.focused("#inquiry_message")
    page.keyboard.type("Apakah bisa kirim 200 pack untuk acara dinas?")
    keys.press("Tab")  # the honeypot is skipped (tabindex=-1)
    assert keys.focused("form.inquiry-form button[type=submit]")
    keys.submit("Enter")

    expect(page).to_have_url(f"{live_server.url}/tanya/produk/{shelf.slug}/terkirim/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Your inquiry was sent"))
    inquiry = Inquiry.objects.get()
    assert (inquiry.name, inquiry.email, inquiry.buyer_type, inquiry.quantity) == (
        "Rina Susanti",
        "rina@pengadaan.test",
        buyer_type,
        200,
    )
    assert inquiry.organization == "Dinas Perindustrian Provinsi Lampung"
    assert keys.problems == []
    assert csp_violations == []


def test_focus_moves_to_the_error_summary_and_on_to_the_field(
    live_server, page: Page, shelf, csp_violations: list[str]
) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/en/tanya/produk/{shelf.slug}/")
    keys = Keyboard(page)
    keys.tab_to("#inquiry_email")
    page.keyboard.type("not an address")
    keys.tab_to("form.inquiry-form button[type=submit]")
    page.locator("form.inquiry-form").evaluate("form => { form.noValidate = true; }")  # the server's messages
    keys.submit("Enter")

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()  # announced and first in line for the keyboard
    expect(summary.locator("a")).to_have_count(3)  # name, email, question
    keys.press("Tab")
    expect(summary.locator("a").first).to_be_focused()
    expect(summary.locator("a").first).to_have_attribute("href", "#inquiry_name")
    keys.press("Tab")
    keys.press("Enter")  # the email's error
    email = page.locator("#inquiry_email")
    expect(email).to_be_focused()
    expect(email).to_have_value("not an address")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(page.locator("label[for=inquiry_email]")).to_be_in_viewport()  # the label came into view with it
    assert keys.problems == []
    assert csp_violations == []


@pytest.mark.parametrize("as_owner", [False, True], ids=["visitor", "owner"])
def test_every_focus_ring_stands_out(live_server, browser: Browser, shelf, as_owner: bool) -> None:
    """Tab through whole pages, the red header and the dark footer included: every ring shows at 3:1."""
    context = browser.new_context(viewport=DESKTOP)
    if as_owner:
        log_in(context, live_server.url, shelf.ikm.owner)
    paths = ["/dasbor/", "/dasbor/produk/baru/"] if as_owner else ["/", shelf.get_absolute_url(), "/en/akun/login/"]
    page = context.new_page()
    problems: list[str] = []
    seen_in: set[str] = set()
    try:
        for path in paths:
            page.goto(live_server.url + path)
            keys = Keyboard(page)
            seen: set[str] = set()
            for _ in range(200):
                ring = keys.press("Tab")
                if ring is None or ring["key"] in seen:
                    break  # back at the start: every stop visited
                seen.add(ring["key"])
                seen_in.update(
                    part
                    for part in ("site-header", "site-footer", "main")
                    if page.evaluate(f"!!document.activeElement.closest('.{part}, {part}')")
                )
            assert len(seen) > 10, f"only {len(seen)} focus stops on {path}"
            problems += [f"{path}: {p}" for p in keys.problems]
    finally:
        context.close()
    assert seen_in == {"site-header", "site-footer", "main"}
    assert problems == []
