"""iCalendar (RFC 5545) files for events, built with the ``icalendar`` library.

One file per event (``/acara/<slug>.ics``, "Tambahkan ke kalender") and a subscribable feed
(``/acara/kalender.ics``). Times are written in Asia/Jakarta with a VTIMEZONE, so calendars show
WIB and convert correctly for people elsewhere.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from urllib.parse import urlparse

import icalendar
from django.conf import settings
from django.utils.translation import gettext as _

from exhibitions.models import WIB, Event

PRODID = "-//Galeri IKM Lampung//Acara//ID"
# How often subscribed calendars should fetch the feed again.
FEED_REFRESH = dt.timedelta(hours=6)


def event_uid(event: Event) -> str:
    """Stable for the life of the event (the primary key, not the slug or the time), so updates replace it."""
    host = urlparse(settings.SITE_URL).hostname or "galeri.invalid"
    return f"event-{event.pk}@{host}"


def _description(event: Event, url: str) -> str:
    lines = []
    if event.is_cancelled:
        lines.append(_("This event is cancelled."))
        if event.cancellation_note:
            lines.append(event.cancellation_note)
        lines.append("")
    if event.summary:
        lines += [event.summary, ""]
    lines.append(_("Organiser: %(organiser)s") % {"organiser": event.organiser})
    if event.is_online:
        lines.append(_("Online: %(url)s") % {"url": event.online_url})
    lines.append(url)
    return "\n".join(lines)


def event_component(event: Event, *, absolute: Callable[[str], str]) -> icalendar.Event:
    """One VEVENT. ``absolute`` turns a path into a full URL (``request.build_absolute_uri``)."""
    url = absolute(event.get_absolute_url())
    component = icalendar.Event()
    component.add("uid", event_uid(event))
    # Without a METHOD, DTSTAMP is the last revision of the event (RFC 5545 3.8.7.2): stable output, cacheable.
    component.add("dtstamp", event.updated_at.astimezone(dt.UTC))
    component.add("created", event.created_at.astimezone(dt.UTC))
    component.add("last-modified", event.updated_at.astimezone(dt.UTC))
    component.add("dtstart", event.starts_at.astimezone(WIB))
    component.add("dtend", event.ends_at.astimezone(WIB))
    component.add("summary", event.title)
    component.add("location", event.location_text)
    component.add("url", url)
    component.add("description", _description(event, url))
    component.add("categories", [event.get_kind_display()])
    component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    component.add("transp", "OPAQUE")
    if event.latitude is not None and event.longitude is not None:
        component.add("geo", (float(event.latitude), float(event.longitude)))
    return component


def _calendar(events: Iterable[Event], *, absolute: Callable[[str], str]) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    for event in events:
        calendar.add_component(event_component(event, absolute=absolute))
    # The VTIMEZONE for Asia/Jakarta, generated from the zoneinfo database (only when some event uses it).
    calendar.add_missing_timezones()
    return calendar


def event_ics(event: Event, *, absolute: Callable[[str], str]) -> bytes:
    return _calendar([event], absolute=absolute).to_ical()


def feed_ics(events: Iterable[Event], *, absolute: Callable[[str], str], name: str) -> bytes:
    """The subscribable feed: a named calendar that clients refresh every few hours."""
    calendar = _calendar(events, absolute=absolute)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Jakarta")
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", FEED_REFRESH)
    if not calendar.timezones:
        # An empty feed still declares its zone, so a client has a well-formed calendar to subscribe to.
        calendar.add_component(icalendar.Timezone.from_tzid("Asia/Jakarta"))
    return calendar.to_ical()
