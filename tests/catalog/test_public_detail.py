"""/produk/<slug>/: contents, certificates, the maker's card, structured data, 404 versus preview."""

import datetime as dt
import json
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from catalog.models import Category, Certification, Product, ProductPhoto
from ikm.models import IKMLink


def _has_ikm_pages() -> bool:
    try:
        reverse("ikm:ikm-detail", kwargs={"slug": "x"})
    except NoReverseMatch:
        return False
    return True


# The product page and the home page link each IKM to its page, which the IKM app provides.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not _has_ikm_pages(), reason="IKM pages (ikm:ikm-detail) are not wired yet"),
]


def certify(ikm, products, *, type: str = "halal", number: str = "", **fields) -> Certification:
    certify.counter += 1
    number = number or f"ID1871{certify.counter:015d}"
    certification = Certification.objects.create(ikm=ikm, type=type, number=number, **fields)
    certification.products.set(products)
    return certification


certify.counter = 0


def add_photos(product, count: int) -> list[ProductPhoto]:
    start = product.photos.count()
    return [
        ProductPhoto.objects.create(
            product=product,
            image=f"produk/{product.pk:08x}{position:024x}/original.jpg",
            width=1600,
            height=1200,
            position=position,
            alt_text=f"Foto {position + 1}",
        )
        for position in range(start, start + count)
    ]


@pytest.fixture
def product(owner_ikm, make_product):
    owner_ikm.tagline = "Keripik renyah dari Gang PU"
    owner_ikm.save()
    IKMLink.objects.create(ikm=owner_ikm, platform="tokopedia", url="https://www.tokopedia.com/makijah")
    product = make_product(
        owner_ikm,
        name="Keripik Pisang Coklat",
        slug="keripik-pisang-coklat",
        short_description="Pisang kepok dengan coklat.",
        description="Paragraf pertama <b>tebal</b>.\n\nParagraf kedua.",
        price_min=25_000,
        price_max=40_000,
        unit="pack",
        min_order=10,
        capacity_per_month=2_000,
        capacity_unit="pack",
        lead_time_days=7,
        availability=Product.Availability.PREORDER,
        tkdn_percent=Decimal("45.50"),
        shelf_life_days=180,
        net_amount=Decimal("250"),
        net_unit="g",
    )
    add_photos(product, 3)
    today = timezone.localdate()
    certify(
        owner_ikm, [product], number="ID18110018517710724", status="verified", issued_on=today - dt.timedelta(days=30)
    )
    certify(
        owner_ikm,
        [product],
        type="bpom",
        number="MD224510107115",
        status="verified",
        expires_on=today + dt.timedelta(days=365),
    )
    certify(
        owner_ikm,
        [product],
        type="pirt",
        number="2063471010123-25",
        status="verified",
        expires_on=today - dt.timedelta(days=1),
    )
    certify(owner_ikm, [product], type="sni", number="SNI 01-2345", status="pending")
    return product


