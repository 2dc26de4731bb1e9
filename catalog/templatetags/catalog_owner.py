"""Template helpers for the owner pages and the /dasbor/ panel: prices, statuses, certificate numbers."""

import datetime as dt
from dataclasses import dataclass

from django import template
from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.certificate_numbers import format_certificate_number
from catalog.models import Certification, Product, ProductPhoto
from galeri.money import format_rupiah
from ikm.models import IKM

register = template.Library()

# Owners are warned this long before a certificate expires, so they can renew it in time.
EXPIRY_WARNING_DAYS = 60

# Badge style per status: green when public or verified, amber while waiting, red when the owner must act.
_STATUS_CLASSES = {
    Product.Status.PUBLISHED: "badge",
    Product.Status.PENDING: "badge badge-warn",
    Product.Status.NEEDS_CHANGES: "badge badge-error",
    Product.Status.DRAFT: "badge badge-muted",
    Product.Status.ARCHIVED: "badge badge-muted",
    Certification.Status.VERIFIED: "badge",
    Certification.Status.REJECTED: "badge badge-error",
}


@register.filter
def status_class(status: str) -> str:
    """``{{ product.status|status_class }}`` → the badge classes for that status."""
    return _STATUS_CLASSES.get(status, "badge badge-warn")


@register.simple_tag
def price_label(product: Product) -> str:
    """Rp25.000, Rp25.000–Rp40.000 or "Negotiable price" (the three ways an owner prices)."""
    if product.price_min is None:
        return _("Negotiable price")
    if product.price_max is None:
        return format_rupiah(product.price_min)
    return f"{format_rupiah(product.price_min)}–{format_rupiah(product.price_max)}"


@register.simple_tag
def certificate_number(certification: Certification) -> str:
    """The number the way labels print it ("BPOM RI MD 224510107115")."""
    return format_certificate_number(certification.type, certification.number)


@dataclass
class CatalogSummary:
    products: list[Product]
    product_total: int
    counts: dict[str, int]
    needs_changes: int
    waiting: int
    published: int
    certifications: list[Certification]


@register.simple_tag
def catalog_summary(ikm: IKM, limit: int = 6) -> CatalogSummary:
    """What the /dasbor/ panel shows: the latest products with cover and reason, counts, certificates (4 queries)."""
    counts = dict(Product.objects.filter(ikm=ikm).values_list("status").annotate(n=Count("pk")).order_by())
    products = list(
        Product.objects.filter(ikm=ikm)
        .exclude(status=Product.Status.ARCHIVED)
        .select_related("category")
        .defer("search_vector")
        .prefetch_related(
            Prefetch("photos", queryset=ProductPhoto.objects.order_by("position")[:1], to_attr="cover_photos")
        )
        .order_by("-updated_at", "-pk")[:limit]
    )
    certifications = list(Certification.objects.filter(ikm=ikm).order_by("status", "type", "number")[:limit])
    return CatalogSummary(
        products=products,
        product_total=sum(counts.values()),
        counts=counts,
        needs_changes=counts.get(Product.Status.NEEDS_CHANGES, 0),
        waiting=counts.get(Product.Status.PENDING, 0),
        published=counts.get(Product.Status.PUBLISHED, 0),
        certifications=certifications,
    )


@register.simple_tag
def expiry_state(certification: Certification) -> str:
    """ "expired", "soon" (within 60 days) or "" for a certificate's expiry date, computed when read."""
    if certification.expires_on is None:
        return ""
    today = timezone.localdate()
    if certification.expires_on < today:
        return "expired"
    if certification.expires_on <= today + dt.timedelta(days=EXPIRY_WARNING_DAYS):
        return "soon"
    return ""
