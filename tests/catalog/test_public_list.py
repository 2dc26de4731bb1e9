"""/produk/: filters, facet counts that reflect the other filters, chips, sorting, pagination, bad input."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from catalog.models import Category, Certification, Product
from catalog.views.public import MAX_PAGES, PER_PAGE

pytestmark = pytest.mark.django_db


def certify(ikm, products, *, type: str = "halal", number: str = "", **fields) -> Certification:
    """A certificate of ``ikm`` covering ``products`` (pending unless told otherwise)."""
    certify.counter += 1
    number = number or f"ID1871{certify.counter:015d}"
    certification = Certification.objects.create(ikm=ikm, type=type, number=number, **fields)
    certification.products.set(products)
    return certification


certify.counter = 0


@pytest.fixture
def market(make_ikm, make_product):
    """A small known catalog: five public products, and three that must never show.

    | slug     | category        | IKM (region, sector)   | price           | valid certificates |
    | robusta  | kopi            | B (18.04, pangan)      | 50.000          | halal, ig          |
    | pisang   | keripik-camilan | A (18.71, pangan)      | 25.000–40.000   | halal              |
    | singkong | keripik-camilan | A (18.71, pangan)      | nego            | (halal expired)    |
    | tapis    | kain-tapis      | C (18.71, sandang)     | 1.500.000       | none               |
    | bubuk    | kopi            | A (18.71, pangan)      | 30.000          | pirt (halal pending)|
    """
    today = timezone.localdate()
    a = make_ikm(name="Keripik Mak Ijah", slug="mak-ijah")
    b = make_ikm(name="Kopi Liwa", slug="kopi-liwa", region_id="18.04")
    c = make_ikm(name="Sanggar Sai Bumi", slug="sai-bumi", region_id="18.71", sector="sandang")
    suspended = make_ikm(name="Kopi Tersembunyi", slug="tersembunyi", is_suspended=True)
    kopi, keripik = Category.objects.get(slug="kopi"), Category.objects.get(slug="keripik-camilan")
    now = timezone.now()

    def product(ikm, slug, category, days_ago, **fields):
        return make_product(
            ikm,
            name=fields.pop("name", slug.title()),
            slug=slug,
            category=category,
            published_at=now - dt.timedelta(days=days_ago),
            **fields,
        )

    products = {
        "robusta": product(b, "robusta", kopi, 5, name="Kopi Robusta Liwa", price_min=50_000),
        "pisang": product(a, "pisang", keripik, 4, name="Keripik Pisang", price_min=25_000, price_max=40_000),
        "singkong": product(a, "singkong", keripik, 3, name="Keripik Singkong", price_min=None),
        "tapis": product(
            c,
            "tapis",
            Category.objects.get(slug="kain-tapis"),
            2,
            name="Kain Tapis",
            price_min=1_500_000,
            availability=Product.Availability.PREORDER,
        ),
        "bubuk": product(a, "bubuk", kopi, 1, name="Kopi Bubuk", price_min=30_000),
    }
    product(a, "draf", kopi, 0, name="Kopi Draf", status=Product.Status.DRAFT)
    product(a, "menunggu", kopi, 0, name="Kopi Menunggu", status=Product.Status.PENDING)
    product(suspended, "gelap", kopi, 0, name="Kopi Gelap")
    verified = {"status": "verified"}
    certify(b, [products["robusta"]], **verified)
    certify(b, [products["robusta"]], type="ig", number="Kopi Robusta Lampung", **verified)
    certify(a, [products["pisang"]], **verified)
    certify(a, [products["singkong"]], expires_on=today - dt.timedelta(days=1), **verified)
    certify(a, [products["bubuk"]], type="pirt", number="2063471010123-30", **verified)
    certify(a, [products["bubuk"]])  # pending
    return products


def slugs(response) -> list[str]:
    """The slugs of the product cards on the page, in order: what the visitor actually sees."""
    return re.findall(r'class="card-title"><a href="(?:/en)?/produk/([^/]+)/"', response.content.decode())


def facet(response, name: str) -> dict[str, str]:
    """{option value: count} read from the rendered filter form."""
    html = response.content.decode()
    pattern = rf'name="{name}" value="([^"]+)"[^>]*>\s*[^<]*<span class="facet-count">\((\d+)\)</span>'
    return {value: int(count) for value, count in re.findall(pattern, html)}


def test_lists_only_public_products_newest_first(visitor, market) -> None:
    response = visitor.get("/produk/")
    assert response.status_code == 200
    assert slugs(response) == ["bubuk", "tapis", "singkong", "pisang", "robusta"]
    assert response.context["total"] == 5
    assert "5 products" in visitor.get("/en/produk/").content.decode()


def test_card_shows_price_unit_ikm_region_and_only_valid_badges(visitor, market) -> None:
    html = visitor.get("/en/produk/").content.decode()
    cards = {slug: html[html.index(f'href="/en/produk/{slug}/"') :][:1500] for slug in market}
    assert "Rp25.000 – Rp40.000" in cards["pisang"] and "Keripik Mak Ijah" in cards["pisang"]
    assert "Bandar Lampung" in cards["pisang"]
    assert "Negotiable price" in cards["singkong"]
    assert "Rp50.000" in cards["robusta"] and "Lampung Barat" in cards["robusta"]
    assert "badge-halal" in cards["robusta"] and "badge-ig" in cards["robusta"]
    assert "badge-halal" in cards["pisang"]
    singkong = cards["singkong"][: cards["singkong"].index("</li>")]
    assert "badge-halal" not in singkong  # expired
    bubuk = cards["bubuk"][: cards["bubuk"].index("</li>")]
    assert "badge-pirt" in bubuk and "badge-halal" not in bubuk  # the halal one is still pending


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=kopi", {"robusta", "bubuk"}),
        ("category=makanan-minuman", {"robusta", "bubuk", "pisang", "singkong"}),  # with its subcategories
        ("region=18.04", {"robusta"}),
        ("region=18.71", {"pisang", "singkong", "tapis", "bubuk"}),
        ("sector=sandang", {"tapis"}),
        ("certification=halal", {"robusta", "pisang"}),
        ("certification=halal&certification=ig", {"robusta"}),  # every chosen type
        ("certification=pirt", {"bubuk"}),
        ("min_price=35000", {"robusta", "pisang", "tapis"}),  # a range counts by its top
        ("max_price=30000", {"pisang", "bubuk"}),
        ("min_price=26000&max_price=60000", {"robusta", "pisang", "bubuk"}),
        ("max_price=20000&min_price=60000", {"robusta", "pisang", "bubuk"}),  # typed the wrong way round: swapped
        ("min_price=Rp 30.000", {"robusta", "pisang", "bubuk", "tapis"}),
        ("availability=preorder", {"tapis"}),
        ("q=kopi&region=18.71", {"bubuk"}),
        ("category=kopi&region=18.71&certification=pirt", {"bubuk"}),
    ],
)
def test_filters(visitor, market, query: str, expected: set[str]) -> None:
    response = visitor.get(f"/produk/?{query}")
    assert set(slugs(response)) == expected
    assert response.context["total"] == len(expected)


def test_facet_counts_reflect_the_other_filters(visitor, market) -> None:
    response = visitor.get("/produk/?region=18.71&certification=halal")
    assert slugs(response) == ["pisang"]
    # Region counts ignore the region filter but keep the halal one.
    assert facet(response, "region")["18.71"] == 1
    assert facet(response, "region")["18.04"] == 1
    assert facet(response, "region")["18.01"] == 0
    # Category counts keep both filters.
    categories = facet(response, "category")
    assert categories["keripik-camilan"] == 1 and categories["kopi"] == 0 and categories["makanan-minuman"] == 1
    # Certificate counts: what ticking one more type would give.
    assert facet(response, "certification") == {"halal": 1, "bpom": 0, "pirt": 0, "sni": 0, "tkdn": 0, "ig": 0}


def test_facet_counts_without_filters(visitor, market) -> None:
    response = visitor.get("/produk/")
    assert facet(response, "region")["18.71"] == 4 and facet(response, "region")["18.04"] == 1
    assert facet(response, "category")["makanan-minuman"] == 4
    assert facet(response, "category")["kain-busana"] == 1
    assert facet(response, "sector") == {
        "pangan": 4,
        "sandang": 1,
        "kayu_furnitur": 0,
        "kerajinan": 0,
        "logam_elektronika": 0,
        "kimia_bahan_bangunan": 0,
        "aneka": 0,
    }
    assert facet(response, "certification")["halal"] == 2 and facet(response, "certification")["ig"] == 1


def test_chips_remove_one_filter_each(visitor, market) -> None:
    response = visitor.get("/produk/?q=kopi&region=18.71&certification=halal&certification=pirt&page=1")
    chips = {chip.label: chip.remove_url for chip in response.context["chips"]}
    assert chips == {
        "“kopi”": "?region=18.71&certification=halal&certification=pirt",
        "Bandar Lampung": "?q=kopi&certification=halal&certification=pirt",
        "Halal": "?q=kopi&region=18.71&certification=pirt",
        "P-IRT": "?q=kopi&region=18.71&certification=halal",
    }
    html = response.content.decode()
    assert 'href="?q=kopi&amp;region=18.71&amp;certification=halal"' in html
    assert '<span class="visually-hidden">' in html


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", ["bubuk", "tapis", "singkong", "pisang", "robusta"]),
        ("price_asc", ["pisang", "bubuk", "robusta", "tapis", "singkong"]),  # nego last
        ("price_desc", ["tapis", "robusta", "bubuk", "pisang", "singkong"]),  # nego last
        ("name", ["tapis", "pisang", "singkong", "bubuk", "robusta"]),
        ("relevance", ["bubuk", "tapis", "singkong", "pisang", "robusta"]),  # no search: newest
        ("hack", ["bubuk", "tapis", "singkong", "pisang", "robusta"]),
    ],
)
def test_sort_orders(visitor, market, sort: str, expected: list[str]) -> None:
    assert slugs(visitor.get(f"/produk/?sort={sort}")) == expected


def test_search_sorts_by_relevance_by_default(visitor, market) -> None:
    response = visitor.get("/produk/?q=kopi")
    assert response.context["sort_order"] == "relevance"
    assert set(slugs(response)) == {"robusta", "bubuk"}
    assert '<option value="relevance">' in response.content.decode()


def test_invalid_values_are_ignored_and_explained(visitor, market) -> None:
    response = visitor.get("/produk/?region=99.99&category=nope&certification=xyz&min_price=-5&sort=hack")
    assert response.status_code == 200
    assert len(slugs(response)) == 5
    labels = {label for label, _message in response.context["ignored"]}
    assert labels == {
        str(response.context["form"].fields[name].label)
        for name in ("region", "category", "certification", "min_price", "sort")
    }
    assert 'role="note"' in response.content.decode()


HOSTILE = [
    "page=abc",
    "page=0",
    "page=-1",
    "page=999999",
    "page=1e400",
    "page=99999999999999999999999999",
    "page=%00",
    "min_price=-5",
    "min_price=abc",
    "min_price=1e309",
    "min_price=99999999999999999999999",
    "max_price=NaN",
    "min_price=%EF%BC%91",  # a full-width digit
    "category=nope",
    "category=%00",
    "category=",
    "region=99.99",
    "region=18.71%00",
    "sector=%3Cscript%3E",
    "sort=hack",
    "sort=",
    "certification=xyz",
    "certification=halal&certification=halal",
    "certification=halal&certification=xyz",
    "availability=%27%20OR%201=1",
    "q=%00",
    "q=kopi%00robusta",
    "q=" + "a" * 10_000,
    "q=" + "kopi%20" * 2000,
    "q=%27%22%3C%3E%26%7C%21%3A*()",
    "q=%F0%9F%98%80",
    "q=%E0%A4",  # invalid UTF-8
    "q[]=kopi",
    "q=kopi&q=teh",
    "unknown=1",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_parameters_never_fail(visitor, market, query: str) -> None:
    response = visitor.get(f"/produk/?{query}")
    assert response.status_code == 200


def test_pagination_24_per_page(visitor, make_ikm, make_product) -> None:
    ikm = make_ikm()
    for _ in range(PER_PAGE + 3):
        make_product(ikm)
    first = visitor.get("/produk/")
    assert len(slugs(first)) == PER_PAGE
    assert 'rel="next"' in first.content.decode() and "?page=2" in first.content.decode()
    second = visitor.get("/produk/?page=2")
    assert len(slugs(second)) == 3
    assert not set(slugs(first)) & set(slugs(second))
    beyond = visitor.get("/produk/?page=9")
    assert beyond.context["page_obj"].number == 2
    assert beyond.context["page_notice"]
    assert visitor.get("/produk/?page=abc").context["page_obj"].number == 1


def test_pages_keep_the_filters(visitor, make_ikm, make_product) -> None:
    ikm = make_ikm()
    for _ in range(PER_PAGE + 1):
        make_product(ikm)
    html = visitor.get("/produk/?region=18.71&sort=name").content.decode()
    assert 'href="?region=18.71&amp;sort=name&amp;page=2"' in html


def test_deep_pages_are_capped_with_a_message(visitor, market, monkeypatch) -> None:
    from catalog.views import public

    monkeypatch.setattr(public, "MAX_PAGES", 2)
    monkeypatch.setattr(public, "PER_PAGE", 2)
    response = visitor.get("/produk/?page=3")
    assert response.context["page_obj"].number == 2
    assert "2" in response.context["page_notice"]
    assert response.context["paginator"].is_capped
    assert MAX_PAGES == 100


def test_filter_form_works_without_javascript(visitor, market) -> None:
    html = visitor.get("/produk/").content.decode()
    assert '<form id="product-filters"' in html and 'method="get"' in html
    assert '<button type="submit" class="button">' in html
    assert html.count("<fieldset") >= 5 and html.count("<legend>") >= 5
    assert '<details class="filter-panel"' in html
    assert 'name="sort" form="product-filters"' in html
    assert "style=" not in html and "<script>" not in html


def test_the_chosen_options_stay_checked(visitor, market) -> None:
    html = visitor.get("/produk/?region=18.71&certification=halal").content.decode()
    assert re.search(r'value="18.71"[^>]*checked', html)
    assert re.search(r'name="certification" value="halal"[^>]*checked', html)


def test_english_page(visitor, market) -> None:
    response = visitor.get("/en/produk/?category=kopi")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Coffee</h1>" in html and "2 products" in html


def test_only_plain_and_category_pages_are_indexed(visitor, market) -> None:
    assert (
        'rel="canonical" href="http://127.0.0.1:8000/produk/?category=kopi"'
        in visitor.get("/produk/?category=kopi").content.decode()
    )
    assert 'content="noindex, follow"' in visitor.get("/produk/?q=kopi").content.decode()
