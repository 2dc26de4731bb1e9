"""Whole public pages cached for anonymous visitors (galeri/page_cache.py): served without queries, never
stale past a change made through the ORM, never shared with signed-in users, and per visitor where they must
be (the CSRF token of the inquiry form, the CSP nonce)."""

import datetime as dt
import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest
from django.test import Client, override_settings
from django.utils import timezone

from catalog import facets
from catalog.models import Category, Certification, Product
from exhibitions.models import Award, Event, ExhibitorApplication, ProgrammeItem
from galeri import page_cache
from ikm.models import IKMLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(make_ikm, make_product):
    """An IKM with two products, and an event it exhibits one of them at."""
    ikm = make_ikm(name="Kopi Sai Bumi", slug="kopi-sai-bumi")
    product = make_product(
        ikm,
        name="Kopi Robusta Tanggamus",
        slug="kopi-robusta",
        price_min=45000,
        category=Category.objects.get(slug="kopi"),
    )
    other = make_product(ikm, name="Keripik Pisang Manis", slug="keripik-manis", price_min=20000)
    now = timezone.now()
    event = Event.objects.create(
        kind=Event.Kind.PAMERAN,
        title="Lampung Craft 2026",
        slug="lampung-craft-2026",
        summary="Pameran kerajinan dan kuliner IKM Lampung.",
        starts_at=now + dt.timedelta(days=30),
        ends_at=now + dt.timedelta(days=32),
        venue_name="Graha Wangsa",
        venue_address="Jl. Wolter Monginsidi No. 1",
        region_id="18.71",
        organiser="Dekranasda Provinsi Lampung",
        status=Event.Status.PUBLISHED,
        published_at=now,
    )
    application = ExhibitorApplication.objects.create(
        event=event, ikm=ikm, status=ExhibitorApplication.Status.ACCEPTED, decided_at=now
    )
    application.products.set([product])
    return {"ikm": ikm, "product": product, "other": other, "event": event}


def pages(site) -> dict[str, str]:
    return {
        "home": "/",
        "catalog": "/produk/",
        "catalog filtered": "/produk/?category=kopi&region=18.71",
        "product": site["product"].get_absolute_url(),
        "IKM directory": "/ikm/",
        "IKM": site["ikm"].get_absolute_url(),
        "events": "/acara/",
        "event": site["event"].get_absolute_url(),
    }


def html(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


# --- Served from the cache ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "page", ["home", "catalog", "catalog filtered", "product", "IKM directory", "IKM", "events", "event"]
)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_a_second_anonymous_visit_makes_no_query(visitor, site, page, prefix, django_assert_num_queries) -> None:
    path = prefix + pages(site)[page]
    first = html(visitor, path)
    with django_assert_num_queries(0):
        second = Client().get(path)
    assert second.status_code == 200
    # The same page, but for the per-visitor CSRF token and CSP nonce.
    strip = re.compile(r'(nonce|value)="[^"]*"')
    assert strip.sub("", second.content.decode()) == strip.sub("", first)


def test_each_language_is_cached_apart(visitor, site) -> None:
    assert 'lang="id"' in html(visitor, "/produk/")
    assert 'lang="en"' in html(visitor, "/en/produk/")
    assert 'lang="id"' in html(visitor, "/produk/")


def test_a_hit_has_the_same_headers_as_a_fresh_page(visitor, site) -> None:
    path = site["product"].get_absolute_url()
    fresh, cached = visitor.get(path), Client().get(path)
    for name in ("Content-Type", "Vary", "X-Frame-Options", "Content-Language", "Referrer-Policy"):
        assert cached.headers.get(name) == fresh.headers.get(name), name
    assert "Cookie" in cached.headers["Vary"]
    assert "Cache-Control" not in cached.headers  # no shared cache may keep a page with a CSRF token


def test_unknown_parameters_are_rendered_but_not_cached(visitor, site, django_assert_max_num_queries) -> None:
    html(visitor, "/produk/?utm_source=wa")
    with django_assert_max_num_queries(10) as queries:
        html(Client(), "/produk/?utm_source=wa")
    assert len(queries) > 0


def test_an_error_page_is_not_cached(visitor, site) -> None:
    assert visitor.get("/produk/belum-ada/").status_code == 404
    Product.objects.filter(pk=site["other"].pk).update(slug="belum-ada")
    assert visitor.get("/produk/belum-ada/").status_code == 200


# --- Per visitor ---------------------------------------------------------------------------------


