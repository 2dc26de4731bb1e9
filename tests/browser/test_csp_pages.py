"""Every kind of page, public, owner's and staff's, loads in Chromium without a Content-Security-Policy violation.

The policy is strict (no inline script or style, scripts only from 'self' with the nonce), so an inline
``style=""``, a ``<script>`` without the nonce or an image from another host shows up as a console error
here. Each page must also answer with its own status and stay on its own URL: a redirect to the login
would load a different page and prove nothing.
"""

from dataclasses import dataclass

import pytest
from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, Page

from tests.security.world import World, build_world

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass(frozen=True)
class Visit:
    path: str
    status: int = 200


def _public_pages(w: World) -> list[Visit]:
    return [
        Visit("/"),
        Visit("/produk/"),
        Visit(f"/produk/?category={w.product.category.slug}&region=18.71&sort=price"),
        Visit(f"/produk/?q={w.product.name.split()[0]}"),
        Visit(w.product.get_absolute_url()),
        Visit("/ikm/"),
        Visit("/ikm/?region=18.71&sector=pangan"),
        Visit(w.ikm.get_absolute_url()),
        Visit("/acara/"),
        Visit(w.event.get_absolute_url()),
        Visit(f"/tanya/produk/{w.product.slug}/"),
        Visit(f"/tanya/ikm/{w.ikm.slug}/"),
        Visit(f"/laporkan/produk/{w.product.slug}/"),
        Visit("/akun/login/"),
        Visit("/akun/signup/"),
        Visit("/akun/password/reset/"),
        Visit("/tidak-ada-halaman-ini/", status=404),
        Visit("/produk/tidak-ada-produk-ini/", status=404),
    ]


def _owner_pages(w: World) -> list[Visit]:
    return [
        Visit("/dasbor/"),
        Visit("/dasbor/profil/"),
        Visit("/dasbor/produk/"),
        Visit("/dasbor/produk/baru/"),
        Visit(f"/dasbor/produk/{w.product.pk}/ubah/"),
        Visit(f"/dasbor/produk/{w.draft.pk}/ubah/"),
        Visit(f"/dasbor/produk/{w.product.pk}/foto/"),
        Visit(w.draft.get_absolute_url()),  # the owner's preview of a draft
        Visit("/dasbor/sertifikat/"),
        Visit("/dasbor/sertifikat/baru/"),
        Visit(f"/dasbor/sertifikat/{w.certification.pk}/ubah/"),
        Visit("/dasbor/pertanyaan/"),
        Visit(f"/dasbor/pertanyaan/{w.inquiry.pk}/"),
        Visit(w.event.get_absolute_url()),  # with the owner's application on it
        Visit("/akun/email/"),
        Visit("/akun/2fa/"),
        Visit(f"/dasbor/produk/{w.other_product.pk}/ubah/", status=404),  # another owner's: a 404 page
    ]


def _staff_pages(w: World) -> list[Visit]:
    return [
        Visit("/admin/"),
        Visit("/admin/statistik/"),
        Visit("/admin/catalog/product/"),
        Visit("/admin/catalog/product/?queue=waiting"),  # a queue linked from the index
        Visit(f"/admin/catalog/product/{w.product.pk}/change/"),
        Visit(f"/admin/catalog/product/{w.product.pk}/history/"),
        Visit(f"/admin/ikm/ikm/{w.ikm.pk}/change/"),
        Visit(f"/admin/catalog/certification/{w.certification.pk}/change/"),
        Visit("/admin/exhibitions/event/add/"),
        Visit(f"/admin/exhibitions/exhibitorapplication/{w.application.pk}/change/"),
        Visit("/admin/inquiries/inquiry/"),
        Visit("/admin/inquiries/inquiry/figures/"),
        Visit(f"/admin/moderation/report/{w.report.pk}/change/"),
        Visit("/admin/moderation/decision/"),
    ]