def test_product_page_shows_the_facts(visitor, product) -> None:
    response = visitor.get("/en/produk/keripik-pisang-coklat/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and html.count("<h1") == 1
    assert "Rp25.000 – Rp40.000" in html
    assert "Minimum order" in html and "10 pack" in html
    assert "2,000 pack per month" in html
    assert "7 days" in html and "180 days" in html
    assert "45.5%" in html
    assert "250 g" in html
    assert "Pre-order" in html
    assert "<p>Paragraf pertama &lt;b&gt;tebal&lt;/b&gt;.</p>" in html and "<p>Paragraf kedua.</p>" in html


def test_gallery_works_without_javascript(visitor, product) -> None:
    html = visitor.get("/produk/keripik-pisang-coklat/").content.decode()
    main = html[html.index('class="gallery-main"') :]
    assert 'fetchpriority="high"' in main[:1500] and 'loading="eager"' in main[:1500]
    thumbs = re.findall(r'<a href="([^"]+)" data-gallery-thumb', html)
    assert len(thumbs) == 3 and all(href.endswith("/w1280.webp") for href in thumbs)
    assert 'alt="Foto 2"' in html
    assert 'width="640" height="480"' in html


def test_only_valid_certificates_are_shown(visitor, product) -> None:
    html = visitor.get("/en/produk/keripik-pisang-coklat/").content.decode()
    section = html[html.index('class="product-certificates"') : html.index('class="maker-card"')]
    assert "ID18110018517710724" in section
    assert "BPOM RI MD 224510107115" in section  # the number as labels print it
    assert "BPJPH" in section
    assert "https://bpjph.halal.go.id/search/sertifikat" in section and "https://cekbpom.pom.go.id/" in section
    assert "No expiry date" in section
    assert "2063471010123" not in html  # expired P-IRT
    assert "SNI 01-2345" not in html  # pending
    assert "badge-halal" in html and "badge-bpom" in html and "badge-pirt" not in html


def test_maker_card_links_whatsapp_with_the_product(visitor, product) -> None:
    html = visitor.get("/produk/keripik-pisang-coklat/").content.decode()
    # The button goes through Galeri's counted redirect, which opens wa.me.
    assert 'href="/wa/produk/keripik-pisang-coklat/"' in html
    link = visitor.get("/wa/produk/keripik-pisang-coklat/")["Location"]
    assert link.startswith("https://wa.me/6281234567890?text=")
    message = parse_qs(urlsplit(link.replace("&amp;", "&")).query)["text"][0]
    assert "Keripik Pisang Coklat" in message
    assert "http://127.0.0.1:8000/produk/keripik-pisang-coklat/" in message
    assert 'href="https://www.tokopedia.com/makijah"' in html
    assert "Keripik Mak Ijah" in html and "Keripik renyah dari Gang PU" in html


def test_related_products_come_from_the_same_category_first(visitor, product, make_ikm, make_product) -> None:
    ikm = make_ikm()
    same = [make_product(ikm, slug=f"sama-{i}") for i in range(3)]
    sibling = make_product(ikm, slug="saudara", category=Category.objects.get(slug="kopi"))
    make_product(ikm, slug="jauh", category=Category.objects.get(slug="kain-tapis"))
    make_product(ikm, slug="draf", status=Product.Status.DRAFT)
    slugs = dict(Product.objects.values_list("pk", "slug"))
    related = [slugs[pk] for pk in visitor.get("/produk/keripik-pisang-coklat/").context["related_ids"]]
    assert set(related[:3]) == {p.slug for p in same}
    assert related[3:] == [sibling.slug]


def test_json_ld_parses_and_describes_the_offer(visitor, product) -> None:
    html = visitor.get("/produk/keripik-pisang-coklat/").content.decode()
    match = re.search(r'<script type="application/ld\+json" nonce="([^"]*)">(.*?)</script>', html, re.S)
    assert match and match.group(1)
    data = json.loads(match.group(2))
    product_data, breadcrumbs = data
    assert product_data["@type"] == "Product" and product_data["name"] == "Keripik Pisang Coklat"
    assert product_data["offers"] == {
        "@type": "AggregateOffer",
        "lowPrice": 25000,
        "highPrice": 40000,
        "priceCurrency": "IDR",
        "availability": "https://schema.org/PreOrder",
        "url": "http://127.0.0.1:8000/produk/keripik-pisang-coklat/",
    }
    assert len(product_data["image"]) == 3 and product_data["image"][0].startswith("http://127.0.0.1:8000/media/")
    assert [item["name"] for item in breadcrumbs["itemListElement"]][-2:] == [
        "Keripik & Camilan",
        "Keripik Pisang Coklat",
    ]


def test_json_ld_single_price_and_negotiable(visitor, owner_ikm, make_product) -> None:
    make_product(owner_ikm, slug="satu-harga", price_min=30_000)
    make_product(owner_ikm, slug="nego", price_min=None)

    def offers(slug: str):
        html = visitor.get(f"/produk/{slug}/").content.decode()
        script = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S).group(1)
        return json.loads(script)[0].get("offers")

    assert offers("satu-harga")["@type"] == "Offer" and offers("satu-harga")["price"] == 30000
    assert offers("nego") is None


def test_json_ld_cannot_be_broken_out_of(visitor, owner_ikm, make_product) -> None:
    name = '</script><script>alert("x")</script> & <!--'
    make_product(owner_ikm, slug="jahat", name=name)
    html = visitor.get("/produk/jahat/").content.decode()
    script = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S).group(1)
    assert "<" not in script and ">" not in script and "&" not in script
    assert json.loads(script)[0]["name"] == name
    assert '<script>alert("x")' not in html