def _csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("page", ["product", "IKM"])
def test_the_inquiry_form_of_a_cached_page_carries_each_visitors_own_token(site, page) -> None:
    path = pages(site)[page]
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_token = _csrf_token(html(first, path))
    second_token = _csrf_token(html(second, path))  # a hit
    assert page_cache.CSRF_PLACEHOLDER not in first_token + second_token
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    form_action = re.search(r'<form method="post" class="inquiry-form" action="([^"]+)"', html(second, path)).group(1)
    data = {"name": "Budi", "email": "budi@example.test", "message": "Berapa harga grosir?", "buyer_type": "personal"}
    # Each token passes the CSRF check with its own visitor's cookie (the form may still have errors) ...
    assert second.post(form_action, {**data, "csrfmiddlewaretoken": second_token}).status_code != 403
    # ... and another visitor's token does not.
    third = Client(enforce_csrf_checks=True)
    html(third, path)
    assert third.post(form_action, {**data, "csrfmiddlewaretoken": "x" * 64}).status_code == 403


def test_each_response_has_its_own_nonce_matching_its_header(visitor, site) -> None:
    path = site["product"].get_absolute_url()
    nonces = []
    for client in (visitor, Client(), Client()):
        response = client.get(path)
        in_page = set(re.findall(r'nonce="([^"]*)"', response.content.decode()))
        assert len(in_page) == 1
        nonce = in_page.pop()
        assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
        nonces.append(nonce)
    assert len(set(nonces)) == 3
    assert page_cache.NONCE_PLACEHOLDER not in "".join(nonces)


def test_signed_in_users_never_get_or_leave_a_cached_page(visitor, site, owner_client) -> None:
    path = "/produk/"
    html(visitor, path)  # cached for anonymous visitors
    signed_in = html(owner_client, path)
    assert "Log out" in signed_in or "Keluar" in signed_in
    assert "Keluar" not in html(Client(), path)


def test_a_visitor_with_a_message_waiting_sees_it(visitor, site) -> None:
    path = site["product"].get_absolute_url()
    html(visitor, path)
    reader = Client()
    storage = CookieStorage(HttpRequest())
    reader.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "Pertanyaan Anda terkirim.")])
    assert "Pertanyaan Anda terkirim." in html(reader, path)
    assert "Pertanyaan Anda terkirim." not in html(Client(), path)


# --- Invalidation: every published change shows on the next request ----------------------------


def test_a_new_price_shows_at_once_everywhere(visitor, site) -> None:
    product = site["product"]
    everywhere = [p for name, p in pages(site).items() if name not in ("IKM directory", "events")]
    for path in everywhere:
        assert "Rp45.000" in html(visitor, path), path
    product.price_min = 47500
    product.save()
    for path in everywhere:
        page = html(visitor, path)
        assert "Rp47.500" in page and "Rp45.000" not in page, path


def test_an_unpublished_product_disappears_at_once(visitor, site) -> None:
    product = site["product"]
    for path in pages(site).values():
        html(visitor, path)
    product.status = Product.Status.ARCHIVED
    product.save()
    assert visitor.get(product.get_absolute_url()).status_code == 404
    for name in ("home", "catalog", "IKM", "event"):
        assert product.get_absolute_url() not in html(visitor, pages(site)[name]), name


def test_a_newly_published_product_appears_at_once(visitor, site, make_product) -> None:
    html(visitor, "/")
    html(visitor, "/produk/")
    new = make_product(site["ikm"], name="Lada Hitam Lampung", slug="lada-hitam", status=Product.Status.PENDING)
    assert "lada-hitam" not in html(visitor, "/produk/")
    new.status = Product.Status.PUBLISHED
    new.published_at = timezone.now()
    new.save()
    assert "/produk/lada-hitam/" in html(visitor, "/produk/")
    assert "/produk/lada-hitam/" in html(visitor, "/")


def test_an_ikm_edit_shows_at_once(visitor, site) -> None:
    ikm = site["ikm"]
    for path in pages(site).values():
        html(visitor, path)
    ikm.name = "Kopi Sai Bumi Gisting"
    ikm.save()
    for name in ("IKM directory", "IKM", "product", "event"):
        assert "Kopi Sai Bumi Gisting" in html(visitor, pages(site)[name]), name


def test_suspending_an_ikm_hides_its_pages_at_once(visitor, site) -> None:
    ikm = site["ikm"]
    for path in pages(site).values():
        html(visitor, path)
    ikm.is_suspended = True
    ikm.save()
    assert visitor.get(ikm.get_absolute_url()).status_code == 404
    assert visitor.get(site["product"].get_absolute_url()).status_code == 404
    assert ikm.get_absolute_url() not in html(visitor, "/ikm/")


