"""/sitemap.xml and /robots.txt."""

import pytest
from django.urls import NoReverseMatch, reverse

from catalog.models import Product

pytestmark = pytest.mark.django_db


def _has_ikm_pages() -> bool:
    try:
        reverse("ikm:ikm-detail", kwargs={"slug": "x"})
    except NoReverseMatch:
        return False
    return True


def test_sitemap_index_lists_every_section(visitor, make_ikm, make_product) -> None:
    make_product(make_ikm())
    response = visitor.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    for section in ("products", "ikm", "categories", "events"):
        assert f"/sitemap-{section}.xml" in xml


def test_product_section_lists_published_products_in_both_languages(visitor, make_ikm, make_product) -> None:
    ikm = make_ikm()
    make_product(ikm, slug="kopi-terbit")
    make_product(ikm, slug="kopi-draf", status=Product.Status.DRAFT)
    make_product(make_ikm(is_suspended=True), slug="kopi-ditangguhkan")
    xml = visitor.get("/sitemap-products.xml").content.decode()
    assert "/produk/kopi-terbit/</loc>" in xml
    assert 'hreflang="en" href="http://testserver/en/produk/kopi-terbit/"' in xml
    assert 'hreflang="x-default"' in xml
    assert "kopi-draf" not in xml and "kopi-ditangguhkan" not in xml


def test_category_section(visitor) -> None:
    xml = visitor.get("/sitemap-categories.xml").content.decode()
    assert "/produk/?category=kopi</loc>" in xml and "/en/produk/?category=kopi</loc>" in xml


@pytest.mark.skipif(not _has_ikm_pages(), reason="IKM pages (ikm:ikm-detail) are not wired yet")
def test_ikm_section_lists_only_public_ikm(visitor, make_ikm) -> None:
    make_ikm(slug="terverifikasi")
    make_ikm(slug="ditangguhkan", is_suspended=True)
    make_ikm(slug="draf", status="draft")
    xml = visitor.get("/sitemap-ikm.xml").content.decode()
    assert "terverifikasi" in xml and "ditangguhkan" not in xml and "/draf/" not in xml


def test_sitemap_index_costs_two_queries_per_section(
    visitor, make_ikm, make_product, django_assert_max_num_queries
) -> None:
    ikm = make_ikm()
    for _ in range(30):
        make_product(ikm)
    with django_assert_max_num_queries(8):
        assert visitor.get("/sitemap.xml").status_code == 200


def test_robots_txt(visitor, settings) -> None:
    response = visitor.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines and "Allow: /" in lines
    for prefix in ("/dasbor/", "/akun/", "/admin/", "/en/dasbor/", "/en/akun/"):
        assert f"Disallow: {prefix}" in lines
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines


def test_robots_txt_does_not_reveal_a_custom_admin_address(visitor, settings) -> None:
    settings.ADMIN_URL = "kantor-rahasia/"
    assert "kantor-rahasia" not in visitor.get("/robots.txt").content.decode()
