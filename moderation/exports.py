"""CSV exports of IKM and products for staff: from an admin selection, or everything, streamed.

- UTF-8 with a byte order mark, so Excel opens Indonesian names correctly.
- Cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return) get a
  leading single quote (OWASP's advice against CSV injection). Numbers are written as numbers; text such as
  a WhatsApp number "+62…" is therefore written "'+62…".
- The full export streams: rows are read with ``.iterator(chunk_size=2000)`` (prefetches run per chunk)
  and written as they come, so 50,000 products never sit in memory at once.
"""

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib import admin
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.certificate_numbers import CertificateType, format_certificate_number
from catalog.filters import CERTIFICATION_CHOICES
from catalog.models import Certification, Product
from ikm.models import IKM, Sector

BOM = "\ufeff"
CHUNK_SIZE = 2000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: object) -> object:
    """Neutralise a text cell a spreadsheet would treat as a formula; everything else passes unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return escape_cell(str(value)) if not isinstance(value, int | float) else value


class _Echo:
    """A file-like object whose write() returns the line instead of storing it (Django's streaming CSV recipe)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(headers: list[str], rows: Iterable[list[object]], *, batch: int = 200) -> Iterator[str]:
    """The BOM and the header line, then the rows, every cell escaped, ``batch`` lines per piece sent."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([_cell(h) for h in headers])
    lines = []
    for row in rows:
        lines.append(writer.writerow([_cell(value) for value in row]))
        if len(lines) >= batch:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def _url_template(viewname: str, **placeholder: str) -> str | None:
    """An absolute URL with a placeholder to fill per row (one reverse() per export, not per row)."""
    try:
        return settings.SITE_URL + reverse(viewname, kwargs=placeholder)
    except NoReverseMatch:
        return None


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[object], object]


def _labels(choices: Iterable[tuple[str, object]]) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def _valid_certificates_prefetch(*, with_ikm: bool = False) -> Prefetch:
    fields = ["id", "type", "number", "expires_on"] + (["ikm_id"] if with_ikm else [])
    return Prefetch(
        "certifications",
        queryset=Certification.objects.valid().only(*fields).order_by("type", "pk"),
        to_attr="valid_certifications",
    )


def _certificate_types_column() -> Callable[[object], str]:
    # The catalog filter's short names ("Halal", "P-IRT"), falling back to the full type names; translated
    # once per export, not once per row.
    labels = {**_labels(CertificateType.choices), **_labels(CERTIFICATION_CHOICES)}

    def certificate_types(obj: object) -> str:
        return "; ".join(dict.fromkeys(labels.get(c.type, c.type) for c in obj.valid_certifications))

    return certificate_types


def _certificate_numbers(obj: object) -> str:
    return "; ".join(format_certificate_number(c.type, c.number) for c in obj.valid_certifications)


# --- Products ------------------------------------------------------------------------------------


def product_export_queryset(queryset: QuerySet[Product] | None = None) -> QuerySet[Product]:
    """Everything a product row needs in one query per chunk plus one for its certificates."""
    products = Product.objects.all() if queryset is None else Product.objects.filter(pk__in=queryset.values("pk"))
    return (
        products.select_related("ikm", "ikm__region", "category", "category__parent")
        .defer("search_vector", "description", "ikm__story")
        .prefetch_related(_valid_certificates_prefetch())
        .order_by("pk")
    )


def product_columns() -> list[Column]:
    status = _labels(Product.Status.choices)
    ikm_status = _labels(IKM.Status.choices)
    units = _labels(Product.Unit.choices)
    availability = _labels(Product.Availability.choices)
    sectors = _labels(Sector.choices)
    public_url = _url_template("catalog:product-detail", slug="__slug__")
    admin_url = _url_template("admin:catalog_product_change", object_id="0")

    names: dict[int, tuple[str, str]] = {}  # category id → (main category, category), named once per export

    def category_names(p: Product) -> tuple[str, str]:
        if p.category_id not in names:
            names[p.category_id] = ((p.category.parent or p.category).display_name, p.category.display_name)
        return names[p.category_id]

    return [
        Column(_("ID"), lambda p: p.pk),
        Column(_("Product"), lambda p: p.name),
        Column(_("Status"), lambda p: status.get(p.status, p.status)),
        Column(_("Public"), lambda p: p.status == Product.Status.PUBLISHED and p.ikm.is_public),
        Column(_("IKM"), lambda p: p.ikm.name),
        Column(_("IKM verification"), lambda p: ikm_status.get(p.ikm.status, p.ikm.status)),
        Column(_("IKM suspended"), lambda p: p.ikm.is_suspended),
        Column(_("Region code"), lambda p: p.ikm.region_id),
        Column(_("Regency or city"), lambda p: p.ikm.region.name),
        Column(_("Sector"), lambda p: sectors.get(p.ikm.sector, p.ikm.sector)),
        Column(_("Main category"), lambda p: category_names(p)[0]),
        Column(_("Category"), lambda p: category_names(p)[1]),
        Column(_("Price from (Rp)"), lambda p: p.price_min),
        Column(_("Price up to (Rp)"), lambda p: p.price_max),
        Column(_("Unit"), lambda p: units.get(p.unit, p.unit)),
        Column(_("Minimum order"), lambda p: p.min_order),
        Column(_("Capacity per month"), lambda p: p.capacity_per_month),
        Column(_("Capacity unit"), lambda p: units.get(p.capacity_unit, p.capacity_unit)),
        Column(_("Availability"), lambda p: availability.get(p.availability, p.availability)),
        Column(_("TKDN (%)"), lambda p: p.tkdn_percent),
        Column(_("Valid certificates"), _certificate_types_column()),
        Column(_("Certificate numbers"), _certificate_numbers),
        Column(_("WhatsApp"), lambda p: p.ikm.whatsapp),
        Column(_("Phone"), lambda p: p.ikm.phone),
        Column(_("Email"), lambda p: p.ikm.email),
        Column(_("Views"), lambda p: p.view_count),
        Column(_("Published at"), lambda p: p.published_at),
        Column(_("Created at"), lambda p: p.created_at),
        Column(_("Public page"), lambda p: public_url.replace("__slug__", p.slug) if public_url else ""),
        Column(_("Admin page"), lambda p: admin_url.replace("/0/", f"/{p.pk}/") if admin_url else ""),
    ]


# --- IKM -----------------------------------------------------------------------------------------


def ikm_export_queryset(queryset: QuerySet[IKM] | None = None) -> QuerySet[IKM]:
    ikm = IKM.objects.all() if queryset is None else IKM.objects.filter(pk__in=queryset.values("pk"))
    return (
        ikm.select_related("region")
        .defer("story")
        .annotate(
            products_public=Count("products", filter=Q(products__status=Product.Status.PUBLISHED)),
            products_all=Count("products"),
            tkdn_max=Max("products__tkdn_percent"),
        )
        .prefetch_related(_valid_certificates_prefetch(with_ikm=True))
        .order_by("pk")
    )


def ikm_columns() -> list[Column]:
    status = _labels(IKM.Status.choices)
    sectors = _labels(Sector.choices)
    legal_forms = _labels(IKM.LegalForm.choices)
    public_url = _url_template("ikm:ikm-detail", slug="__slug__")
    admin_url = _url_template("admin:ikm_ikm_change", object_id="0")
    return [
        Column(_("ID"), lambda i: i.pk),
        Column(_("IKM"), lambda i: i.name),
        Column(_("Verification"), lambda i: status.get(i.status, i.status)),
        Column(_("Suspended"), lambda i: i.is_suspended),
        Column(_("Public"), lambda i: i.is_public),
        Column(_("Region code"), lambda i: i.region_id),
        Column(_("Regency or city"), lambda i: i.region.name),
        Column(_("District (kecamatan)"), lambda i: i.kecamatan),
        Column(_("Sector"), lambda i: sectors.get(i.sector, i.sector)),
        Column(_("Legal form"), lambda i: legal_forms.get(i.legal_form, i.legal_form)),
        Column(_("NIB"), lambda i: i.nib),
        Column(_("KBLI"), lambda i: i.kbli),
        Column(_("Year founded"), lambda i: i.year_founded),
        Column(_("Women workers"), lambda i: i.workers_women),
        Column(_("Men workers"), lambda i: i.workers_men),
        Column(_("Published products"), lambda i: i.products_public),
        Column(_("All products"), lambda i: i.products_all),
        Column(_("Highest TKDN (%)"), lambda i: i.tkdn_max),
        Column(_("Valid certificates"), _certificate_types_column()),
        Column(_("Certificate numbers"), _certificate_numbers),
        Column(_("WhatsApp"), lambda i: i.whatsapp),
        Column(_("Phone"), lambda i: i.phone),
        Column(_("Email"), lambda i: i.email),
        Column(_("Website"), lambda i: i.website),
        Column(_("Address"), lambda i: i.address),
        Column(_("Verified at"), lambda i: i.verified_at),
        Column(_("Created at"), lambda i: i.created_at),
        Column(_("Public page"), lambda i: public_url.replace("__slug__", i.slug) if public_url else ""),
        Column(_("Admin page"), lambda i: admin_url.replace("/0/", f"/{i.pk}/") if admin_url else ""),
    ]


# --- Responses -----------------------------------------------------------------------------------


def _rows(queryset: QuerySet, columns: list[Column]) -> Iterator[list[object]]:
    for obj in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield [column.value(obj) for column in columns]


def csv_response(*, name: str, queryset: QuerySet, columns: list[Column]) -> StreamingHttpResponse:
    filename = f"galeri-{name}-{timezone.localdate():%Y%m%d}.csv"
    response = StreamingHttpResponse(
        csv_lines([c.header for c in columns], _rows(queryset, columns)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def products_csv(queryset: QuerySet[Product] | None = None) -> StreamingHttpResponse:
    return csv_response(name="produk", queryset=product_export_queryset(queryset), columns=product_columns())


def ikm_csv(queryset: QuerySet[IKM] | None = None) -> StreamingHttpResponse:
    return csv_response(name="ikm", queryset=ikm_export_queryset(queryset), columns=ikm_columns())


# --- Admin actions (for the IKM and product ModelAdmins' ``actions``) ----------------------------


@admin.action(description=gettext_lazy("Export the selected products as CSV"), permissions=["view"])
def export_products_csv(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Product]):
    return products_csv(queryset)


@admin.action(description=gettext_lazy("Export the selected IKM as CSV"), permissions=["view"])
def export_ikm_csv(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[IKM]):
    return ikm_csv(queryset)
