import datetime as dt
import json
import re

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.utils import timezone, translation
from django.utils.translation import gettext

from exhibitions import services
from exhibitions.models import WIB, Award, Event, ExhibitorApplication, ProgrammeItem

pytestmark = pytest.mark.django_db

Status = ExhibitorApplication.Status


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=WIB)


def _id(text: str) -> str:
    with translation.override("id"):
        return gettext(text)


@pytest.fixture
def busy_event(make_event, make_ikm, make_product, staff_user):
    """A past competition with 22 accepted exhibitors (two products each), a programme and awards."""
    event = make_event(
        kind="lomba",
        title="Festival Kopi Lampung 2022",
        slug="festival-kopi-lampung-2022",
        starts_at=wib(2022, 6, 20, 9),
        ends_at=wib(2022, 6, 20, 16),
        latitude="-5.428700",
        longitude="105.261800",
        places=30,
    )
    now = timezone.now()
    for n in range(22):
        ikm = make_ikm(name=f"Kopi Sai {n:02d}", slug=f"kopi-sai-{n:02d}")
        application = ExhibitorApplication.objects.create(
            event=event, ikm=ikm, status=Status.ACCEPTED, decided_at=now, booth=f"A{n}"
        )
        application.products.set([make_product(ikm), make_product(ikm)])
    rejected = make_ikm(name="Ditolak Jaya", slug="ditolak-jaya")
    ExhibitorApplication.objects.create(event=event, ikm=rejected, status=Status.REJECTED, decided_at=now, reason="x")
    ProgrammeItem.objects.create(event=event, starts_at=wib(2022, 6, 20, 9), title="Pembukaan", place="Panggung utama")
    ProgrammeItem.objects.create(event=event, starts_at=wib(2022, 6, 20, 13, 30), title="Penjurian", place="Aula")
    winner = ExhibitorApplication.objects.filter(event=event).order_by("pk").first().ikm
    Award.objects.create(
        event=event, category="Kopi Robusta", title="Juara 1", ikm=winner, product=winner.products.first()
    )
    Award.objects.create(event=event, category="Kopi Robusta", title="Juara 2", ikm=make_ikm(), position=1)
    return event


# --- /acara/ ------------------------------------------------------------------------------------


def test_list_shows_current_events_first_then_past_most_recent_first(visitor, make_event) -> None:
    now = timezone.now()
    later = make_event(title="Bazar Nanti", starts_at=now + dt.timedelta(days=40))
    soon = make_event(title="Pameran Segera", starts_at=now + dt.timedelta(days=2))
    ongoing = make_event(title="Festival Berlangsung", starts_at=now - dt.timedelta(hours=2))
    old = make_event(title="Lampung Craft 2021", starts_at=now - dt.timedelta(days=700))
    recent = make_event(title="Lampung Craft 2025", starts_at=now - dt.timedelta(days=30))
    make_event(title="Draf Rahasia", status="draft")
    cancelled = make_event(title="Bazar Batal", status="cancelled", starts_at=now + dt.timedelta(days=10))

    response = visitor.get("/acara/")
    assert response.status_code == 200
    html = response.content.decode()
    titles = [ongoing.title, soon.title, cancelled.title, later.title, recent.title, old.title]
    positions = [html.index(t) for t in titles]
    assert positions == sorted(positions)
    assert "Draf Rahasia" not in html
    assert response.context["current_events"] == [ongoing, soon, cancelled, later]
    assert response.context["past_events"] == [recent, old]
    assert 'class="card event-card is-cancelled"' in html  # a cancelled event stays, clearly marked


