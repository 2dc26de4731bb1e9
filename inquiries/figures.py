"""Figures on buyers reaching producers, aggregated in the database.

``owner_figures(ikm)``: inquiries and WhatsApp clicks per product for the owner's dashboard (2 queries).
``monthly_figures()``: inquiries by buyer type, IKM reached and clicks per month for staff (2 queries).
``top_ikm()``: the IKM buyers reached most in a period, by buyer type (1 query).
Spam is never counted.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ikm.models import IKM
from inquiries.models import BuyerType, ContactClick, Inquiry

RECENT_DAYS = 30


def _by_buyer_type(prefix: str = "") -> dict[str, Count]:
    return {f"{prefix}{value}": Count("pk", filter=Q(buyer_type=value)) for value in BuyerType.values}


@dataclass
class TargetFigures:
    """One row of the owner's table: a product, or the IKM's own page (product_name empty)."""

    product_id: int | None
    product_name: str = ""
    inquiries_recent: int = 0
    inquiries_total: int = 0
    clicks_recent: int = 0
    clicks_total: int = 0


@dataclass
class OwnerFigures:
    rows: list[TargetFigures] = field(default_factory=list)
    inquiries_recent: int = 0
    inquiries_total: int = 0
    clicks_recent: int = 0
    clicks_total: int = 0
    # Inquiries of the last RECENT_DAYS days by buyer type: {"government": 2, ...}
    recent_by_buyer_type: dict[str, int] = field(default_factory=dict)
    recent_days: int = RECENT_DAYS

    @property
    def is_empty(self) -> bool:
        return not self.rows


def owner_figures(ikm: IKM, *, now: dt.datetime | None = None) -> OwnerFigures:
    """Per product (and the IKM page): inquiries and WhatsApp clicks, last 30 days and all time. Two queries."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=RECENT_DAYS)
    since_day = timezone.localdate(now) - dt.timedelta(days=RECENT_DAYS - 1)
    rows: dict[int | None, TargetFigures] = {}
    figures = OwnerFigures()
    recent = Q(created_at__gte=since)
    inquiry_rows = (
        Inquiry.objects.filter(ikm=ikm)
        .not_spam()
        .order_by()
        .values("product_id", "product__name")
        .annotate(
            total=Count("pk"),
            recent=Count("pk", filter=recent),
            **{f"bt_{v}": Count("pk", filter=recent & Q(buyer_type=v)) for v in BuyerType.values},
        )
    )
    by_type = dict.fromkeys(BuyerType.values, 0)
    for item in inquiry_rows:
        row = rows.setdefault(item["product_id"], TargetFigures(item["product_id"], item["product__name"] or ""))
        row.inquiries_total, row.inquiries_recent = item["total"], item["recent"]
        for value in BuyerType.values:
            by_type[value] += item[f"bt_{value}"]
    click_rows = (
        ContactClick.objects.filter(ikm=ikm)
        .order_by()
        .values("product_id", "product__name")
        .annotate(total=Sum("count"), recent=Sum("count", filter=Q(day__gte=since_day)))
    )
    for item in click_rows:
        row = rows.setdefault(item["product_id"], TargetFigures(item["product_id"], item["product__name"] or ""))
        row.clicks_total, row.clicks_recent = item["total"] or 0, item["recent"] or 0
    figures.rows = sorted(
        rows.values(),
        key=lambda r: (-(r.inquiries_recent + r.clicks_recent), -(r.inquiries_total + r.clicks_total), r.product_name),
    )
    figures.inquiries_recent = sum(r.inquiries_recent for r in figures.rows)
    figures.inquiries_total = sum(r.inquiries_total for r in figures.rows)
    figures.clicks_recent = sum(r.clicks_recent for r in figures.rows)
    figures.clicks_total = sum(r.clicks_total for r in figures.rows)
    figures.recent_by_buyer_type = by_type
    return figures


@dataclass
class MonthFigures:
    month: dt.date
    inquiries: int = 0
    by_buyer_type: dict[str, int] = field(default_factory=dict)
    ikm_reached: int = 0
    ikm_reached_by_government: int = 0
    whatsapp_clicks: int = 0

    @property
    def buyer_type_counts(self) -> list[int]:
        """The counts in the order of BuyerType's choices (table columns)."""
        return [self.by_buyer_type.get(value, 0) for value in BuyerType.values]

    @property
    def government(self) -> int:
        return self.by_buyer_type.get(BuyerType.GOVERNMENT, 0)


def month_start(day: dt.date, months_back: int = 0) -> dt.date:
    """The first day of the month ``months_back`` months before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


def start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def monthly_figures(*, months: int = 12, today: dt.date | None = None) -> list[MonthFigures]:
    """The last ``months`` months (this one included), newest first, every month present even when empty."""
    today = today or timezone.localdate()
    first = month_start(today, months - 1)
    result = {month_start(today, i): MonthFigures(month_start(today, i)) for i in range(months)}
    government = Q(buyer_type=BuyerType.GOVERNMENT)
    inquiry_rows = (
        Inquiry.objects.not_spam()
        .filter(created_at__gte=start_of_day(first))
        .annotate(month=TruncMonth("created_at"))
        .order_by()
        .values("month")
        .annotate(
            total=Count("pk"),
            ikm_reached=Count("ikm", distinct=True),
            ikm_gov=Count("ikm", distinct=True, filter=government),
            **_by_buyer_type("bt_"),
        )
    )
    for item in inquiry_rows:
        row = result.get(_as_date(item["month"]))
        if row is None:
            continue
        row.inquiries, row.ikm_reached = item["total"], item["ikm_reached"]
        row.ikm_reached_by_government = item["ikm_gov"]
        row.by_buyer_type = {value: item[f"bt_{value}"] for value in BuyerType.values}
    click_rows = (
        ContactClick.objects.filter(day__gte=first)
        .annotate(month=TruncMonth("day"))
        .order_by()
        .values("month")
        .annotate(clicks=Sum("count"))
    )
    for item in click_rows:
        row = result.get(_as_date(item["month"]))
        if row is not None:
            row.whatsapp_clicks = item["clicks"] or 0
    for row in result.values():
        row.by_buyer_type = row.by_buyer_type or dict.fromkeys(BuyerType.values, 0)
    return sorted(result.values(), key=lambda r: r.month, reverse=True)


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def top_ikm(*, since: dt.date, until: dt.date | None = None, limit: int = 20) -> list[dict[str, object]]:
    """The IKM that received the most inquiries between two days (inclusive start, exclusive end)."""
    inquiries = Inquiry.objects.not_spam().filter(created_at__gte=start_of_day(since))
    if until is not None:
        inquiries = inquiries.filter(created_at__lt=start_of_day(until))
    return list(
        inquiries.order_by()
        .values("ikm_id", "ikm__name", "ikm__slug")
        .annotate(total=Count("pk"), **_by_buyer_type("bt_"))
        .order_by("-total", "ikm__name")[:limit]
    )
