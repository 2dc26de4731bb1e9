"""Template helpers for the public catalog: prices, certificate badges, structured data."""

import copy
from decimal import Decimal

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalog.certificate_numbers import ISSUERS, CertificateType, format_certificate_number, verification_url
from catalog.facets import FACET_TIMEOUT, cache_version, fragment_key
from catalog.models import Certification, Product
from galeri.jsonld import item_list, json_for_script
from galeri.money import format_rupiah

register = template.Library()

# Badge order and short labels: what a buyer looks for first comes first.
BADGE_LABELS: dict[str, str] = {
    CertificateType.HALAL: "Halal",
    CertificateType.BPOM: "BPOM",
    CertificateType.PIRT: "P-IRT",
    CertificateType.SNI: "SNI",
    CertificateType.TKDN: "TKDN",
    CertificateType.GI: "IG",
}


@register.simple_tag
def product_price(product: Product) -> str:
    """``Rp25.000``, ``Rp25.000 – Rp40.000`` or "Harga nego" (no price)."""
    if product.price_min is None:
        return _("Negotiable price")
    if product.price_max is None:
        return format_rupiah(product.price_min)
    return f"{format_rupiah(product.price_min)} – {format_rupiah(product.price_max)}"


@register.inclusion_tag("catalog/includes/certificate_badges.html")
def certificate_badges(product: Product) -> dict[str, object]:
    """One badge per type of valid certificate, from ``valid_certifications`` (prefetched by with_card_data)."""
    held = {certification.type for certification in getattr(product, "valid_certifications", [])}
    badges = [
        {"type": cert_type, "label": label, "title": CertificateType(cert_type).label}
        for cert_type, label in BADGE_LABELS.items()
        if cert_type in held
    ]
    return {"badges": badges}


@register.simple_tag
def certificate_number(certification: Certification) -> str:
    """The number as labels print it ("BPOM RI MD 224510107115")."""
    return format_certificate_number(certification.type, certification.number)


@register.simple_tag
def certificate_check_url(certification: Certification) -> str:
    """The issuer's public register where a buyer can check the number, or ""."""
    return verification_url(certification.type, certification.number) or ""


@register.simple_tag
def certificate_issuer(certification: Certification) -> str:
    """The issuer typed by the owner, or the usual issuer of that type ("BPJPH" for halal)."""
    return certification.issuer or ISSUERS.get(CertificateType(certification.type), "")


@register.simple_tag
def whatsapp_url(product: Product) -> str:
    """The counted WhatsApp button: Galeri's redirect that records the click, then opens wa.me with the
    product's name and address pre-filled (inquiries.views.whatsapp_product); "" without a number."""
    if not product.ikm.whatsapp:
        return ""
    return reverse("inquiries:whatsapp-product", kwargs={"slug": product.slug})


@register.simple_tag
def badge_label(certification: Certification) -> str:
    return BADGE_LABELS.get(certification.type, str(certification.get_type_display()))


@register.filter
def plain_number(value: Decimal | None) -> str:
    """45.50 → "45,5" (Indonesian) or "45.5"; 250.00 → "250": no trailing zeros, the language's separators."""
    if value is None:
        return ""
    value = Decimal(value)
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return number_format(value, use_l10n=True)


