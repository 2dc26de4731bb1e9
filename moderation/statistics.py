"""Figures for the province's staff, aggregated in the database: at most 15 queries for the whole page.

Queries (tests/moderation/test_statistics.py pins the count): IKM by region (1), by sector (1), products by
category and status (1) with the category tree (1), papers of public products (2) and of public IKM (1),
new IKM and new products per month (2), inquiries and WhatsApp clicks per month (2, inquiries.figures),
most viewed products (1), most contacted products (2): 14.

"Public" means what visitors see: a verified IKM that is not suspended, and its published products.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from catalog.models import Category, Certification, Product
from ikm.models import IKM, Region, Sector
from inquiries import figures as inquiry_figures
from inquiries.models import BuyerType, ContactClick
from moderation.charts import Chart, bar_chart, column_chart, format_number

MONTHS = 12
TOP = 10
IZIN_EDAR_TYPES = ("bpom", "pirt")


def percent(part: int, whole: int) -> float:
    return round(part * 100 / whole, 1) if whole else 0.0


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@dataclass
class Statistics:
    today: dt.date
    headline: list[tuple[str, str]] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    most_viewed: list[Product] = field(default_factory=list)
    most_contacted: list[dict[str, object]] = field(default_factory=list)
    # Raw figures, for tests and for anyone reading the numbers rather than the page.
    data: dict[str, object] = field(default_factory=dict)

    def chart(self, chart_id: str) -> Chart:
        return next(chart for chart in self.charts if chart.id == chart_id)


def _public_ikm_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": IKM.Status.VERIFIED, f"{prefix}is_suspended": False})


def _months(today: dt.date) -> list[dt.date]:
    """The first days of the last MONTHS months, oldest first."""
    return [inquiry_figures.month_start(today, back) for back in range(MONTHS - 1, -1, -1)]


def _per_month(queryset, date_field: str, months: list[dt.date]) -> dict[dt.date, int]:
    rows = (
        queryset.filter(**{f"{date_field}__gte": inquiry_figures.start_of_day(months[0])})
        .annotate(month=TruncMonth(date_field))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(months, 0)
    for row in rows:
        month = _as_date(row["month"])
        if month in counts:
            counts[month] += row["n"]
    return counts


def _month_label(month: dt.date) -> tuple[str, str]:
    return date_format(month, "M"), str(month.year)


def compute(*, today: dt.date | None = None) -> Statistics:
    today = today or timezone.localdate()
    stats = Statistics(today=today)
    data = stats.data

    # --- IKM by region and by sector (2 queries) -----------------------------------------------
    regions = list(
        Region.objects.annotate(
            registered=Count("ikm_set"), public=Count("ikm_set", filter=_public_ikm_q("ikm_set__"))
        ).order_by("code")
    )
    data["ikm_by_region"] = {r.code: {"registered": r.registered, "public": r.public} for r in regions}
    sector_rows = {
        row["sector"]: row
        for row in IKM.objects.order_by()
        .values("sector")
        .annotate(registered=Count("pk"), public=Count("pk", filter=_public_ikm_q()))
    }
    data["ikm_by_sector"] = {
        value: {
            "registered": sector_rows.get(value, {}).get("registered", 0),
            "public": sector_rows.get(value, {}).get("public", 0),
        }
        for value in Sector.values
    }
    ikm_registered = sum(r.registered for r in regions)
    ikm_public = sum(r.public for r in regions)

    chart = bar_chart(
        id="ikm-region",
        title=_("IKM by regency and city"),
        description=_("Verified, public IKM in each of the 15 regencies and cities of Lampung."),
        rows=[(r.short_name, r.public) for r in regions],
    )
    chart.table_headers = [_("Regency or city"), _("Public IKM"), _("Registered IKM")]
    chart.table_rows = [[r.name, format_number(r.public), format_number(r.registered)] for r in regions]
    stats.charts.append(chart)

    chart = bar_chart(
        id="ikm-sector",
        title=_("IKM by sector"),
        description=_("Verified, public IKM in each of the seven IKM sectors."),
        rows=[(label, data["ikm_by_sector"][value]["public"]) for value, label in Sector.choices],
    )
    chart.table_headers = [_("Sector"), _("Public IKM"), _("Registered IKM")]
    chart.table_rows = [
        [
            str(label),
            format_number(data["ikm_by_sector"][value]["public"]),
            format_number(data["ikm_by_sector"][value]["registered"]),
        ]
        for value, label in Sector.choices
    ]
    stats.charts.append(chart)

    # --- Products by category and status (2 queries) ---------------------------------------------
    categories = list(Category.objects.only("id", "parent_id", "name", "name_en", "position"))
    top_of = {c.pk: (c.parent_id or c.pk) for c in categories}
    tops = sorted((c for c in categories if c.parent_id is None), key=lambda c: (c.position, c.name))
    by_category: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_status: dict[str, int] = dict.fromkeys(Product.Status.values, 0)
    public_total = 0
    rows = (
        Product.objects.order_by()
        .values("category_id", "status")
        .annotate(n=Count("pk"), public=Count("pk", filter=_public_ikm_q("ikm__")))
    )
    for row in rows:
        top = top_of.get(row["category_id"], row["category_id"])
        by_category[top][row["status"]] += row["n"]
        by_status[row["status"]] += row["n"]
        if row["status"] == Product.Status.PUBLISHED:
            by_category[top]["public"] += row["public"]
            public_total += row["public"]
    data["products_by_category"] = {c.pk: dict(by_category[c.pk]) for c in tops}
    data["products_by_status"] = by_status
    data["products_public"] = public_total
    products_total = sum(by_status.values())

    chart = bar_chart(
        id="product-category",
        title=_("Public products by category"),
        description=_("Published products of public IKM in each main category (subcategories included)."),
        rows=[(c.display_name, by_category[c.pk]["public"]) for c in tops],
    )
    status_labels = Product.Status.choices
    chart.table_headers = [_("Category"), _("Public"), *[str(label) for _, label in status_labels]]
    chart.table_rows = [
        [
            c.display_name,
            format_number(by_category[c.pk]["public"]),
            *[format_number(by_category[c.pk][value]) for value, _ in status_labels],
        ]
        for c in tops
    ]
    stats.charts.append(chart)

    chart = bar_chart(
        id="product-status",
        title=_("Products by status"),
        description=_("Every product in Galeri by its review status."),
        rows=[(str(label), by_status[value]) for value, label in status_labels],
    )
    chart.table_headers = [_("Status"), _("Products")]
    chart.table_rows = [[str(label), format_number(by_status[value])] for value, label in status_labels]
    stats.charts.append(chart)

    # --- Papers: certificates and TKDN (3 queries) --------------------------------------------------
    # Products holding valid certificates are counted from the certificate links (a scan of the small link
    # table) rather than with EXISTS per product: at 50,000 products that is 40 ms instead of 400 ms.
    valid = Certification.objects.valid(on=today)
    food = Q(ikm__sector=Sector.PANGAN)
    papers = Product.objects.published().aggregate(
        total=Count("pk"), tkdn=Count("pk", filter=Q(tkdn_percent__isnull=False)), food=Count("pk", filter=food)
    )
    links = Certification.products.through.objects.filter(
        product__in=Product.objects.published(), certification__in=valid
    )
    halal = Q(certification__type="halal")
    papers.update(
        links.aggregate(
            halal=Count("product_id", distinct=True, filter=halal),
            izin=Count("product_id", distinct=True, filter=Q(certification__type__in=IZIN_EDAR_TYPES)),
            food_halal=Count("product_id", distinct=True, filter=halal & Q(product__ikm__sector=Sector.PANGAN)),
        )
    )
    ikm_papers = IKM.objects.public().aggregate(
        total=Count("pk"),
        tkdn_products=Count(
            "pk",
            filter=Q(
                Exists(
                    Product.objects.filter(
                        ikm=OuterRef("pk"), status=Product.Status.PUBLISHED, tkdn_percent__isnull=False
                    )
                )
            ),
        ),
        tkdn_certificate=Count("pk", filter=Q(Exists(valid.filter(type="tkdn", ikm=OuterRef("pk"))))),
    )
    data["papers"] = papers
    data["ikm_papers"] = ikm_papers
    # (short label for the chart, full label for the table, part, whole)
    measures = [
        (
            _("Halal, all products"),
            _("Public products with a valid halal certificate"),
            papers["halal"],
            papers["total"],
        ),
        (
            _("Halal, food products"),
            _("Public food products with a valid halal certificate"),
            papers["food_halal"],
            papers["food"],
        ),
        (_("Izin edar"), _("Public products with izin edar (BPOM or P-IRT)"), papers["izin"], papers["total"]),
        (_("TKDN value, products"), _("Public products with a TKDN value"), papers["tkdn"], papers["total"]),
        (
            _("TKDN value, IKM"),
            _("Public IKM with a product that has a TKDN value"),
            ikm_papers["tkdn_products"],
            ikm_papers["total"],
        ),
        (
            _("TKDN certificate, IKM"),
            _("Public IKM with a valid TKDN certificate"),
            ikm_papers["tkdn_certificate"],
            ikm_papers["total"],
        ),
    ]
    chart = bar_chart(
        id="papers",
        title=_("Certificates and TKDN"),
        description=_(
            "Shares of public products and IKM holding verified, unexpired certificates and TKDN values, in percent."
        ),
        rows=[(short, percent(part, whole)) for short, _label, part, whole in measures],
        maximum=100,
        decimals=1,
        suffix=" %",
    )
    chart.table_headers = [_("Measure"), _("Count"), _("Of"), _("Share")]
    chart.table_rows = [
        [label, format_number(part), format_number(whole), format_number(percent(part, whole), 1) + " %"]
        for _short, label, part, whole in measures
    ]
    stats.charts.append(chart)

    # --- New IKM and products per month (2 queries) -----------------------------------------------
    months = _months(today)
    new_ikm = _per_month(IKM.objects.all(), "created_at", months)
    new_products = _per_month(Product.objects.all(), "created_at", months)
    data["new_ikm"] = new_ikm
    data["new_products"] = new_products
    for chart_id, title, column, series in (
        ("new-ikm", _("New IKM per month"), _("New IKM"), new_ikm),
        ("new-products", _("New products per month"), _("New products"), new_products),
    ):
        chart = column_chart(
            id=chart_id,
            title=title,
            description=_("Registered in each of the last 12 months, oldest first."),
            rows=[(*_month_label(m), series[m]) for m in months],
        )
        chart.table_headers = [_("Month"), column]
        chart.table_rows = [[date_format(m, "YEAR_MONTH_FORMAT"), format_number(series[m])] for m in months]
        stats.charts.append(chart)

    # --- Inquiries and WhatsApp clicks per month (2 queries) ----------------------------------------
    monthly = sorted(inquiry_figures.monthly_figures(months=MONTHS, today=today), key=lambda r: r.month)
    data["inquiries"] = {r.month: r.inquiries for r in monthly}
    data["inquiries_by_buyer_type"] = {
        value: sum(r.by_buyer_type.get(value, 0) for r in monthly) for value in BuyerType.values
    }
    data["whatsapp_clicks"] = {r.month: r.whatsapp_clicks for r in monthly}
    chart = column_chart(
        id="inquiries",
        title=_("Buyer inquiries per month"),
        description=_("Inquiries sent to IKM through Galeri in each of the last 12 months (spam excluded)."),
        rows=[(*_month_label(r.month), r.inquiries) for r in monthly],
    )
    chart.table_headers = [_("Month"), _("Inquiries"), *[str(label) for _, label in BuyerType.choices]]
    chart.table_rows = [
        [date_format(r.month, "YEAR_MONTH_FORMAT"), format_number(r.inquiries)]
        + [format_number(n) for n in r.buyer_type_counts]
        for r in monthly
    ]
    stats.charts.append(chart)

    chart = column_chart(
        id="whatsapp",
        title=_("WhatsApp clicks per month"),
        description=_("Uses of the WhatsApp buttons on product and IKM pages in each of the last 12 months."),
        rows=[(*_month_label(r.month), r.whatsapp_clicks) for r in monthly],
    )
    chart.table_headers = [_("Month"), _("WhatsApp clicks"), _("IKM reached by inquiries")]
    chart.table_rows = [
        [date_format(r.month, "YEAR_MONTH_FORMAT"), format_number(r.whatsapp_clicks), format_number(r.ikm_reached)]
        for r in monthly
    ]
    stats.charts.append(chart)

    # --- Most viewed and most contacted products (2 queries) ----------------------------------------
    stats.most_viewed = list(
        Product.objects.published()
        .select_related("ikm")
        .only("name", "slug", "view_count", "ikm__name", "ikm__slug")
        .order_by("-view_count", "pk")[:TOP]
    )
    chart = bar_chart(
        id="most-viewed",
        title=_("Most viewed products"),
        description=_("The public products whose pages were opened most often."),
        rows=[(p.name, p.view_count) for p in stats.most_viewed],
    )
    chart.table_headers = [_("Product"), _("IKM"), _("Views")]
    chart.table_rows = [[p.name, p.ikm.name, format_number(p.view_count)] for p in stats.most_viewed]
    stats.charts.append(chart)

    # Grouped by product id alone, then named: joining the names before grouping is 3x slower at 50,000.
    top_clicks = list(
        ContactClick.objects.filter(day__gte=months[0], product__isnull=False)
        .order_by()
        .values("product_id")
        .annotate(clicks=Sum("count"))
        .order_by("-clicks", "product_id")[:TOP]
    )
    names = {
        p.pk: p for p in Product.objects.filter(pk__in=[row["product_id"] for row in top_clicks]).select_related("ikm")
    }
    stats.most_contacted = [
        {
            "product_id": row["product_id"],
            "product__name": names[row["product_id"]].name,
            "ikm__name": names[row["product_id"]].ikm.name,
            "clicks": row["clicks"],
        }
        for row in top_clicks
        if row["product_id"] in names
    ]
    chart = bar_chart(
        id="most-contacted",
        title=_("Products most contacted on WhatsApp"),
        description=_("WhatsApp button uses per product over the last 12 months."),
        rows=[(row["product__name"], row["clicks"] or 0) for row in stats.most_contacted],
    )
    chart.table_headers = [_("Product"), _("IKM"), _("WhatsApp clicks")]
    chart.table_rows = [
        [row["product__name"], row["ikm__name"], format_number(row["clicks"] or 0)] for row in stats.most_contacted
    ]
    stats.charts.append(chart)

    stats.headline = [
        (_("Public IKM"), format_number(ikm_public)),
        (_("Registered IKM"), format_number(ikm_registered)),
        (_("Public products"), format_number(public_total)),
        (_("All products"), format_number(products_total)),
        (_("Inquiries in 12 months"), format_number(sum(r.inquiries for r in monthly))),
        (_("WhatsApp clicks in 12 months"), format_number(sum(r.whatsapp_clicks for r in monthly))),
    ]
    data["ikm_registered"] = ikm_registered
    data["ikm_public"] = ikm_public
    data["products_total"] = products_total
    return stats