class Pages:
    """A browser context for one actor whose console CSP errors are kept with the page they happened on."""

    def __init__(self, browser: Browser, base_url: str, session: str | None) -> None:
        self.base_url = base_url
        self.context: BrowserContext = browser.new_context(base_url=base_url)
        if session:
            self.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])
        self.page: Page = self.context.new_page()
        self.violations: list[str] = []
        self.wrong: list[str] = []
        self.page.on("console", self._console)

    def _console(self, message: object) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(f"{self.page.url}: {message.text}")

    def visit(self, visit: Visit, *, english: bool = False) -> None:
        path = "/en" + visit.path if english else visit.path
        response = self.page.goto(path)
        status = response.status if response else None
        landed = self.page.url.removeprefix(self.base_url)
        if status != visit.status or landed != path:
            self.wrong.append(f"{path}: answered {status} at {landed}, expected {visit.status}")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def world(live_server) -> World:
    return build_world()


def _check(pages: Pages, visits: list[Visit], *, english: bool) -> None:
    try:
        for visit in visits:
            pages.visit(visit, english=english)
    finally:
        pages.close()
    assert pages.wrong == []
    assert pages.violations == []


@pytest.mark.parametrize("english", [False, True], ids=["id", "en"])
def test_public_pages_have_no_csp_violation(live_server, browser: Browser, world: World, english: bool) -> None:
    _check(Pages(browser, live_server.url, None), _public_pages(world), english=english)


@pytest.mark.parametrize("english", [False, True], ids=["id", "en"])
def test_owner_pages_have_no_csp_violation(live_server, browser: Browser, world: World, english: bool) -> None:
    _check(Pages(browser, live_server.url, world.sessions["owner"]), _owner_pages(world), english=english)


def test_event_application_form_has_no_csp_violation(live_server, browser: Browser, world: World) -> None:
    # The owner of the world already applied; the other owner's verified IKM may.
    visits = [Visit(f"/acara/{world.event.slug}/daftar/"), Visit(world.event.get_absolute_url())]
    _check(Pages(browser, live_server.url, world.sessions["other_owner"]), visits, english=False)


def test_forms_shown_again_with_errors_have_no_csp_violation(live_server, browser: Browser, world: World) -> None:
    """An invalid form loads the error summary's script (static/js/forms.js).

    The typed fields are emptied and the browser's own checks turned off, so the server answers with errors.
    """
    pages = Pages(browser, live_server.url, world.sessions["owner"])
    try:
        for path in ("/dasbor/produk/baru/", "/dasbor/profil/", f"/tanya/produk/{world.product.slug}/"):
            pages.visit(Visit(path))
            form = pages.page.locator("main form[method=post]").last
            form.evaluate(
                "form => { form.noValidate = true;"
                " form.querySelectorAll('input[type=text], input[type=email], textarea').forEach(f => f.value = ''); }"
            )
            with pages.page.expect_navigation():
                form.locator("[type=submit]").last.click()
            pages.page.locator("[data-error-summary]").wait_for()
            assert pages.page.evaluate("document.activeElement.hasAttribute('data-error-summary')"), path
    finally:
        pages.close()
    assert pages.wrong == []
    assert pages.violations == []


@pytest.mark.parametrize("actor", ["superuser", "moderator"])
def test_admin_and_moderation_pages_have_no_csp_violation(
    live_server, browser: Browser, world: World, actor: str
) -> None:
    _check(Pages(browser, live_server.url, world.sessions[actor]), _staff_pages(world), english=False)


def test_an_admin_action_asking_for_a_reason_has_no_csp_violation(live_server, browser: Browser, world: World) -> None:
    """A moderator picks "request changes" on a product: the admin's intermediate page asks for the reason."""
    pages = Pages(browser, live_server.url, world.sessions["moderator"])
    try:
        pages.visit(Visit("/admin/catalog/product/"))
        page = pages.page
        page.locator(f'input[name="_selected_action"][value="{world.product.pk}"]').check()
        page.locator('select[name="action"]').select_option("request_changes")
        with page.expect_navigation():
            page.locator('button[name="index"]').click()
        page.locator("textarea").first.wait_for()
    finally:
        pages.close()
    assert pages.wrong == []
    assert pages.violations == []


def test_a_violation_would_be_caught(live_server, browser: Browser, world: World) -> None:
    """The listener does hear the browser: an inline script added to a page is refused and reported."""
    pages = Pages(browser, live_server.url, None)
    try:
        pages.visit(Visit("/"))
        pages.page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = '1'; document.body.append(s); }"
        )
        pages.page.wait_for_timeout(100)
    finally:
        pages.close()
    assert any("script-src" in violation for violation in pages.violations), pages.violations