@register.filter
def absolute(path: str) -> str:
    """An absolute URL on the canonical site (settings.SITE_URL) for a path or an already absolute URL."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + path


# --- JSON-LD ---------------------------------------------------------------------------------


def _offer(product: Product, url: str) -> dict[str, object] | None:
    if product.price_min is None:
        return None  # "harga nego": no price to state
    availability = {
        Product.Availability.READY: "https://schema.org/InStock",
        Product.Availability.PREORDER: "https://schema.org/PreOrder",
        Product.Availability.OUT_OF_STOCK: "https://schema.org/OutOfStock",
    }[product.availability]
    offer: dict[str, object] = {"priceCurrency": "IDR", "availability": availability, "url": url}
    if product.price_max is None:
        return {"@type": "Offer", "price": product.price_min, **offer}
    return {"@type": "AggregateOffer", "lowPrice": product.price_min, "highPrice": product.price_max, **offer}


@register.simple_tag
def product_json_ld(product: Product, image_urls: list[str] | None = None) -> SafeString:
    """schema.org Product (with its Offer in IDR) and its BreadcrumbList, ready for a ld+json script."""
    url = settings.SITE_URL + product.get_absolute_url()
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "url": url,
        "brand": {"@type": "Brand", "name": product.ikm.name},
        "manufacturer": {
            "@type": "Organization",
            "name": product.ikm.name,
            "url": settings.SITE_URL + product.ikm.get_absolute_url(),
        },
        "category": product.category.display_name,
    }
    description = product.short_description or product.description
    if description:
        data["description"] = description[:500]
    if image_urls:
        data["image"] = image_urls
    offer = _offer(product, url)
    if offer:
        data["offers"] = offer
    crumbs = [(_("Home"), settings.SITE_URL + reverse("home"))]
    crumbs.append((_("Products"), settings.SITE_URL + reverse("catalog:product-list")))
    category = product.category
    if category.parent_id:
        crumbs.append((category.parent.display_name, settings.SITE_URL + category.parent.get_absolute_url()))
    crumbs.append((category.display_name, settings.SITE_URL + category.get_absolute_url()))
    crumbs.append((product.name, url))
    breadcrumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": str(name), "item": item}
            for position, (name, item) in enumerate(crumbs, start=1)
        ],
    }
    return json_for_script([data, breadcrumbs])


@register.simple_tag
def catalog_cache_version() -> str:
    """The part of a fragment-cache key that changes whenever the catalog does (and at midnight)."""
    return cache_version()


@register.simple_tag(takes_context=True)
def product_list_json_ld(context: template.Context, ids: list[int], name: str, start: int = 1) -> SafeString:
    """The ItemList of a catalog page's products (names and addresses), for a ld+json script.

    Cached with the cards (same catalog version): no query when warm, 1 when cold. The cards beside
    it check the products are still published.
    """
    ids = list(ids)
    request = context.get("request")
    if not ids or request is None:
        return SafeString("")
    key = fragment_key("item-list", get_language(), tuple(ids))
    items = cache.get(key)
    if items is None:
        found = {
            pk: (name_, slug)
            for pk, name_, slug in Product.objects.filter(pk__in=ids).values_list("pk", "name", "slug")
        }
        items = [
            (found[pk][0], settings.SITE_URL + reverse("catalog:product-detail", kwargs={"slug": found[pk][1]}))
            for pk in ids
            if pk in found
        ]
        cache.set(key, items, FACET_TIMEOUT)
    data = item_list(name, settings.SITE_URL + request.get_full_path(), items, start=start)
    return format_html(
        '<script type="application/ld+json" nonce="{}">{}</script>', context.get("csp_nonce", ""), json_for_script(data)
    )


# --- Cached cards ----------------------------------------------------------------------------


def card_grids(grids: list[tuple[list[int], int]]) -> list[SafeString]:
    """The cards of several grids of published products (ids in order, and how many covers load eagerly).

    Each grid's HTML is rendered once and cached. Cached grids are checked against ``published()`` in one
    query for all of them, so a product unpublished by any means (even an update that sent no signal) never
    shows; the others are rendered from one fetch (3 queries) for all of them. So 1 query when everything is
    cached, 3 when nothing is, 4 at worst, however many grids a page shows.
    """
    keys = [fragment_key("cards", get_language(), tuple(ids), eager) if ids else "" for ids, eager in grids]
    ids_by_key = {key: (list(ids), eager) for key, (ids, eager) in zip(keys, grids, strict=True) if ids}
    cached = cache.get_many(list(ids_by_key))
    if cached:
        shown = {pk for key in cached for pk in ids_by_key[key][0]}
        public = set(Product.objects.published().filter(pk__in=shown).values_list("pk", flat=True))
        cached = {key: html for key, html in cached.items() if public.issuperset(ids_by_key[key][0])}
    missing = {pk for key, (ids, _eager) in ids_by_key.items() if key not in cached for pk in ids}
    if missing:
        found = {p.pk: p for p in Product.objects.published().filter(pk__in=missing).with_card_data()}
        for key, (ids, eager) in ids_by_key.items():
            if key in cached:
                continue
            products = []
            for index, pk in enumerate(pk for pk in ids if pk in found):
                product = copy.copy(found[pk])  # the same product may sit in two grids, loaded differently
                product.card_loading = "eager" if index < eager else "lazy"
                products.append(product)
            cached[key] = render_to_string("catalog/includes/product_cards.html", {"products": products})
            cache.set(key, cached[key], FACET_TIMEOUT)
    return [SafeString(cached[key]) if key else SafeString("") for key in keys]


@register.simple_tag(takes_context=True)
def product_cards(context: template.Context, ids: list[int], eager: int = 0) -> SafeString:
    """``{% product_cards ids eager=4 %}``: one grid's cards (see card_grids: 1 query cached, 3 not).

    A view showing several grids renders them together with card_grids() and passes the result as
    ``card_grids`` ({(tuple(ids), eager): html}): the tag then uses it and makes no query.
    """
    prepared = context.get("card_grids") or {}
    key = (tuple(ids), eager)
    if key in prepared:
        return prepared[key]
    return card_grids([(ids, eager)])[0]


# --- Photos ----------------------------------------------------------------------------------


@register.simple_tag
def photo_url(photo: object, width: int = 1280) -> str:
    """The URL of a photo's rendition ``width`` px wide (the 1280 one for links and share previews)."""
    from galeri.images import rendition_url

    return rendition_url(photo.image, width)


@register.simple_tag
def photo_urls(photos: list, width: int = 1280) -> list[str]:
    """Absolute URLs of every photo's rendition, for structured data."""
    return [absolute(photo_url(photo, width)) for photo in photos]