def test_a_new_shop_link_shows_at_once(visitor, site) -> None:
    path = site["ikm"].get_absolute_url()
    assert "tokopedia.com" not in html(visitor, path)
    IKMLink.objects.create(ikm=site["ikm"], platform="tokopedia", url="https://www.tokopedia.com/kopisaibumi")
    assert "tokopedia.com/kopisaibumi" in html(visitor, path)


def test_event_changes_show_at_once(visitor, site) -> None:
    event = site["event"]
    for path in pages(site).values():
        html(visitor, path)
    event.title = "Lampung Craft Expo 2026"
    event.save()
    for name in ("events", "event", "product", "IKM"):
        assert "Lampung Craft Expo 2026" in html(visitor, pages(site)[name]), name
    ProgrammeItem.objects.create(event=event, starts_at=event.starts_at, title="Pembukaan oleh Gubernur")
    assert "Pembukaan oleh Gubernur" in html(visitor, event.get_absolute_url())
    Award.objects.create(event=event, ikm=site["ikm"], product=site["product"], category="Kuliner", title="Juara 1")
    assert "Juara 1" in html(visitor, event.get_absolute_url())
    event.status = Event.Status.CANCELLED
    event.save()
    assert "Lampung Craft Expo 2026" in html(visitor, "/acara/")
    event.status = Event.Status.DRAFT
    event.save()
    assert visitor.get(event.get_absolute_url()).status_code == 404
    assert "Lampung Craft Expo 2026" not in html(visitor, "/acara/")


def test_an_exhibitor_taken_off_an_event_leaves_its_page_at_once(visitor, site) -> None:
    event = site["event"]
    assert "/produk/kopi-robusta/" in html(visitor, event.get_absolute_url())
    application = ExhibitorApplication.objects.get(event=event)
    application.products.clear()  # m2m_changed
    assert "/produk/kopi-robusta/" not in html(visitor, event.get_absolute_url())
    application.status = ExhibitorApplication.Status.REJECTED
    application.reason = "Tempat penuh."
    application.save()
    assert "Kopi Sai Bumi" not in html(visitor, event.get_absolute_url())


def test_a_newly_accepted_exhibitor_shows_the_event_on_its_pages_at_once(visitor, site, make_ikm, make_product) -> None:
    ikm = make_ikm(name="Tenun Sai Bumi", slug="tenun-sai-bumi")
    product = make_product(ikm, slug="kain-tenun")
    for path in (ikm.get_absolute_url(), product.get_absolute_url()):
        assert "Lampung Craft 2026" not in html(visitor, path)
    application = ExhibitorApplication.objects.create(event=site["event"], ikm=ikm)
    application.products.set([product])
    application.status = ExhibitorApplication.Status.ACCEPTED
    application.decided_at = timezone.now()
    application.save()
    for path in (ikm.get_absolute_url(), product.get_absolute_url()):
        assert "Lampung Craft 2026" in html(visitor, path), path


def test_a_moved_photo_shows_at_once(visitor, site, owner, make_ikm, make_product) -> None:
    """photo_move() reorders with QuerySet.update(): it must bump the catalog itself."""
    from catalog import services
    from catalog.models import ProductPhoto

    ikm = make_ikm(owner=owner, name="Tapis Sai Bumi", slug="tapis-sai-bumi")
    product = make_product(ikm, slug="tapis-kapal", review_requested_at=timezone.now())
    first, second = (
        ProductPhoto.objects.create(
            product=product, image=f"produk/{n:032x}/original.jpg", width=1200, height=900, position=n
        )
        for n in range(2)
    )
    cover = re.compile(r'<a href="([^"]+)" class="gallery-main-link">')
    before = cover.search(html(visitor, "/produk/tapis-kapal/")).group(1)
    services.photo_move(photo=second, user=owner, direction="up")
    after = cover.search(html(visitor, "/produk/tapis-kapal/")).group(1)
    assert before != after and f"{1:032x}" in after


# --- What no signal reports: within the stated delay -------------------------------------------


class Clock:
    """time.time() for the local-memory cache's expiry, moved by hand."""

    def __init__(self) -> None:
        import time

        self.now = time.time()

    def time(self) -> float:
        return self.now


def test_an_update_without_signals_shows_within_the_page_cache_delay(visitor, site, monkeypatch) -> None:
    """The cards are checked against published() whenever a page is rendered, so at most one page-cache delay."""
    from django.core.cache.backends import locmem

    clock = Clock()
    monkeypatch.setattr(locmem.time, "time", clock.time)
    card = '<h3 class="card-title"><a href="/produk/kopi-robusta/">'
    for path in ("/produk/", "/"):
        assert card in html(visitor, path)
    html(visitor, "/produk/kopi-robusta/")
    Product.objects.filter(pk=site["product"].pk).update(status=Product.Status.DRAFT)  # no signal, no bump
    assert visitor.get("/produk/kopi-robusta/").status_code == 200  # still the cached page
    clock.now += page_cache.timeout() + 1
    for path in ("/produk/", "/"):
        assert card not in html(visitor, path)
    assert visitor.get("/produk/kopi-robusta/").status_code == 404


