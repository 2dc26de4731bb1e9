"""The home page: featured and newest products, categories with counts, newest IKM (galeri.views.home)."""

import datetime as dt

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from catalog.models import Category, Product

pytestmark = pytest.mark.django_db


def _has_ikm_pages() -> bool:
    try:
        reverse("ikm:ikm-detail", kwargs={"slug": "x"})
    except NoReverseMatch:
        return False
    return True


requires_ikm_pages = pytest.mark.skipif(not _has_ikm_pages(), reason="IKM pages (ikm:ikm-detail) are not wired yet")


def test_home_without_products_keeps_its_hero(visitor) -> None:
    response = visitor.get("/en/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Products of Lampung's small and medium industries" in html
    assert "No published products yet." in html
    assert html.count("<h1") == 1


@requires_ikm_pages
def test_home_shows_featured_and_newest_products_and_categories(visitor, make_ikm, make_product) -> None:
    ikm = make_ikm(name="Kopi Liwa Jaya", slug="kopi-liwa-jaya")
    now = timezone.now()
    make_product(ikm, slug="unggulan", is_featured=True, published_at=now - dt.timedelta(days=30))
    make_product(ikm, slug="terbaru", category=Category.objects.get(slug="kopi"), published_at=now)
    make_product(ikm, slug="draf-unggulan", is_featured=True, status=Product.Status.DRAFT)
    make_ikm(name="Belum Diverifikasi", slug="belum", status="submitted")
    response = visitor.get("/en/")
    slugs = dict(Product.objects.values_list("pk", "slug"))
    assert [slugs[pk] for pk in response.context["featured_ids"]] == ["unggulan"]
    assert [slugs[pk] for pk in response.context["newest_ids"]] == ["terbaru", "unggulan"]
    counts = {category.slug: count for category, count in response.context["categories"]}
    assert counts["makanan-minuman"] == 2 and counts["kain-busana"] == 0
    assert [i.slug for i in response.context["newest_ikm"]] == ["kopi-liwa-jaya"]
    html = response.content.decode()
    assert "Featured products" in html and "2 products" in html
    assert 'href="/en/produk/?category=makanan-minuman"' in html
    assert "Belum Diverifikasi" not in html


@requires_ikm_pages
def test_home_category_counts_follow_publishing(visitor, make_ikm, make_product) -> None:
    product = make_product(make_ikm(), slug="sekali")

    def food_count() -> int:
        return {c.slug: n for c, n in visitor.get("/").context["categories"]}["makanan-minuman"]

    assert food_count() == 1
    product.status = Product.Status.ARCHIVED
    product.save()
    assert food_count() == 0
