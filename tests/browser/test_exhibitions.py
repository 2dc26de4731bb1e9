"""The exhibitor journey in a real browser: staff publish, an owner applies, staff accept, a visitor sees it."""

import datetime as dt
from importlib import import_module

import icalendar
import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from exhibitions.models import WIB, Event, ExhibitorApplication


def _has_ikm_pages() -> bool:
    try:
        reverse("ikm:ikm-detail", kwargs={"slug": "x"})
    except NoReverseMatch:
        return False
    return True


pytestmark = [
    pytest.mark.django_db(transaction=True),
    # The event page links each exhibitor to its IKM page, which the IKM app provides.
    pytest.mark.skipif(not _has_ikm_pages(), reason="IKM pages (ikm:ikm-detail) are not wired yet"),
]


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    """The regions and categories the data migrations load, and a fresh content type cache.

    An earlier transactional test's flush empties those tables, and serialized_rollback cannot put them back
    here: under Playwright's event loop Django hands out a connection without the serialized copy. The flush
    also recreates content types under new ids, which the process-wide cache would not know.
    """
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    import_module("ikm.migrations.0002_load_regions").load_regions(apps, None)
    import_module("catalog.migrations.0002_load_categories").load_categories(apps, None)


def _logged_in(browser: Browser, base_url: str, user: object) -> BrowserContext:
    """A browser context carrying a session of ``user`` (no need to drive the login form here)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=base_url)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])
    return context


def _run_admin_action(page: Page, changelist: str, obj: object, action: str) -> None:
    page.goto(changelist)
    page.locator(f'input[name="_selected_action"][value="{obj.pk}"]').check()
    page.locator('select[name="action"]').select_option(action)
    page.locator('button[name="index"]').click()
    expect(page.locator(".messagelist")).to_be_visible()


def test_staff_publish_owner_applies_staff_accept_visitor_sees_and_downloads(
    reference_data, live_server, browser: Browser, staff_user, owner, owner_ikm, make_product, csp_violations
) -> None:
    base = live_server.url
    now = timezone.now()
    starts = (now + dt.timedelta(days=30)).astimezone(WIB).replace(hour=9, minute=0, second=0, microsecond=0)
    event = Event.objects.create(
        kind=Event.Kind.PAMERAN,
        title="Lampung Craft Uji",
        slug="lampung-craft-uji",
        summary="Pameran kriya.",
        starts_at=starts,
        ends_at=starts.replace(hour=16),
        venue_name="Graha Wangsa",
        region_id="18.71",
        organiser="Dekranasda Provinsi Lampung",
        applications_open_at=now - dt.timedelta(days=1),
        applications_close_at=now + dt.timedelta(days=10),
        places=10,
    )
    keripik = make_product(owner_ikm, name="Keripik Pisang Cokelat")
    kopi = make_product(owner_ikm, name="Kopi Robusta Liwa")
    make_product(owner_ikm, name="Lempok Durian")

    # 1. Staff publish the draft event in the admin.
    staff = _logged_in(browser, base, staff_user).new_page()
    assert staff.goto("/acara/lampung-craft-uji/").ok  # staff may preview the draft
    _run_admin_action(staff, "/admin/exhibitions/event/", event, "publish_events")
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED

    # 2. The owner applies from the event page with two products.
    owner_page = _logged_in(browser, base, owner).new_page()
    owner_page.goto("/acara/lampung-craft-uji/")
    form = owner_page.locator("form.apply-form")
    form.get_by_label("Keripik Pisang Cokelat").check()
    form.get_by_label("Kopi Robusta Liwa").check()
    form.locator("textarea[name=note]").fill("Kami butuh satu meja dan listrik.")
    form.locator("button[type=submit]").click()
    expect(owner_page).to_have_url(base + "/acara/lampung-craft-uji/")
    expect(owner_page.locator(".message-success")).to_be_visible()
    expect(owner_page.locator(".application-status")).to_be_visible()
    application = ExhibitorApplication.objects.get(event=event, ikm=owner_ikm)
    assert set(application.products.all()) == {keripik, kopi}
    assert application.status == ExhibitorApplication.Status.SUBMITTED

    # 3. Staff accept the application.
    _run_admin_action(staff, "/admin/exhibitions/exhibitorapplication/", application, "accept_applications")
    application.refresh_from_db()
    assert application.status == ExhibitorApplication.Status.ACCEPTED

    # 4. A visitor sees the IKM among the exhibitors and downloads a valid calendar file.
    visitor = browser.new_context(base_url=base).new_page()
    visitor.on(
        "console", lambda msg: csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    visitor.goto("/acara/lampung-craft-uji/")
    exhibitors = visitor.locator("section", has=visitor.locator("#exhibitors-title"))
    expect(exhibitors.get_by_role("link", name="Keripik Mak Ijah")).to_have_attribute("href", "/ikm/keripik-mak-ijah/")
    products = visitor.locator("section", has=visitor.locator("#products-title"))
    expect(products.get_by_role("link", name="Kopi Robusta Liwa")).to_be_visible()

    ics_link = visitor.locator('a[href="/acara/lampung-craft-uji.ics"]')
    expect(ics_link).to_be_visible()
    response = visitor.request.get(base + ics_link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.body())
    [vevent] = calendar.events
    assert str(vevent["SUMMARY"]) == "Lampung Craft Uji"
    assert vevent["DTSTART"].dt == starts and vevent["DTSTART"].params["TZID"] == "Asia/Jakarta"
    assert vevent["DTSTART"].dt.astimezone(dt.UTC) == starts.astimezone(dt.UTC)
    assert str(vevent["URL"]).endswith("/acara/lampung-craft-uji/")
    assert csp_violations == []
