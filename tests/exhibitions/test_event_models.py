import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from exhibitions.models import WIB, Award, Event, ExhibitorApplication

pytestmark = pytest.mark.django_db


def _violates(make, **fields) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make(**fields)


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"kind": "konser"}, id="unknown kind"),
        pytest.param({"status": "archived"}, id="unknown status"),
        pytest.param({"attendance_mode": "radio"}, id="unknown attendance mode"),
        pytest.param({"places": 0}, id="zero places"),
        pytest.param({"attendance_mode": "online", "online_url": ""}, id="online without link"),
        pytest.param({"attendance_mode": "mixed", "online_url": ""}, id="hybrid without link"),
        pytest.param({"venue_name": ""}, id="in person without venue"),
        pytest.param({"region_id": None}, id="in person without region"),
        pytest.param({"latitude": 95, "longitude": 105}, id="latitude out of range"),
        pytest.param({"status": "published", "published_at": None}, id="published without date"),
    ],
)
def test_event_constraints(make_event, fields) -> None:
    _violates(make_event, **fields)


def test_event_cannot_end_before_it_starts(make_event) -> None:
    starts = timezone.now()
    _violates(make_event, starts_at=starts, ends_at=starts - dt.timedelta(minutes=1))
    assert make_event(starts_at=starts, ends_at=starts).pk  # a zero-length event is allowed


def test_application_window_must_be_complete_and_ordered(make_event) -> None:
    now = timezone.now()
    _violates(make_event, applications_open_at=now, applications_close_at=now - dt.timedelta(days=1))
    _violates(make_event, applications_open_at=now, applications_close_at=None)
    _violates(make_event, applications_open_at=None, applications_close_at=now)
    assert make_event(applications_open_at=now, applications_close_at=now).pk


def test_online_event_needs_no_venue(make_event) -> None:
    event = make_event(attendance_mode="online", online_url="https://zoom.us/j/123", venue_name="", region_id=None)
    event.full_clean()
    assert event.location_text == "https://zoom.us/j/123"
    assert event.map_url == ""


def test_full_clean_explains_each_rule_next_to_its_field(make_event) -> None:
    now = timezone.now()
    event = Event(
        kind="pameran",
        title="Uji",
        slug="kalender",
        starts_at=now,
        ends_at=now - dt.timedelta(hours=1),
        attendance_mode="mixed",
        organiser="Disperindag",
        applications_open_at=now,
        applications_close_at=now - dt.timedelta(days=1),
        latitude=-5.4,
    )
    with pytest.raises(ValidationError) as info:
        event.full_clean()
    errors = info.value.message_dict
    assert {"slug", "ends_at", "online_url", "venue_name", "region", "applications_close_at", "longitude"} <= set(
        errors
    )


def test_application_constraints(make_event, make_ikm) -> None:
    event, ikm = make_event(), make_ikm()
    ExhibitorApplication.objects.create(event=event, ikm=ikm)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExhibitorApplication.objects.create(event=event, ikm=ikm)  # one per IKM per event
    other = make_ikm()
    with pytest.raises(IntegrityError), transaction.atomic():
        ExhibitorApplication.objects.create(event=event, ikm=other, status="rejected", decided_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        ExhibitorApplication.objects.create(event=event, ikm=other, status="accepted")  # a decision has a date
    with pytest.raises(IntegrityError), transaction.atomic():
        ExhibitorApplication.objects.create(event=event, ikm=other, status="maybe")


def test_booth_numbers_are_unique_within_an_event(make_event, make_ikm) -> None:
    event = make_event()
    ExhibitorApplication.objects.create(event=event, ikm=make_ikm(), booth="A1")
    ExhibitorApplication.objects.create(event=event, ikm=make_ikm(), booth="")
    ExhibitorApplication.objects.create(event=event, ikm=make_ikm(), booth="")  # empty is not a number
    ExhibitorApplication.objects.create(event=make_event(), ikm=make_ikm(), booth="A1")  # another event
    with pytest.raises(IntegrityError), transaction.atomic():
        ExhibitorApplication.objects.create(event=event, ikm=make_ikm(), booth="A1")


def test_award_product_must_belong_to_the_winner(make_event, owner_ikm, other_ikm, make_product) -> None:
    event = make_event(kind="lomba")
    award = Award(event=event, category="Kopi Robusta", title="Juara 1", ikm=owner_ikm, product=make_product(other_ikm))
    with pytest.raises(ValidationError) as info:
        award.full_clean()
    assert "product" in info.value.message_dict
    award.product = make_product(owner_ikm)
    award.full_clean()


def test_querysets_split_events_by_now(make_event) -> None:
    now = timezone.now()
    upcoming = make_event(starts_at=now + dt.timedelta(days=2))
    ongoing = make_event(starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=1))
    past = make_event(starts_at=now - dt.timedelta(days=3))
    draft = make_event(status="draft")
    cancelled = make_event(status="cancelled")
    assert set(Event.objects.upcoming(now)) == {upcoming, draft, cancelled}
    assert list(Event.objects.ongoing(now)) == [ongoing]
    assert list(Event.objects.past(now)) == [past]
    assert set(Event.objects.published()) == {upcoming, ongoing, past}
    assert set(Event.objects.public()) == {upcoming, ongoing, past, cancelled}
    assert ongoing.is_ongoing(now) and past.is_past(now) and not upcoming.is_past(now)


def test_listing_order_puts_current_events_first_soonest_first_then_past_most_recent_first(make_event) -> None:
    now = timezone.now()
    later = make_event(starts_at=now + dt.timedelta(days=20))
    soon = make_event(starts_at=now + dt.timedelta(days=1))
    ongoing = make_event(starts_at=now - dt.timedelta(days=1), ends_at=now + dt.timedelta(days=1))
    long_ago = make_event(starts_at=now - dt.timedelta(days=400))
    last_week = make_event(starts_at=now - dt.timedelta(days=7))
    ordered = list(Event.objects.in_listing_order(now))
    assert ordered == [ongoing, soon, later, last_week, long_ago]
    assert [e.has_ended for e in ordered] == [False, False, False, True, True]


def test_application_window_state(make_event) -> None:
    now = timezone.now()
    event = make_event(
        applications_open_at=now + dt.timedelta(days=1), applications_close_at=now + dt.timedelta(days=2)
    )
    assert event.application_window_state(now) == "not_yet"
    assert event.application_window_state(now + dt.timedelta(days=1, hours=1)) == "open"
    assert event.is_application_window_open(event.applications_close_at)  # bounds included
    assert event.application_window_state(now + dt.timedelta(days=3)) == "closed"
    event.status = Event.Status.CANCELLED
    assert not event.is_application_window_open(now + dt.timedelta(days=1, hours=1))
    assert make_event().application_window_state(now) == "none"


def test_times_read_in_wib(make_event) -> None:
    event = make_event(starts_at=dt.datetime(2022, 6, 20, 2, 0, tzinfo=dt.UTC))
    assert event.starts_wib == dt.datetime(2022, 6, 20, 9, 0, tzinfo=WIB)
    assert event.starts_wib.utcoffset() == dt.timedelta(hours=7)


def test_map_link_points_at_openstreetmap(make_event) -> None:
    assert make_event().map_url.startswith("https://www.openstreetmap.org/search?query=Graha+Wangsa")
    pinned = make_event(latitude="-5.428700", longitude="105.261800")
    assert pinned.map_url == (
        "https://www.openstreetmap.org/?mlat=-5.428700&mlon=105.261800#map=17/-5.428700/105.261800"
    )
