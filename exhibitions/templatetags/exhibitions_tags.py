"""Event dates in WIB, the owner's dashboard panel, and the "events it took part in" sections of IKM and product pages.

``{% load exhibitions_tags %}{% ikm_events ikm %}`` and ``{% product_events product %}`` render a section (or
nothing); each costs one query.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django import template
from django.core.cache import cache
from django.db.models import CharField, OuterRef, Q, StringAgg, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from catalog.models import Product
from exhibitions import dates
from exhibitions.models import Award, Event, EventQuerySet, ExhibitorApplication
from galeri import page_cache
from ikm.models import IKM

register = template.Library()

Status = ExhibitorApplication.Status
# An IKM or product page lists at most this many events.
EVENTS_ON_PROFILE = 12
# The list itself follows every change at once (its key holds the pages' version); this only bounds its life.
PROFILE_EVENTS_TIMEOUT = 10 * 60


@register.filter
def event_when(event: Event) -> str:
    """``{{ event|event_when }}`` → "20 Juni 2022, 09.00–16.00 WIB"."""
    return dates.event_when(event.starts_at, event.ends_at)


@register.filter
def event_dates(event: Event) -> str:
    """``{{ event|event_dates }}`` → "20–22 Juni 2022"."""
    return dates.event_dates(event.starts_at, event.ends_at)


@register.filter
def wib_time(value: dt.datetime | None) -> str:
    """``{{ item.starts_at|wib_time }}`` → "09.00"."""
    return dates.wib_time(value) if value else ""


@register.filter
def wib_datetime(value: dt.datetime | None) -> str:
    """``{{ event.applications_close_at|wib_datetime }}`` → "10 Juni 2022, 23.59 WIB"."""
    return dates.wib_datetime(value) if value else ""


@register.filter
def wib_day(value: dt.datetime | None) -> str:
    """A programme day on a multi-day event: "20 Juni"."""
    return dates.wib_day(value) if value else ""


@register.filter
def wib_iso(value: dt.datetime | None) -> str:
    """For ``<time datetime>``: "2022-06-20T09:00:00+07:00"."""
    return dates.wib_iso(value) if value else ""


# --- The owner's dashboard (/dasbor/) ----------------------------------------------------------


@register.simple_tag
def dashboard_applications(ikm: IKM) -> list[ExhibitorApplication]:
    """The IKM's applications, newest event first (1 query)."""
    return list(
        ExhibitorApplication.objects.filter(ikm=ikm, event__status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])
        .select_related("event")
        .order_by("-event__starts_at", "-pk")[:20]
    )


@register.simple_tag
def open_calls(ikm: IKM) -> list[Event]:
    """Published events taking applications now that the IKM has not applied to, closing soonest first (1 query)."""
    return list(
        Event.objects.accepting_applications()
        .exclude(applications__ikm=ikm)
        .with_card_data()
        .order_by("applications_close_at", "pk")[:10]
    )


# --- "Events it took part in" on IKM and product pages ----------------------------------------

# Separators for the awards packed into one string per event (ASCII unit and record separators).
_FIELD, _RECORD = "\x1f", "\x1e"


@dataclass(frozen=True)
class AwardBadge:
    category: str
    position: int
    title: str
    product_name: str


def _with_award_badges(events: EventQuerySet, **award_filter: object) -> list[Event]:
    """Evaluate ``events`` with each one's matching awards as ``event.profile_awards``, in the same query.

    The awards come packed into one string per event by a StringAgg subquery (any database on Django 6),
    so the section costs one query instead of two. SQLite cannot order inside an aggregate: Python sorts.
    """
    record = Concat(
        "category",
        Value(_FIELD),
        Cast("position", CharField()),
        Value(_FIELD),
        "title",
        Value(_FIELD),
        Coalesce("product__name", Value("")),
        output_field=CharField(),
    )
    packed = (
        Award.objects.filter(event=OuterRef("pk"), **award_filter)
        .order_by()
        .values("event")
        .annotate(text=StringAgg(record, delimiter=Value(_RECORD)))
        .values("text")
    )
    events = list(events.annotate(packed_awards=Subquery(packed, output_field=CharField())))
    for event in events:
        badges = []
        for text in (event.packed_awards or "").split(_RECORD):
            if text:
                category, position, title, product_name = text.split(_FIELD)
                badges.append(AwardBadge(category, int(position), title, product_name))
        event.profile_awards = sorted(badges, key=lambda b: (b.category, b.position, b.title))
    return events


def _cached_profile_events(subject: str, pk: int, build: Callable[[], list[Event]]) -> list[Event]:
    """A profile's events, cached under the public pages' version (galeri.page_cache): any change to an event,
    an application, an award or the catalog makes them stale. Building them costs one query but about 5 ms of
    ORM work (the award subquery), on every product and IKM page rendered."""
    key = f"profile-events:{subject}:{pk}:{page_cache.page_version()}"
    events = cache.get(key)
    if events is None:
        events = build()
        cache.set(key, events, PROFILE_EVENTS_TIMEOUT)
    return events


@register.inclusion_tag("exhibitions/includes/profile_events.html")
def ikm_events(ikm: IKM) -> dict[str, object]:
    """Events the IKM exhibited at or won an award in, newest first, with its award badges (1 query)."""
    # IN subqueries, not joins: OR over two joined tables made PostgreSQL join every application before
    # filtering (12 ms at 3,500 applications, growing with them); each subquery uses its foreign-key index.
    exhibited = ExhibitorApplication.objects.filter(ikm=ikm, status=Status.ACCEPTED).values("event_id")
    awarded = Award.objects.filter(ikm=ikm).values("event_id")
    events = (
        Event.objects.published()
        .filter(Q(pk__in=exhibited) | Q(pk__in=awarded))
        .with_card_data()
        .order_by("-starts_at", "pk")[:EVENTS_ON_PROFILE]
    )
    return {
        "events": _cached_profile_events("ikm", ikm.pk, lambda: _with_award_badges(events, ikm=ikm)),
        "now": timezone.now(),
        "subject": "ikm",
    }


@register.inclusion_tag("exhibitions/includes/profile_events.html")
def product_events(product: Product) -> dict[str, object]:
    """Events where the product was shown or won an award, newest first, with its award badges (1 query)."""
    shown = ExhibitorApplication.objects.filter(products=product, status=Status.ACCEPTED).values("event_id")
    awarded = Award.objects.filter(product=product).values("event_id")
    events = (
        Event.objects.published()
        .filter(Q(pk__in=shown) | Q(pk__in=awarded))
        .with_card_data()
        .order_by("-starts_at", "pk")[:EVENTS_ON_PROFILE]
    )
    return {
        "events": _cached_profile_events("product", product.pk, lambda: _with_award_badges(events, product=product)),
        "now": timezone.now(),
        "subject": "product",
    }