def test_share_tags_and_canonical(visitor, product) -> None:
    html = visitor.get("/produk/keripik-pisang-coklat/").content.decode()
    assert '<link rel="canonical" href="http://127.0.0.1:8000/produk/keripik-pisang-coklat/">' in html
    assert '<meta property="og:title" content="Keripik Pisang Coklat">' in html
    assert re.search(r'<meta property="og:image" content="http://127\.0\.0\.1:8000/media/[^"]+/w1280\.webp">', html)
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta property="og:description" content="Pisang kepok dengan coklat.">' in html
    english = visitor.get("/en/produk/keripik-pisang-coklat/").content.decode()
    assert '<link rel="canonical" href="http://127.0.0.1:8000/en/produk/keripik-pisang-coklat/">' in english


def test_page_has_no_inline_script_or_style(visitor, product) -> None:
    html = visitor.get("/produk/keripik-pisang-coklat/").content.decode()
    assert "style=" not in html and " onclick" not in html
    assert "<script>" not in html


@pytest.mark.parametrize(
    ("product_fields", "ikm_fields"),
    [
        ({"status": Product.Status.DRAFT}, {}),
        ({"status": Product.Status.PENDING}, {}),
        ({"status": Product.Status.NEEDS_CHANGES, "status_reason": "Foto buram"}, {}),
        ({"status": Product.Status.ARCHIVED}, {}),
        ({}, {"is_suspended": True}),
        ({}, {"status": "submitted"}),
    ],
)
def test_unpublished_product_is_404_for_the_public_and_a_preview_for_its_owner_and_staff(
    visitor, make_user, make_ikm, make_product, staff_user, product_fields, ikm_fields
) -> None:
    owner = make_user()
    ikm = make_ikm(owner=owner, **ikm_fields)
    make_product(ikm, slug="rahasia", **product_fields)
    assert visitor.get("/produk/rahasia/").status_code == 404

    stranger = Client()
    stranger.force_login(make_user())
    assert stranger.get("/produk/rahasia/").status_code == 404

    for user in (owner, staff_user):
        client = Client()
        client.force_login(user)
        response = client.get("/produk/rahasia/")
        assert response.status_code == 200
        assert 'class="preview-banner"' in response.content.decode()
        assert response["X-Robots-Tag"] == "noindex"
        assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_unknown_slug_is_404(visitor) -> None:
    assert visitor.get("/produk/tidak-ada/").status_code == 404


def test_public_views_are_counted_but_not_the_owners(visitor, product, owner) -> None:
    visitor.get("/produk/keripik-pisang-coklat/")
    visitor.get("/produk/keripik-pisang-coklat/")
    owner_client = Client()
    owner_client.force_login(owner)
    owner_client.get("/produk/keripik-pisang-coklat/")
    product.refresh_from_db()
    # The first view of the minute is written at once; the next ones wait in the cache (public.count_view).
    assert product.view_count + cache.get(f"catalog:views:{product.pk}") == 2


def test_counting_a_view_does_not_invalidate_the_cached_counts(visitor, product) -> None:
    from catalog.facets import cache_version

    before = cache_version()
    visitor.get("/produk/keripik-pisang-coklat/")
    assert cache_version() == before


def test_other_apps_have_hooks_outside_the_cached_part(visitor, product) -> None:
    from django.template.loader import get_template

    source = get_template("catalog/product_detail.html").template.source
    assert "{% block product_events %}" in source and "{% block product_inquiry %}" in source
    assert "{% block product_events %}" not in get_template("catalog/includes/product_main.html").template.source


def test_the_cached_page_follows_edits_photos_and_certificates(visitor, product) -> None:
    url = "/en/produk/keripik-pisang-coklat/"
    visitor.get(url)  # cached now
    product.name = "Keripik Pisang Coklat Lumer"
    product.save()
    assert "Keripik Pisang Coklat Lumer</h1>" in visitor.get(url).content.decode()
    add_photos(product, 1)
    assert visitor.get(url).content.decode().count("data-gallery-thumb") == 4
    certify(product.ikm, [product], type="tkdn", number="TKDN 123/2026", status="verified")
    assert "TKDN 123/2026" in visitor.get(url).content.decode()


def test_a_preview_is_never_cached(owner_client, owner_ikm, make_product) -> None:
    product = make_product(owner_ikm, slug="belum", status=Product.Status.PENDING)
    assert 'class="preview-banner"' in owner_client.get("/produk/belum/").content.decode()
    product.status = Product.Status.PUBLISHED
    product.published_at = timezone.now()
    product.save()
    response = Client().get("/produk/belum/")
    assert response.status_code == 200 and 'class="preview-banner"' not in response.content.decode()
