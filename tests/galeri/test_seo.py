"""Search engines and share previews on the public pages, in Indonesian and English.

Every JSON-LD block parses and carries the properties its type needs; each page has its own title and
description in its language, one absolute canonical, hreflang links id/en/x-default, OpenGraph and
Twitter tags; the sitemap lists both languages. The canonical rules are in docs/quality.md.
"""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests.galeri.public_pages import PublicSite, build_site, read

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(make_ikm, make_product) -> PublicSite:
    return build_site(make_ikm, make_product)


SITE = settings.SITE_URL
LANGUAGES = ["", "/en"]
PAGES = ["home", "products", "products-filtered", "product", "ikm-list", "ikm", "events", "event"]
# The schema.org types each page must carry (at least).
EXPECTED_TYPES = {
    "home": {"WebSite"},
    "products": {"ItemList"},
    "products-filtered": {"ItemList"},
    "product": {"Product", "BreadcrumbList"},
    "ikm-list": {"ItemList"},
    "ikm": {"LocalBusiness", "BreadcrumbList"},
    "events": {"ItemList"},
    "event": {"ExhibitionEvent", "BreadcrumbList"},
}


def _get(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, path
    return read(response.content.decode())


def _is_absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


# --- JSON-LD -----------------------------------------------------------------------------------


def _check_product(data: dict) -> None:
    assert data["name"] and _is_absolute(data["url"])
    offers = data["offers"]
    assert offers["@type"] in ("Offer", "AggregateOffer")
    assert offers["priceCurrency"] == "IDR"
    price = offers.get("price", offers.get("lowPrice"))
    assert isinstance(price, int | float) and price > 0
    assert all(_is_absolute(url) for url in data.get("image", []))


def _check_local_business(data: dict) -> None:
    assert data["name"] and _is_absolute(data["url"])
    address = data["address"]
    assert address["@type"] == "PostalAddress"
    assert address["addressCountry"] == "ID" and address["addressRegion"] == "Lampung"
    assert address["addressLocality"]


def _check_event(data: dict) -> None:
    assert data["name"] and _is_absolute(data["url"])
    dt.datetime.fromisoformat(data["startDate"])
    assert dt.datetime.fromisoformat(data["endDate"]) >= dt.datetime.fromisoformat(data["startDate"])
    locations = data["location"] if isinstance(data["location"], list) else [data["location"]]
    for location in locations:
        assert location["@type"] in ("Place", "VirtualLocation")
        if location["@type"] == "Place":
            assert location["name"] and location["address"]["addressCountry"] == "ID"


def _check_breadcrumbs(data: dict) -> None:
    items = data["itemListElement"]
    assert len(items) >= 3
    assert [item["position"] for item in items] == list(range(1, len(items) + 1))
    assert all(item["@type"] == "ListItem" and item["name"] and _is_absolute(item["item"]) for item in items)


def _check_item_list(data: dict) -> None:
    items = data["itemListElement"]
    assert items, "an empty ItemList"
    first = items[0]["position"]
    assert first >= 1
    assert [item["position"] for item in items] == list(range(first, first + len(items)))
    assert all(item["@type"] == "ListItem" and item["name"] and _is_absolute(item["url"]) for item in items)
    assert data["numberOfItems"] == len(items)


def _check_website(data: dict) -> None:
    assert data["name"] == settings.SITE_NAME and _is_absolute(data["url"])
    action = data["potentialAction"]
    assert action["@type"] == "SearchAction"
    template = action["target"]["urlTemplate"]
    assert _is_absolute(template) and "{search_term_string}" in template
    assert action["query-input"] == "required name=search_term_string"


CHECKS = {
    "Product": _check_product,
    "LocalBusiness": _check_local_business,
    "Event": _check_event,
    "ExhibitionEvent": _check_event,
    "BreadcrumbList": _check_breadcrumbs,
    "ItemList": _check_item_list,
    "WebSite": _check_website,
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_every_json_ld_block_parses_and_has_what_its_type_needs(visitor, site, page, language) -> None:
    path = language + site.paths()[page]
    objects = _get(visitor, path).structured_data()
    assert objects, f"no JSON-LD on {path}"
    for data in objects:
        assert data["@context"] == "https://schema.org"
        CHECKS[data["@type"]](data)
    assert EXPECTED_TYPES[page] <= {data["@type"] for data in objects}


@pytest.mark.parametrize("language", LANGUAGES)
def test_structured_data_speaks_the_pages_language(visitor, site, language) -> None:
    """URLs in the English page's data lead to English pages; the breadcrumb ends at the page itself."""
    path = language + site.paths()["product"]
    product, breadcrumbs = _get(visitor, path).structured_data()
    assert product["url"] == SITE + path
    assert breadcrumbs["itemListElement"][-1]["item"] == SITE + path
    assert breadcrumbs["itemListElement"][1]["name"] == ("Products" if language else "Produk")
    home = _get(visitor, language + "/").structured_data()[0]
    assert home["potentialAction"]["target"]["urlTemplate"] == f"{SITE}{language}/produk/?q={{search_term_string}}"
    listing = _get(visitor, language + "/produk/").structured_data()[0]
    assert all(item["url"].startswith(f"{SITE}{language}/produk/") for item in listing["itemListElement"])


def test_listing_positions_continue_on_page_two(visitor, site) -> None:
    data = _get(visitor, "/produk/?page=2").structured_data()[0]
    assert data["itemListElement"][0]["position"] == 25
    assert len(data["itemListElement"]) == 6


def test_a_product_without_a_price_has_no_offer_but_still_parses(visitor, site, make_product) -> None:
    nego = make_product(site.ikm, slug="kopi-nego", price_min=None)
    product = _get(visitor, nego.get_absolute_url()).structured_data()[0]
    assert product["@type"] == "Product" and "offers" not in product


def test_a_price_range_is_an_aggregate_offer(visitor, site) -> None:
    ranged = next(p for p in site.other_products if p.price_max)
    offers = _get(visitor, ranged.get_absolute_url()).structured_data()[0]["offers"]
    assert offers == {
        "@type": "AggregateOffer",
        "lowPrice": ranged.price_min,
        "highPrice": ranged.price_max,
        "priceCurrency": "IDR",
        "availability": "https://schema.org/InStock",
        "url": SITE + ranged.get_absolute_url(),
    }


# --- Titles and descriptions -----------------------------------------------------------------


def test_titles_and_descriptions_are_unique_and_in_the_pages_language(visitor, site) -> None:
    pages = {
        language: {page: _get(visitor, language + path) for page, path in site.paths().items()}
        for language in LANGUAGES
    }
    pages[""]["products-page-2"] = _get(visitor, "/produk/?page=2")
    pages["/en"]["products-page-2"] = _get(visitor, "/en/produk/?page=2")
    for language, readers in pages.items():
        titles = [reader.title for reader in readers.values()]
        descriptions = [reader.meta("description")[0] for reader in readers.values()]
        assert all(titles) and len(set(titles)) == len(titles), titles
        assert all(len(d) >= 50 for d in descriptions), descriptions
        assert len(set(descriptions)) == len(descriptions), descriptions
        assert {reader.html_lang for reader in readers.values()} == {language.strip("/") or "id"}
    indonesian, english = pages[""], pages["/en"]
    for page in ("home", "products", "products-page-2", "ikm-list", "events", "product", "ikm", "event"):
        assert indonesian[page].meta("description") != english[page].meta("description"), page
    assert "Produk" in indonesian["products"].title and "Products" in english["products"].title
    assert "(halaman 2)" in indonesian["products-page-2"].title
    assert "(page 2)" in english["products-page-2"].title
    assert "Dibuat oleh Kopi Sai Bumi" in indonesian["product"].meta("description")[0]
    assert "Made by Kopi Sai Bumi" in english["product"].meta("description")[0]


# --- Canonical and hreflang ------------------------------------------------------------------


CANONICAL = {
    # page: the canonical path (Indonesian); the English one is under /en.
    "home": "/",
    "products": "/produk/",
    "products-filtered": "/produk/?category=kopi",  # one facet beyond the category: the category page
    "ikm-list": "/ikm/",
    "events": "/acara/",
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_canonical_and_hreflang_links(visitor, site, page, language) -> None:
    indonesian_path = site.paths()[page]
    reader = _get(visitor, language + indonesian_path)
    expected = CANONICAL.get(page, indonesian_path)
    expected_url = {"": SITE + expected, "/en": SITE + "/en" + expected}
    [canonical] = reader.link_hrefs("canonical")
    assert canonical == expected_url[language]
    assert reader.link_hrefs("alternate", hreflang="id") == [expected_url[""]]
    assert reader.link_hrefs("alternate", hreflang="en") == [expected_url["/en"]]
    assert reader.link_hrefs("alternate", hreflang="x-default") == [expected_url[""]]
    assert reader.meta("robots") == []
    # Every alternate is a page that answers.
    for url in (expected_url[""], expected_url["/en"]):
        assert visitor.get(url.removeprefix(SITE)).status_code == 200


@pytest.mark.parametrize(
    ("path", "canonical"),
    [
        ("/produk/?page=2", "/produk/?page=2"),
        ("/en/produk/?page=2", "/en/produk/?page=2"),
        ("/produk/?category=kopi&page=1", "/produk/?category=kopi"),
        ("/produk/?sort=price_asc&page=2", "/produk/"),
        ("/produk/?certification=halal", "/produk/"),
        ("/ikm/?sector=pangan", "/ikm/"),
        ("/en/acara/?kind=pameran", "/en/acara/"),
    ],
)
def test_list_pages_keep_the_page_and_canonicalise_filters(visitor, site, path, canonical) -> None:
    reader = _get(visitor, path)
    assert reader.link_hrefs("canonical") == [SITE + canonical]
    assert reader.meta("robots") == []
    assert reader.meta("og:url") == [SITE + canonical]


@pytest.mark.parametrize(
    "path",
    [
        "/produk/?q=kopi",
        "/produk/?region=18.71&certification=halal",
        "/produk/?certification=halal&certification=pirt",
        "/en/produk/?category=kopi&region=18.71&min_price=1000",
        "/produk/?page=999",
    ],
)
def test_searches_and_deep_filter_combinations_are_not_indexed(visitor, site, path) -> None:
    reader = _get(visitor, path)
    assert reader.meta("robots") == ["noindex, follow"]
    assert reader.link_hrefs("canonical") == [] and reader.link_hrefs("alternate", hreflang="en") == []
    assert reader.json_ld == []


def test_previews_are_not_indexed(client, site, make_product, staff_user) -> None:
    from catalog.models import Product

    draft = make_product(site.ikm, slug="kopi-draf", status=Product.Status.DRAFT)
    client.force_login(staff_user)
    reader = _get(client, draft.get_absolute_url())
    assert reader.meta("robots") == ["noindex"] and reader.link_hrefs("canonical") == []


# --- Share previews --------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_opengraph_and_twitter_tags(visitor, site, page, language) -> None:
    reader = _get(visitor, language + site.paths()[page])
    for key in ("og:title", "og:description", "og:type", "og:url", "og:site_name", "og:locale", "twitter:card"):
        values = reader.meta(key)
        assert len(values) == 1 and values[0].strip(), (key, values)
    assert reader.meta("og:url") == reader.link_hrefs("canonical")
    assert reader.meta("og:locale") == ["en_US" if language else "id_ID"]
    assert reader.meta("og:site_name") == [settings.SITE_NAME]
    if page in ("product", "ikm", "event"):
        [image] = reader.meta("og:image")
        assert _is_absolute(image) and re.search(r"/w1280\.webp$", image)
        assert reader.meta("twitter:card") == ["summary_large_image"]
        assert reader.meta("twitter:image") == [image]


# --- Sitemap ---------------------------------------------------------------------------------


def test_sitemap_lists_every_public_page_in_both_languages(visitor, site) -> None:
    index = visitor.get("/sitemap.xml").content.decode()
    sections = re.findall(r"<loc>http://testserver/sitemap-(\w+)\.xml</loc>", index)
    assert {"pages", "products", "ikm", "events"} <= set(sections)
    locations = set()
    for section in set(sections):
        xml = visitor.get(f"/sitemap-{section}.xml").content.decode()
        locations |= set(re.findall(r"<loc>http://testserver(/[^<]*)</loc>", xml))
        assert 'hreflang="x-default"' in xml
    for path in ("/", "/produk/", "/ikm/", "/acara/", *(site.paths()[p] for p in ("product", "ikm", "event"))):
        assert path in locations and "/en" + path in locations, path
    pages = visitor.get("/sitemap-pages.xml").content.decode()
    assert '<xhtml:link rel="alternate" hreflang="en" href="http://testserver/en/ikm/"/>' in pages
