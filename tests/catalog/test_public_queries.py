"""Query budgets (issue #9): at most 10 per page: /produk/ for any filters and page, the product page, the home page.

Every count here is taken with an empty cache (the autouse fixture clears it), the worst case, and with
enough products, photos and certificates that an N+1 would show.
"""

import pytest
from django.core.cache import cache
from django.urls import NoReverseMatch, reverse

from catalog.models import Category, Certification, Product, ProductPhoto


def _has_ikm_pages() -> bool:
    try:
        reverse("ikm:ikm-detail", kwargs={"slug": "x"})
    except NoReverseMatch:
        return False
    return True


# The product page and the home page link each IKM to its page, which the IKM app provides.
requires_ikm_pages = pytest.mark.skipif(not _has_ikm_pages(), reason="IKM pages (ikm:ikm-detail) are not wired yet")
pytestmark = pytest.mark.django_db

PRODUCTS = 60


@pytest.fixture
def catalog(make_ikm, make_product):
    """60 products of 6 IKM in 3 regions and 3 categories, each with 3 photos and 2 valid certificates."""
    categories = [Category.objects.get(slug=slug) for slug in ("kopi", "keripik-camilan", "kain-tapis")]
    regions = ["18.71", "18.04", "18.06"]
    ikms = [make_ikm(region_id=regions[i % 3], sector="pangan" if i % 2 else "sandang") for i in range(6)]
    products = []
    for i in range(PRODUCTS):
        products.append(
            make_product(
                ikms[i % 6],
                name=f"Kopi Keripik Tapis {i}",
                category=categories[i % 3],
                price_min=None if i % 7 == 0 else 10_000 + i * 1_000,
                is_featured=i % 5 == 0,
            )
        )
    ProductPhoto.objects.bulk_create(
        ProductPhoto(product=p, image=f"produk/{p.pk:032x}/original.jpg", width=1600, height=1200, position=n)
        for p in products
        for n in range(3)
    )
    for ikm in ikms:
        for cert_type, number in (("halal", f"ID1871{ikm.pk:015d}"), ("pirt", f"20634710{ikm.pk:05d}25")):
            certification = Certification.objects.create(ikm=ikm, type=cert_type, number=number, status="verified")
            certification.products.set(p for p in products if p.ikm_id == ikm.pk)
    return products


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?page=2",
        "?page=3",
        "?category=makanan-minuman",
        "?region=18.71&sector=sandang",
        "?certification=halal&certification=pirt",
        "?min_price=20000&max_price=50000&availability=ready",
        "?q=kopi",
        "?q=kop&sort=price_desc",
        "?q=tapiz",  # few full-text matches: typo-tolerant search on PostgreSQL
        "?q=kopi&category=kopi&region=18.04&certification=halal&min_price=1&max_price=99999&sort=name&page=1",
        "?page=999999",
    ],
)
def test_product_list_queries(visitor, catalog, query: str, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(10):
        response = visitor.get(f"/produk/{query}")
    assert response.status_code == 200


def test_product_list_queries_for_a_signed_in_user(owner_client, catalog, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(10):
        assert owner_client.get("/produk/?q=kopi&region=18.71").status_code == 200


def test_product_list_with_warm_cache_makes_one_query(visitor, catalog, django_assert_num_queries) -> None:
    visitor.get("/produk/?region=18.71")
    with django_assert_num_queries(1):  # are the cached cards all still published?
        visitor.get("/produk/?region=18.71&page=1")


def test_product_list_does_not_grow_with_the_page_size(
    visitor, catalog, monkeypatch, django_assert_max_num_queries
) -> None:
    from catalog.views import public

    monkeypatch.setattr(public, "PER_PAGE", PRODUCTS)
    with django_assert_max_num_queries(10):
        response = visitor.get("/produk/")
    assert response.content.decode().count('class="card product-card"') == PRODUCTS


@requires_ikm_pages
def test_product_page_queries(visitor, owner_ikm, make_product, catalog, django_assert_max_num_queries) -> None:
    product = make_product(owner_ikm, slug="lengkap", category=Category.objects.get(slug="kopi"))
    ProductPhoto.objects.bulk_create(
        ProductPhoto(product=product, image=f"produk/{n:032x}/original.jpg", width=1200, height=900, position=n)
        for n in range(8)
    )
    for n, cert_type in enumerate(["halal", "bpom", "sni", "tkdn", "ig"]):
        number = {"halal": "ID18710000000000009", "bpom": "MD224510107115"}.get(cert_type, f"NO-{n}")
        Certification.objects.create(ikm=owner_ikm, type=cert_type, number=number, status="verified").products.add(
            product
        )
    with django_assert_max_num_queries(10):
        response = visitor.get("/produk/lengkap/")
    assert response.status_code == 200
    assert len(response.context["related_ids"]) == 8
    assert len(response.context["certifications"]) == 5


@requires_ikm_pages
def test_product_page_queries_when_related_products_come_from_the_family(
    visitor, owner_ikm, make_product, catalog, django_assert_max_num_queries
) -> None:
    """Alone in its category: the related products are its siblings' (a second query, still within 10)."""
    make_product(owner_ikm, slug="sambal-sendiri", category=Category.objects.get(slug="bumbu-sambal"))
    with django_assert_max_num_queries(10):
        response = visitor.get("/produk/sambal-sendiri/")
    assert len(response.context["related_ids"]) == 8


@requires_ikm_pages
def test_home_page_with_warm_fragments_makes_one_query(visitor, catalog, django_assert_num_queries) -> None:
    visitor.get("/")
    with django_assert_num_queries(1):  # the whole page is not cached for this address: are the cards public?
        assert visitor.get("/?ref=test").status_code == 200


@requires_ikm_pages
def test_product_preview_queries(owner_client, owner_ikm, make_product, catalog, django_assert_max_num_queries) -> None:
    """The owner's preview of a draft: no related products, no view count."""
    make_product(owner_ikm, slug="draf-pemilik", status=Product.Status.DRAFT)
    with django_assert_max_num_queries(12):
        assert owner_client.get("/produk/draf-pemilik/").status_code == 200


@requires_ikm_pages
def test_home_page_queries(visitor, catalog, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(8):
        response = visitor.get("/")
    assert len(response.context["featured_ids"]) == 8
    assert len(response.context["newest_ids"]) == 8
    assert response.content.decode().count('class="card product-card"') == 16
    assert len(response.context["newest_ikm"]) == 6
    cache.clear()
    with django_assert_max_num_queries(8):
        assert visitor.get("/en/").status_code == 200
