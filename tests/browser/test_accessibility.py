"""axe-core on every key page in Indonesian and English, on a desktop and a phone; text at 200%; reduced motion.

A violation of impact serious or critical fails the test with axe's rule, advice and the elements concerned.
See docs/accessibility.md.
"""

import gc
import time
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.a11y_support import (
    AXE_VERSION,
    DemoSite,
    blocking,
    describe,
    log_in,
    run_axe,
    seed_demo_site,
    submit_empty,
)

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


@pytest.fixture(autouse=True)
def _let_server_threads_finish() -> Iterator[None]:
    """Collect the live server threads' database connections while the warning filters still apply."""
    yield
    time.sleep(0.2)
    gc.collect()


@pytest.fixture
def demo(transactional_db: None) -> DemoSite:
    return seed_demo_site()


def _product_form_with_errors(page: Page) -> None:
    submit_empty(page, "form.owner-form")
    expect(page.locator(".error-summary")).to_be_visible()


def _inquiry_form_with_errors(page: Page) -> None:
    submit_empty(page, "form.inquiry-form")
    expect(page.locator(".error-summary")).to_be_visible()


def key_pages(demo: DemoSite) -> list[tuple[str, str, bool, Callable[[Page], None] | None]]:
    """(name, path without the language prefix, needs the owner's session, what to do on the page first)."""
    return [
        ("home", "/", False, None),
        ("catalog with filters", f"/produk/{demo.filters}", False, None),
        ("product page", f"/produk/{demo.product_slug}/", False, None),
        ("IKM directory", "/ikm/", False, None),
        ("IKM page", f"/ikm/{demo.ikm_slug}/", False, None),
        ("events", "/acara/", False, None),
        ("event page", f"/acara/{demo.event_slug}/", False, None),
        ("sign-up", "/akun/signup/", False, None),
        ("login", "/akun/login/", False, None),
        ("inquiry form with errors", f"/tanya/produk/{demo.product_slug}/", False, _inquiry_form_with_errors),
        ("owner dashboard", "/dasbor/", True, None),
        ("product form with errors", "/dasbor/produk/baru/", True, _product_form_with_errors),
    ]


@pytest.mark.parametrize("language", ["id", "en"])
def test_key_pages_are_accessible(live_server, browser: Browser, demo: DemoSite, language: str) -> None:
    """Each key page: no serious or critical axe violation on a desktop and on a phone, then no sideways
    scrolling on the phone with the text at 200% (WCAG 1.4.4 and 1.4.10).

    Wide data tables may scroll inside their own box (.table-scroll): the page itself must not.
    """
    prefix = "" if language == "id" else "/en"
    visitor = browser.new_context(viewport=DESKTOP)
    owner = browser.new_context(viewport=DESKTOP)
    log_in(owner, live_server.url, demo.owner)
    csp_errors: list[str] = []
    violations: list[str] = []
    overflowing: list[str] = []
    checked = 0
    try:
        for context in (visitor, owner):
            context.on(
                "console",
                lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
            )
        for name, path, as_owner, prepare in key_pages(demo):
            page = (owner if as_owner else visitor).new_page()
            response = page.goto(f"{live_server.url}{prefix}{path}")
            assert response is not None and response.ok, (
                f"{name}: {prefix}{path} answered {response and response.status}"
            )
            assert page.locator("html").get_attribute("lang") == language
            if prepare:
                prepare(page)
            for viewport in (DESKTOP, PHONE):
                page.set_viewport_size(viewport)
                result = run_axe(page)
                assert result["version"] == AXE_VERSION
                where = f"[{language}] {name} ({page.url}) at {viewport['width']}px"
                violations.append(describe(where, blocking(result["violations"])))
                checked += 1
            overflowing += _overflow_at_200_percent(page, f"[{language}] {name}")
            page.close()
    finally:
        visitor.close()
        owner.close()

    assert checked == 2 * len(key_pages(demo))
    report = "\n".join(v for v in violations if v)
    assert not report, f"axe-core {AXE_VERSION} found serious or critical violations:\n{report}"
    assert overflowing == [], "text at 200% pushes the page sideways on a 375 px phone"
    assert csp_errors == []


def test_axe_reports_a_violation_when_there_is_one(live_server, page: Page, make_ikm, make_product) -> None:
    """The check above can fail: an image without a text alternative is reported, with its rule and element."""
    product = make_product(make_ikm())
    page.goto(live_server.url + product.get_absolute_url())
    assert blocking(run_axe(page)["violations"]) == []
    page.evaluate(
        """() => {
            const img = document.createElement('img');
            img.id = 'unlabelled-picture';
            img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
            img.width = 40;
            img.height = 40;
            document.querySelector('main').append(img);
        }"""
    )
    violations = blocking(run_axe(page)["violations"])
    assert [v["id"] for v in violations] == ["image-alt"]
    assert violations[0]["impact"] == "critical"
    assert "#unlabelled-picture" in describe("product page", violations)


def _overflow_at_200_percent(page: Page, name: str) -> list[str]:
    """Double the root font size on the phone-sized page; report it when the page then scrolls sideways."""
    page.set_viewport_size(PHONE)
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    size = page.evaluate(
        """() => ({
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
            fontSize: getComputedStyle(document.documentElement).fontSize,
            wide: [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-scroll'))
                .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')),
        })"""
    )
    assert size["fontSize"] == "32px"
    if size["scrollWidth"] <= size["innerWidth"]:
        return []
    return [
        f"{name} ({page.url}): {size['scrollWidth']}px wide in a {size['innerWidth']}px window, e.g. {size['wide']}"
    ]


# --- Reduced motion ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("motion", "duration"), [("reduce", "0s"), ("no-preference", "0.4s")])
def test_reduced_motion_turns_transitions_off(live_server, browser: Browser, motion: str, duration: str) -> None:
    """The site's stylesheet stops every transition and animation when the visitor asks for less motion.

    Galeri's own styles animate nothing today, so the check gives an element a transition the way a future
    style would, and reads what the browser makes of it.
    """
    context = browser.new_context(viewport=PHONE, reduced_motion=motion)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/en/")
        computed = page.evaluate(
            """() => {
                const card = document.querySelector('.hero-actions a');
                card.style.transition = 'transform .4s ease';
                card.style.animation = 'none 1s';
                const style = getComputedStyle(card);
                return {transition: style.transitionDuration, animation: style.animationDuration,
                        scroll: getComputedStyle(document.documentElement).scrollBehavior};
            }"""
        )
    finally:
        context.close()
    assert computed["transition"] == duration
    assert computed["scroll"] == "auto"
    if motion == "reduce":
        assert computed["animation"] == "0s"