def test_event_pages_follow_the_clock_within_a_minute(visitor, owner, site, monkeypatch) -> None:
    """An event starts or closes its applications without any row changing: its pages lag a minute at most.

    Even when an anonymous page is cached from a fragment rendered just before (for a signed-in visitor, whose
    pages are never cached whole): each layer keeps half the minute.
    """
    from django.core.cache.backends import locmem

    clock = Clock()
    monkeypatch.setattr(locmem.time, "time", clock.time)
    event = site["event"]
    html(visitor, site["product"].get_absolute_url())  # its inquiry form gives the visitor a CSRF cookie, so
    # the visitor's next pages can be cached whole (a response that sets a cookie is not)
    signed_in = Client()
    signed_in.force_login(owner)
    assert signed_in.get("/acara/").status_code == 200  # the cards' fragment is cached, the page is not
    Event.objects.filter(pk=event.pk).update(title="Lampung Craft Malam")  # stands for the clock: no signal
    clock.now += 25
    card_title = '">Lampung Craft Malam</a></h3>'
    assert card_title not in html(visitor, "/acara/")  # cached whole, with the 25 s old cards
    html(visitor, event.get_absolute_url())
    clock.now += 36  # a minute and a second after the change
    assert card_title in html(visitor, "/acara/")
    assert "<h1>Lampung Craft Malam</h1>" in html(visitor, event.get_absolute_url())
    assert page_cache.timeout() > 61  # the other pages may keep theirs longer


def test_an_update_without_signals_shows_at_once_after_a_bump(visitor, site) -> None:
    path = site["product"].get_absolute_url()
    html(visitor, path)
    Product.objects.filter(pk=site["product"].pk).update(price_min=99000)
    facets.bump_catalog_generation()
    assert "Rp99.000" in html(visitor, path)


def test_a_certificate_expiring_at_midnight_leaves_the_cached_page(visitor, site, monkeypatch) -> None:
    """No row changes at midnight: the date is part of the page version."""
    today = timezone.localdate()
    Certification.objects.create(
        ikm=site["ikm"], type="halal", number="ID18710000000000001", status="verified", expires_on=today
    ).products.add(site["product"])
    path = site["product"].get_absolute_url()
    assert "ID18710000000000001" in html(visitor, path)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + dt.timedelta(days=1))
    assert "ID18710000000000001" not in html(visitor, path)


@override_settings(PAGE_CACHE_SECONDS=0)
def test_the_page_cache_can_be_turned_off(visitor, site, django_assert_max_num_queries) -> None:
    html(visitor, "/")
    with django_assert_max_num_queries(10) as queries:
        html(Client(), "/")
    assert len(queries) > 0


# --- Counting views ----------------------------------------------------------------------------


@override_settings(PAGE_CACHE_SECONDS=600)
def test_cached_product_pages_still_count_views_written_at_most_once_a_minute(
    visitor, site, monkeypatch, django_assert_num_queries
) -> None:
    from django.core.cache.backends import locmem

    clock = Clock()
    monkeypatch.setattr(locmem.time, "time", clock.time)
    product = site["product"]
    path = product.get_absolute_url()
    html(visitor, path)  # rendered; its view waits in the cache
    for _ in range(3):
        with django_assert_num_queries(0):  # served from the cache, counted in the cache
            html(Client(), path)
    product.refresh_from_db()
    assert product.view_count == 0
    clock.now += 61  # the first view after a minute writes the four waiting before it
    with django_assert_num_queries(1):
        html(Client(), path)
    product.refresh_from_db()
    assert product.view_count == 4
    clock.now += 61
    html(Client(), path)
    product.refresh_from_db()
    assert product.view_count == 5


def test_a_view_is_not_a_catalog_change(visitor, site) -> None:
    before = page_cache.page_version()
    html(visitor, site["product"].get_absolute_url())
    html(visitor, site["product"].get_absolute_url())
    assert page_cache.page_version() == before


def test_categories_are_public_page_content(visitor, site) -> None:
    category = Category.objects.get(slug="kopi")
    html(visitor, "/produk/")
    category.name = "Kopi Lampung"
    category.save()
    assert "Kopi Lampung" in html(visitor, "/produk/")