def test_list_filters_by_kind_region_and_year(visitor, make_event) -> None:
    pameran = make_event(kind="pameran", starts_at=wib(2023, 5, 1, 9), region_id="18.71")
    lomba = make_event(kind="lomba", starts_at=wib(2024, 5, 1, 9), region_id="18.04")
    new_year = make_event(kind="bazar", starts_at=wib(2024, 1, 1, 0, 30), region_id="18.72")  # 2023 in UTC

    def listed(query: str) -> set[Event]:
        response = visitor.get("/acara/" + query)
        assert response.status_code == 200
        return set(response.context["current_events"] + response.context["past_events"])

    assert listed("?kind=lomba") == {lomba}
    assert listed("?region=18.04") == {lomba}
    assert listed("?year=2023") == {pameran}
    assert listed("?year=2024") == {lomba, new_year}  # the year in WIB, not UTC
    assert listed("?kind=pameran&region=18.71&year=2023") == {pameran}
    assert listed("?kind=pameran&year=2024") == set()


@pytest.mark.parametrize(
    "query",
    ["?kind=konser", "?region=99.99", "?region=", "?year=abc", "?year=1800", "?page=abc", "?page=999", "?kind=%00"],
)
def test_bad_filter_values_are_ignored_never_an_error(visitor, make_event, query) -> None:
    events = {make_event(), make_event(kind="lomba")}
    response = visitor.get("/acara/" + query)
    assert response.status_code == 200
    assert set(response.context["current_events"]) == events


def test_list_filter_form_keeps_the_chosen_values(visitor, make_event) -> None:
    make_event(starts_at=wib(2023, 5, 1, 9))
    html = visitor.get("/acara/?kind=lomba&region=18.04&year=2023").content.decode()
    assert re.search(r'<option value="lomba" selected>', html)
    assert re.search(r'<option value="18.04" selected>', html)
    assert re.search(r'<option value="2023" selected>', html)


def test_list_paginates(visitor, make_event) -> None:
    for _ in range(30):
        make_event()
    first = visitor.get("/acara/")
    assert len(first.context["current_events"]) == 24
    second = visitor.get("/acara/?page=2")
    assert len(second.context["current_events"]) == 6
    assert 'rel="prev"' in second.content.decode()


@pytest.mark.parametrize("logged_in", [False, True])
def test_list_stays_within_eight_queries(
    client, owner, owner_ikm, make_event, django_assert_max_num_queries, logged_in
):
    now = timezone.now()
    for n in range(40):
        make_event(
            starts_at=now + dt.timedelta(days=n - 20),
            region_id=["18.71", "18.01", "18.04"][n % 3],
            applications_open_at=now - dt.timedelta(days=1),
            applications_close_at=now + dt.timedelta(days=1),
        )
    if logged_in:
        client.force_login(owner)
    with django_assert_max_num_queries(8):
        response = client.get("/acara/?region=18.71")
    assert response.status_code == 200


def test_english_list(visitor, make_event) -> None:
    make_event(kind="temu_bisnis")
    html = visitor.get("/en/acara/").content.decode()
    assert "Business matching" in html and "Upcoming and ongoing" in html


# --- /acara/<slug>/ -----------------------------------------------------------------------------


