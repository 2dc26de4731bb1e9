"""Cached counts are invalidated by every change that matters, and the list itself is never cached."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from catalog import facets
from catalog.models import Category, Certification, Product

pytestmark = pytest.mark.django_db


def listing(client, query: str = "") -> tuple[set[str], int, str]:
    response = client.get(f"/produk/{query}")
    html = response.content.decode()
    slugs = set(re.findall(r'class="card-title"><a href="/produk/([^/]+)/"', html))
    return slugs, response.context["total"], html


def test_a_newly_published_product_appears_at_once(visitor, make_ikm, make_product) -> None:
    ikm = make_ikm()
    make_product(ikm, slug="lama")
    assert listing(visitor)[:2] == ({"lama"}, 1)
    product = make_product(ikm, slug="baru", status=Product.Status.PENDING)
    assert listing(visitor)[:2] == ({"lama"}, 1)
    product.status = Product.Status.PUBLISHED
    product.published_at = timezone.now()
    product.save()
    assert listing(visitor)[:2] == ({"lama", "baru"}, 2)


def test_an_unpublished_product_disappears_at_once(visitor, make_ikm, make_product) -> None:
    ikm = make_ikm()
    make_product(ikm, slug="tetap")
    product = make_product(ikm, slug="ditarik")
    assert listing(visitor)[:2] == ({"tetap", "ditarik"}, 2)
    product.status = Product.Status.ARCHIVED
    product.save()
    assert listing(visitor)[:2] == ({"tetap"}, 1)


def test_even_an_update_without_signals_never_shows_an_unpublished_product(visitor, make_ikm, make_product) -> None:
    """Whenever a page is rendered its cached cards are checked against published(); only the whole page
    (tests/perf/test_page_cache.py) may keep it, for at most PAGE_CACHE_SECONDS."""
    product = make_product(make_ikm(), slug="diam-diam")
    listing(visitor)
    Product.objects.filter(pk=product.pk).update(status=Product.Status.DRAFT)
    with override_settings(PAGE_CACHE_SECONDS=0):
        assert listing(visitor)[0] == set()


def test_suspending_an_ikm_hides_its_products_and_their_counts(visitor, make_ikm, make_product) -> None:
    ikm = make_ikm(region_id="18.04")
    make_product(ikm, slug="liwa")
    make_product(make_ikm(), slug="kota")
    assert listing(visitor, "?region=18.04")[:2] == ({"liwa"}, 1)
    ikm.is_suspended = True
    ikm.save()
    slugs, total, html = listing(visitor, "?region=18.04")
    assert (slugs, total) == (set(), 0)
    assert listing(visitor)[:2] == ({"kota"}, 1)


def test_an_expired_certificate_loses_its_badge_and_its_count(visitor, make_ikm, make_product) -> None:
    ikm = make_ikm()
    product = make_product(ikm, slug="halal")
    certification = Certification.objects.create(ikm=ikm, type="halal", number="ID18710000000000001", status="verified")
    certification.products.add(product)
    assert listing(visitor, "?certification=halal")[:2] == ({"halal"}, 1)
    certification.expires_on = timezone.localdate() - dt.timedelta(days=1)
    certification.save()
    assert listing(visitor, "?certification=halal")[:2] == (set(), 0)
    assert "badge-halal" not in listing(visitor)[2]


def test_a_certificate_stops_counting_the_day_after_it_expires(visitor, make_ikm, make_product, monkeypatch) -> None:
    """No row changes at midnight: the date is part of every cache key."""
    ikm = make_ikm()
    product = make_product(ikm, slug="halal")
    today = timezone.localdate()
    certification = Certification.objects.create(
        ikm=ikm, type="halal", number="ID18710000000000002", status="verified", expires_on=today
    )
    certification.products.add(product)
    assert listing(visitor, "?certification=halal")[1] == 1
    tomorrow = today + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert listing(visitor, "?certification=halal")[:2] == (set(), 0)


def test_covering_a_product_with_a_certificate_updates_the_counts(visitor, make_ikm, make_product) -> None:
    ikm = make_ikm()
    product = make_product(ikm, slug="baru-halal")
    certification = Certification.objects.create(ikm=ikm, type="halal", number="ID18710000000000003", status="verified")
    assert listing(visitor, "?certification=halal")[1] == 0
    certification.products.add(product)  # m2m_changed
    assert listing(visitor, "?certification=halal")[:2] == ({"baru-halal"}, 1)


def test_moving_a_product_to_another_category_updates_the_counts(visitor, make_ikm, make_product) -> None:
    product = make_product(make_ikm(), slug="pindah")
    assert listing(visitor, "?category=kopi")[1] == 0
    product.category = Category.objects.get(slug="kopi")
    product.save()
    assert listing(visitor, "?category=kopi")[:2] == ({"pindah"}, 1)


def test_counts_are_served_from_the_cache(visitor, make_ikm, make_product, django_assert_max_num_queries) -> None:
    ikm = make_ikm()
    for _ in range(5):
        make_product(ikm)
    visitor.get("/produk/?region=18.71")
    # Warm: one query, checking that the cached cards are all still published.
    with django_assert_max_num_queries(1):
        visitor.get("/produk/?region=18.71&page=1")


def test_bump_makes_every_cached_count_stale() -> None:
    before = facets.cache_version()
    facets.bump_catalog_generation()
    assert facets.cache_version() != before


def test_generation_survives_an_evicted_key() -> None:
    cache.delete(facets.GENERATION_KEY)
    facets.bump_catalog_generation()
    first = facets.catalog_generation()
    facets.bump_catalog_generation()
    assert facets.catalog_generation() == first + 1
