import datetime as dt

import icalendar
import pytest
from django.utils import timezone

from exhibitions.models import WIB, Event

pytestmark = pytest.mark.django_db


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=WIB)


def _parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    assert b"\r\n" in body  # RFC 5545 lines end with CRLF
    return icalendar.Calendar.from_ical(body)


def test_event_ics_parses_back_with_the_right_times(visitor, make_event, settings) -> None:
    settings.SITE_URL = "https://galeri.lampungprov.go.id"
    event = make_event(
        title="Lampung Craft 2022",
        slug="lampung-craft-2022",
        summary="Pameran kriya; tapis, sulam usus & kopi.",
        starts_at=wib(2022, 6, 20, 9),
        ends_at=wib(2022, 6, 20, 16),
        latitude="-5.428700",
        longitude="105.261800",
    )
    response = visitor.get("/acara/lampung-craft-2022.ics")
    assert response["Content-Disposition"] == 'attachment; filename="lampung-craft-2022.ics"'
    calendar = _parse(response)
    assert calendar["VERSION"] == "2.0" and "Galeri" in str(calendar["PRODID"])
    [vevent] = calendar.events
    assert str(vevent["UID"]) == f"event-{event.pk}@galeri.lampungprov.go.id"
    assert str(vevent["SUMMARY"]) == "Lampung Craft 2022"
    assert str(vevent["LOCATION"]) == ("Graha Wangsa, Jl. Wolter Monginsidi No. 1, Kota Bandar Lampung, Lampung")
    assert str(vevent["URL"]) == "http://testserver/acara/lampung-craft-2022/"
    assert "tapis, sulam usus & kopi" in str(vevent["DESCRIPTION"])
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert vevent["DTSTAMP"].dt.tzinfo is not None and vevent["DTSTAMP"].dt.utcoffset() == dt.timedelta(0)
    # WIB, with the zone named, and the same instants in UTC.
    start, end = vevent["DTSTART"], vevent["DTEND"]
    assert start.params["TZID"] == "Asia/Jakarta" and end.params["TZID"] == "Asia/Jakarta"
    assert start.dt == wib(2022, 6, 20, 9) and start.dt.utcoffset() == dt.timedelta(hours=7)
    assert start.dt.astimezone(dt.UTC) == dt.datetime(2022, 6, 20, 2, 0, tzinfo=dt.UTC)
    assert end.dt.astimezone(dt.UTC) == dt.datetime(2022, 6, 20, 9, 0, tzinfo=dt.UTC)
    assert b"DTSTART;TZID=Asia/Jakarta:20220620T090000" in response.content
    # The VTIMEZONE that makes TZID resolvable, +07:00 without daylight saving.
    [vtimezone] = calendar.timezones
    assert str(vtimezone["TZID"]) == "Asia/Jakarta"
    standard = vtimezone.walk("STANDARD")[0]
    assert standard["TZOFFSETTO"].td == dt.timedelta(hours=7)
    assert vevent["GEO"].latitude == pytest.approx(-5.4287)


def test_event_ics_uid_is_stable_across_edits(visitor, make_event) -> None:
    event = make_event(slug="stabil")
    before = _parse(visitor.get("/acara/stabil.ics")).events[0]["UID"]
    event.title = "Judul Baru"
    event.starts_at += dt.timedelta(days=1)
    event.ends_at += dt.timedelta(days=1)
    event.save()
    after = _parse(visitor.get("/acara/stabil.ics")).events[0]
    assert after["UID"] == before and str(after["SUMMARY"]) == "Judul Baru"


def test_cancelled_event_ics_says_cancelled(visitor, make_event) -> None:
    make_event(slug="batal", status="cancelled", cancellation_note="Ditunda.")
    [vevent] = _parse(visitor.get("/acara/batal.ics")).events
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert "Ditunda." in str(vevent["DESCRIPTION"])


def test_online_event_ics_gives_the_link_as_location(visitor, make_event) -> None:
    make_event(slug="daring", attendance_mode="online", online_url="https://zoom.us/j/9", venue_name="", region_id=None)
    [vevent] = _parse(visitor.get("/acara/daring.ics")).events
    assert str(vevent["LOCATION"]) == "https://zoom.us/j/9"


def test_english_ics_is_served_under_en(visitor, make_event) -> None:
    make_event(slug="inggris")
    [vevent] = _parse(visitor.get("/en/acara/inggris.ics")).events
    assert str(vevent["URL"]) == "http://testserver/en/acara/inggris/"
    assert "Organiser: Dekranasda Provinsi Lampung" in str(vevent["DESCRIPTION"])


def test_feed_lists_upcoming_public_events_soonest_first(visitor, make_event) -> None:
    now = timezone.now()
    later = make_event(title="Nanti", starts_at=now + dt.timedelta(days=60))
    soon = make_event(title="Segera", starts_at=now + dt.timedelta(days=3))
    ongoing = make_event(title="Berlangsung", starts_at=now - dt.timedelta(hours=1))
    cancelled = make_event(title="Batal", status="cancelled", starts_at=now + dt.timedelta(days=5))
    make_event(title="Draf", status="draft")
    make_event(title="Lama", starts_at=now - dt.timedelta(days=400))
    response = visitor.get("/acara/kalender.ics")
    assert "max-age=900" in response["Cache-Control"]
    assert "Content-Disposition" not in response  # subscribed, not downloaded
    calendar = _parse(response)
    assert [str(e["SUMMARY"]) for e in calendar.events] == ["Berlangsung", "Segera", "Batal", "Nanti"]
    statuses = {str(e["SUMMARY"]): str(e["STATUS"]) for e in calendar.events}
    assert statuses["Batal"] == "CANCELLED" and statuses["Segera"] == "CONFIRMED"
    assert "Galeri" in str(calendar["X-WR-CALNAME"])
    assert calendar["REFRESH-INTERVAL"].dt == dt.timedelta(hours=6)
    assert len(calendar.timezones) == 1
    assert {str(e["UID"]) for e in calendar.events} == {
        f"event-{e.pk}@127.0.0.1" for e in (later, soon, ongoing, cancelled)
    }


def test_feed_filters_by_region_and_kind_and_ignores_bad_values(visitor, make_event) -> None:
    make_event(title="Metro", region_id="18.72", kind="bazar")
    make_event(title="Bandar", region_id="18.71", kind="pameran")

    def titles(query: str) -> list[str]:
        return [str(e["SUMMARY"]) for e in _parse(visitor.get("/acara/kalender.ics" + query)).events]

    assert titles("?region=18.72") == ["Metro"]
    assert titles("?kind=pameran") == ["Bandar"]
    assert sorted(titles("?region=00.00&kind=x&year=zz")) == ["Bandar", "Metro"]


def test_empty_feed_is_still_a_valid_calendar(visitor) -> None:
    calendar = _parse(visitor.get("/acara/kalender.ics"))
    assert calendar.events == [] and len(calendar.timezones) == 1


def test_the_feed_address_cannot_be_taken_by_an_event_slug(make_event) -> None:
    from django.core.exceptions import ValidationError

    event = Event(slug="kalender")
    with pytest.raises(ValidationError) as info:
        event.full_clean()
    assert "slug" in info.value.message_dict


def test_feed_query_count_is_constant(visitor, make_event, django_assert_max_num_queries) -> None:
    for n in range(30):
        make_event(region_id=["18.71", "18.01"][n % 2])
    with django_assert_max_num_queries(1):
        visitor.get("/acara/kalender.ics")