def test_event_page_shows_everything(visitor, busy_event) -> None:
    response = visitor.get("/acara/festival-kopi-lampung-2022/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Festival Kopi Lampung 2022</h1>" in html
    assert "20 Juni 2022, 09.00–16.00 WIB" in html
    assert 'datetime="2022-06-20T09:00:00+07:00"' in html
    assert "Graha Wangsa" in html and "Kota Bandar Lampung" in html
    assert "https://www.openstreetmap.org/?mlat=-5.428700&amp;mlon=105.261800" in html
    assert "Pembukaan" in html and "13.30" in html and "Panggung utama" in html
    # Exhibitors: the 22 accepted ones, linking to their pages; never the rejected one.
    for n in range(22):
        assert f'href="/ikm/kopi-sai-{n:02d}/"' in html
    assert "Ditolak Jaya" not in html
    assert html.count('class="card exhibitor-card"') == 22
    # Featured products link to their pages; awards with their category and winner.
    assert len(response.context["featured_products"]) == 24
    assert 'href="/produk/keripik-pisang-contoh-' in html
    assert "Kopi Robusta" in html and "Juara 1" in html and "Juara 2" in html
    assert 'href="/acara/festival-kopi-lampung-2022.ics"' in html
    assert _id("Add to calendar") in html


def test_event_page_in_english(visitor, busy_event) -> None:
    html = visitor.get("/en/acara/festival-kopi-lampung-2022/").content.decode()
    assert "20 June 2022, 09:00–16:00 WIB" in html
    assert "Add to calendar" in html and 'href="/en/acara/festival-kopi-lampung-2022.ics"' in html


def test_multi_day_event_reads_both_dates(visitor, make_event) -> None:
    make_event(slug="lampung-craft", starts_at=wib(2024, 11, 27, 10), ends_at=wib(2024, 12, 1, 21))
    html = visitor.get("/acara/lampung-craft/").content.decode()
    assert "27 November 2024, 10.00 – 1 Desember 2024, 21.00 WIB" in html


@pytest.mark.parametrize("logged_in", [False, True])
def test_event_page_stays_within_twelve_queries(
    client, busy_event, owner, owner_ikm, make_product, django_assert_max_num_queries, logged_in
) -> None:
    now = timezone.now()
    Event.objects.filter(pk=busy_event.pk).update(
        applications_open_at=now - dt.timedelta(days=1), applications_close_at=now + dt.timedelta(days=1)
    )
    for _ in range(6):
        make_product(owner_ikm)
    if logged_in:
        client.force_login(owner)
    with django_assert_max_num_queries(12):
        response = client.get(busy_event.get_absolute_url())
    assert response.status_code == 200
    assert (response.context["form"] is not None) == logged_in


def test_draft_event_is_404_to_the_public_and_a_preview_for_staff(client, make_event, owner, staff_user) -> None:
    event = make_event(slug="draf", status="draft")
    assert client.get("/acara/draf/").status_code == 404
    assert client.get("/acara/draf.ics").status_code == 404
    client.force_login(owner)
    assert client.get("/acara/draf/").status_code == 404
    client.force_login(staff_user)
    response = client.get("/acara/draf/")
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert response.context["event"] == event
    assert client.get("/acara/draf.ics").status_code == 200


def test_cancelled_event_stays_visible_clearly_marked(visitor, make_event) -> None:
    make_event(slug="batal", status="cancelled", cancellation_note="Ditunda ke tahun depan.")
    response = visitor.get("/acara/batal/")
    assert response.status_code == 200
    html = response.content.decode()
    assert _id("This event is cancelled.") in html and "Ditunda ke tahun depan." in html
    assert "event-notice-cancelled" in html
    data = _jsonld(html)
    assert data["eventStatus"] == "https://schema.org/EventCancelled"


def test_unknown_event_is_404(visitor) -> None:
    assert visitor.get("/acara/tidak-ada/").status_code == 404


# --- JSON-LD ------------------------------------------------------------------------------------


def _jsonld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json" nonce="[^"]+">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD script with a nonce"
    return json.loads(match.group(1))


def test_jsonld_describes_the_event(visitor, busy_event) -> None:
    html = visitor.get(busy_event.get_absolute_url()).content.decode()
    data = _jsonld(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"  # a competition is a plain Event
    assert data["name"] == "Festival Kopi Lampung 2022"
    assert data["startDate"] == "2022-06-20T09:00:00+07:00"
    assert data["endDate"] == "2022-06-20T16:00:00+07:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["organizer"] == {"@type": "Organization", "name": "Dekranasda Provinsi Lampung"}
    assert data["url"] == "http://testserver/acara/festival-kopi-lampung-2022/"
    location = data["location"]
    assert location["@type"] == "Place" and location["name"] == "Graha Wangsa"
    assert location["address"]["addressLocality"] == "Kota Bandar Lampung"
    assert location["address"]["addressCountry"] == "ID"
    assert location["geo"] == {"@type": "GeoCoordinates", "latitude": -5.4287, "longitude": 105.2618}


def test_jsonld_for_hybrid_exhibition_has_both_locations(visitor, make_event) -> None:
    event = make_event(kind="pameran", attendance_mode="mixed", online_url="https://youtube.com/live/x")
    data = _jsonld(visitor.get(event.get_absolute_url()).content.decode())
    assert data["@type"] == "ExhibitionEvent"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [loc["@type"] for loc in data["location"]] == ["Place", "VirtualLocation"]
    online = make_event(attendance_mode="online", online_url="https://zoom.us/j/1", venue_name="", region_id=None)
    data = _jsonld(visitor.get(online.get_absolute_url()).content.decode())
    assert data["location"] == {"@type": "VirtualLocation", "url": "https://zoom.us/j/1"}


def test_jsonld_cannot_break_out_of_its_script(visitor, make_event) -> None:
    evil = '</script><script>alert("x")</script><!-- & more'
    event = make_event(title=evil, summary=evil, organiser=evil)
    html = visitor.get(event.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert html.count("</script>") == html.count("<script")  # every script closes where it should
    data = _jsonld(html)
    assert data["name"] == evil and data["organizer"]["name"] == evil


# --- Applying from the event page ---------------------------------------------------------------


def test_visitor_is_invited_to_log_in_to_apply(visitor, open_event) -> None:
    html = visitor.get(open_event.get_absolute_url()).content.decode()
    assert "/akun/login/?next=/acara/lampung-craft-2026/daftar/" in html.replace("%2F", "/")


def test_anonymous_apply_goes_to_login(visitor, open_event) -> None:
    response = visitor.get("/acara/lampung-craft-2026/daftar/")
    assert response.status_code == 302 and response.url.startswith("/akun/login/")
    response = visitor.post("/acara/lampung-craft-2026/daftar/", {"note": "x"})
    assert response.status_code == 302 and response.url.startswith("/akun/login/")
    assert not ExhibitorApplication.objects.exists()


def test_owner_applies_with_two_products(owner_client, open_event, owner_ikm, make_product) -> None:
    first, second, _third = (make_product(owner_ikm) for _ in range(3))
    page = owner_client.get(open_event.get_absolute_url())
    assert page.context["form"] is not None
    assert 'action="/acara/lampung-craft-2026/daftar/"' in page.content.decode()
    response = owner_client.post(
        "/acara/lampung-craft-2026/daftar/", {"products": [first.pk, second.pk], "note": "Stan dekat pintu."}
    )
    assert response.status_code == 302 and response.url == open_event.get_absolute_url()
    application = ExhibitorApplication.objects.get(event=open_event, ikm=owner_ikm)
    assert set(application.products.all()) == {first, second}
    assert application.note == "Stan dekat pintu." and application.status == Status.SUBMITTED
    html = owner_client.get(response.url).content.decode()
    assert "status-submitted" in html and _id("Withdraw the application") in html


def test_another_ikms_product_is_refused_with_a_message(owner_client, open_event, owner_ikm, other_ikm, make_product):
    mine, theirs = make_product(owner_ikm), make_product(other_ikm)
    response = owner_client.post(
        "/acara/lampung-craft-2026/daftar/", {"products": [mine.pk, theirs.pk], "note": "Catatan saya"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["products"]
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and "Catatan saya" in html  # the typed note is kept
    assert not ExhibitorApplication.objects.exists()


def test_more_than_five_products_is_refused_with_a_message(owner_client, open_event, owner_ikm, make_product):
    products = [make_product(owner_ikm).pk for _ in range(6)]
    response = owner_client.post("/acara/lampung-craft-2026/daftar/", {"products": products})
    assert response.status_code == 200
    assert response.context["form"].errors["products"] == [_id("Choose at most %(max)d products.") % {"max": 5}]
    assert not ExhibitorApplication.objects.exists()


def test_note_too_long_is_refused_and_kept(owner_client, open_event, owner_ikm) -> None:
    response = owner_client.post("/acara/lampung-craft-2026/daftar/", {"note": "x" * 1001})
    assert response.status_code == 200 and "note" in response.context["form"].errors
    assert not ExhibitorApplication.objects.exists()


def test_applying_outside_the_window_is_refused_with_a_message(owner_client, make_event, owner_ikm) -> None:
    now = timezone.now()
    event = make_event(
        slug="tutup", applications_open_at=now - dt.timedelta(days=9), applications_close_at=now - dt.timedelta(days=1)
    )
    response = owner_client.post("/acara/tutup/daftar/", {"note": "x"}, follow=True)
    assert response.redirect_chain[-1][0] == event.get_absolute_url()
    assert [str(m) for m in response.context["messages"]] == [_id("Applications for this event are not open.")]
    assert not ExhibitorApplication.objects.exists()


def test_unverified_ikm_gets_a_clear_message(client, make_ikm, owner, open_event) -> None:
    make_ikm(owner=owner, status="submitted")
    client.force_login(owner)
    response = client.get("/acara/lampung-craft-2026/daftar/", follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [_id("Only a verified IKM can apply. Your IKM profile is not verified yet (or is suspended).")]
    assert response.context["form"] is None


def test_user_without_ikm_gets_a_clear_message(client, make_user, open_event) -> None:
    client.force_login(make_user())
    response = client.post("/acara/lampung-craft-2026/daftar/", {"note": "x"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        _id("To exhibit, register your IKM first; once it is verified you can apply.")
    ]


def test_applying_twice_shows_the_status_instead(owner_client, open_event, owner_ikm, owner) -> None:
    services.application_submit(event=open_event, ikm=owner_ikm, user=owner, products=[])
    response = owner_client.post("/acara/lampung-craft-2026/daftar/", {"note": "lagi"}, follow=True)
    assert ExhibitorApplication.objects.count() == 1
    assert response.context["application"].status == Status.SUBMITTED


def test_draft_event_apply_is_404(owner_client, make_event, owner_ikm) -> None:
    now = timezone.now()
    make_event(slug="draf", status="draft", applications_open_at=now, applications_close_at=now + dt.timedelta(days=1))
    assert owner_client.get("/acara/draf/daftar/").status_code == 404


# --- Withdrawing --------------------------------------------------------------------------------


def test_withdraw_permissions(open_event, owner, owner_ikm, other_owner, other_ikm) -> None:
    url = "/acara/lampung-craft-2026/daftar/tarik/"
    application = services.application_submit(event=open_event, ikm=owner_ikm, user=owner, products=[])
    anonymous = Client()
    response = anonymous.post(url)
    assert response.status_code == 302 and response.url.startswith("/akun/login/")
    intruder = Client()
    intruder.force_login(other_owner)
    assert intruder.post(url).status_code == 404  # another owner cannot even learn that it exists
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    owner_browser = Client()
    owner_browser.force_login(owner)
    assert owner_browser.get(url).status_code == 405
    response = owner_browser.post(url, {"next": "/dasbor/"})
    assert response.status_code == 302 and response.url == "/dasbor/"
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN


def test_withdraw_ignores_an_outside_next(owner_client, open_event, owner_ikm, owner) -> None:
    services.application_submit(event=open_event, ikm=owner_ikm, user=owner, products=[])
    response = owner_client.post("/acara/lampung-craft-2026/daftar/tarik/", {"next": "https://evil.example/"})
    assert response.url == open_event.get_absolute_url()


def test_withdraw_after_the_window_shows_a_message(owner_client, open_event, owner_ikm, owner) -> None:
    application = services.application_submit(event=open_event, ikm=owner_ikm, user=owner, products=[])
    Event.objects.filter(pk=open_event.pk).update(applications_close_at=timezone.now() - dt.timedelta(seconds=1))
    response = owner_client.post("/acara/lampung-craft-2026/daftar/tarik/", follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        _id("The application window has closed; contact the organisers to withdraw.")
    ]
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


# --- The dashboard panel and the IKM/product page sections --------------------------------------


def _render(source: str, **context) -> str:
    request = RequestFactory().get("/dasbor/")
    return Template(source).render(Context({"request": request, **context}))


def test_dashboard_panel_shows_applications_and_open_calls(
    owner_ikm, open_event, make_event, owner, staff_user, django_assert_max_num_queries
) -> None:
    now = timezone.now()
    other_call = make_event(
        title="Bazar Ramadan",
        applications_open_at=now - dt.timedelta(days=1),
        applications_close_at=now + dt.timedelta(days=3),
    )
    make_event(title="Draf Tersembunyi", status="draft", applications_open_at=now, applications_close_at=now)
    application = services.application_submit(event=open_event, ikm=owner_ikm, user=owner, products=[])
    services.application_reject(application=application, actor=staff_user, reason="Kuota penuh.")
    with django_assert_max_num_queries(2):
        html = _render('{% include "exhibitions/includes/dashboard_panel.html" %}', ikm=owner_ikm)
    assert "Lampung Craft 2026" in html and "Kuota penuh." in html
    assert f'href="/acara/{other_call.slug}/daftar/"' in html  # an open call it has not applied to
    assert "Draf Tersembunyi" not in html


def test_dashboard_panel_offers_withdraw_while_the_window_is_open(owner_ikm, open_event, owner) -> None:
    services.application_submit(event=open_event, ikm=owner_ikm, user=owner, products=[])
    html = _render('{% include "exhibitions/includes/dashboard_panel.html" %}', ikm=owner_ikm)
    assert 'action="/acara/lampung-craft-2026/daftar/tarik/"' in html
    assert 'name="next" value="/dasbor/"' in html


def test_ikm_and_product_pages_list_events_newest_first_with_award_badges(
    make_event, owner_ikm, make_product, django_assert_max_num_queries
) -> None:
    product = make_product(owner_ikm)
    now = timezone.now()
    old = make_event(title="Lampung Craft 2022", starts_at=now - dt.timedelta(days=900))
    new = make_event(title="Lampung Craft 2024", starts_at=now - dt.timedelta(days=200))
    contest = make_event(title="Lomba Kopi 2023", kind="lomba", starts_at=now - dt.timedelta(days=500))
    cancelled = make_event(title="Bazar Batal", status="cancelled")
    for event in (old, new, cancelled):
        application = ExhibitorApplication.objects.create(
            event=event, ikm=owner_ikm, status=Status.ACCEPTED, decided_at=now
        )
        application.products.set([product])
    Award.objects.create(event=contest, category="Robusta", title="Juara 1", ikm=owner_ikm, product=product)
    Award.objects.create(event=contest, category="Kemasan", title="Favorit", ikm=owner_ikm, position=2)

    with django_assert_max_num_queries(1):
        html = _render("{% load exhibitions_tags %}{% ikm_events ikm %}", ikm=owner_ikm)
    assert html.index("Lampung Craft 2024") < html.index("Lomba Kopi 2023") < html.index("Lampung Craft 2022")
    assert "Bazar Batal" not in html
    assert html.index("Favorit · Kemasan") < html.index(f"Juara 1 · Robusta · {product.name}")

    with django_assert_max_num_queries(1):
        html = _render("{% load exhibitions_tags %}{% product_events product %}", product=product)
    assert html.index("Lampung Craft 2024") < html.index("Lomba Kopi 2023") < html.index("Lampung Craft 2022")
    assert "Juara 1 · Robusta" in html and "Favorit" not in html  # only the product's own awards

    assert (
        _render("{% load exhibitions_tags %}{% product_events product %}", product=make_product(owner_ikm)).strip()
        == ""
    )


def test_a_refusal_from_the_service_shows_on_the_form_never_a_500(owner_client, open_event, owner_ikm, monkeypatch):
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):
        raise ValidationError({"products": ["Produk ditolak."], "something_else": ["Ditolak juga."]})

    monkeypatch.setattr(services, "application_submit", refuse)
    response = owner_client.post("/acara/lampung-craft-2026/daftar/", {"note": "x"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["products"] == ["Produk ditolak."]
    assert form.non_field_errors() == ["Ditolak juga."]


def test_banner_shows_as_a_responsive_image_and_in_jsonld(visitor, make_event) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from galeri.images import prepare_image, store_image

    buffer = io.BytesIO()
    Image.new("RGB", (1600, 700), (37, 52, 99)).save(buffer, format="JPEG")
    stored = store_image(prepare_image(SimpleUploadedFile("b.jpg", buffer.getvalue())), folder="events")
    event = make_event(banner=stored.name, banner_width=stored.width, banner_height=stored.height)
    folder = stored.name.rsplit("/", 1)[0]

    card = visitor.get("/acara/").content.decode()
    assert f"/media/{folder}/w640.webp" in card and 'loading="lazy"' in card and 'alt=""' in card

    page = visitor.get(event.get_absolute_url()).content.decode()
    assert f'srcset="/media/{folder}/w320.webp 320w' in page
    assert f'alt="{event.title}"' in page and 'loading="eager"' in page
    assert _jsonld(page)["image"] == [f"http://testserver/media/{folder}/w1280.webp"]


def test_a_user_without_ikm_is_pointed_to_registering_one(client, make_user, open_event) -> None:
    from django.urls import NoReverseMatch, reverse

    client.force_login(make_user())
    html = client.get(open_event.get_absolute_url()).content.decode()
    assert _id("To exhibit, register your IKM first; once it is verified you can apply.") in html
    try:
        assert f'href="{reverse("ikm:profile-create")}"' in html
    except NoReverseMatch:
        pass  # the IKM app's registration page is not wired: the message alone


def test_cached_event_cards_follow_changes_and_the_language(settings, visitor, make_event) -> None:
    """The cards' HTML is cached under the pages' version: an edit, a cancellation or a new event shows at once."""
    settings.PAGE_CACHE_SECONDS = 0  # rendered every time: the card fragment is under test, not the page cache
    event = make_event(title="Pameran Tapis")
    assert "Pameran Tapis" in visitor.get("/acara/").content.decode()
    event.title = "Pameran Tapis dan Songket"
    event.save()
    html = visitor.get("/acara/").content.decode()
    assert "Pameran Tapis dan Songket" in html
    event.status = Event.Status.CANCELLED
    event.save()
    assert "badge-cancelled" in visitor.get("/acara/").content.decode()
    make_event(title="Festival Kopi")
    assert "Festival Kopi" in visitor.get("/acara/").content.decode()
    english = visitor.get("/en/acara/").content.decode()
    assert ">Cancelled</span>" in english and ">Dibatalkan</span>" not in english


def test_cached_event_sections_follow_changes(settings, visitor, busy_event, make_ikm) -> None:
    """The programme, winners and exhibitors are cached under the pages' and the catalog's version."""
    settings.PAGE_CACHE_SECONDS = 0  # rendered every time: the sections' fragment is under test
    url = "/acara/festival-kopi-lampung-2022/"
    assert "Penutupan" not in visitor.get(url).content.decode()
    ProgrammeItem.objects.create(event=busy_event, starts_at=wib(2022, 6, 20, 15), title="Penutupan", place="Aula")
    html = visitor.get(url).content.decode()
    assert "Penutupan" in html and html.count('class="card exhibitor-card"') == 22
    newcomer = make_ikm(name="Kopi Pendatang", slug="kopi-pendatang")
    ExhibitorApplication.objects.create(
        event=busy_event, ikm=newcomer, status=Status.ACCEPTED, decided_at=timezone.now()
    )
    assert visitor.get(url).content.decode().count('class="card exhibitor-card"') == 23
    newcomer.is_suspended = True  # an IKM change (the catalog's version) hides it too
    newcomer.save()
    html = visitor.get(url).content.decode()
    assert html.count('class="card exhibitor-card"') == 22 and "Kopi Pendatang" not in html
    Award.objects.filter(event=busy_event, title="Juara 2").update(title="Juara Harapan")  # no signal
    assert "Juara Harapan" not in visitor.get(url).content.decode()  # the stated delay: up to a minute
    english = visitor.get("/en" + url).content.decode()
    assert "Juara Harapan" in english and ">Winners</h2>" in english
