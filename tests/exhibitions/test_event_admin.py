import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.utils import timezone

from exhibitions.models import Award, Event, ExhibitorApplication, ProgrammeItem
from moderation.models import Decision

pytestmark = pytest.mark.django_db

EVENTS = "/admin/exhibitions/event/"
APPLICATIONS = "/admin/exhibitions/exhibitorapplication/"


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_admin_pages_answer_for_staff_and_not_for_owners(staff_client, make_event, make_application, owner) -> None:
    event = make_event()
    application = make_application(event)
    for url in (
        EVENTS,
        f"{EVENTS}add/",
        f"{EVENTS}{event.pk}/change/",
        APPLICATIONS,
        f"{APPLICATIONS}{application.pk}/change/",
    ):
        assert staff_client.get(url).status_code == 200, url
    assert staff_client.get(f"{APPLICATIONS}add/").status_code == 403  # owners apply; staff decide
    staff_client.force_login(owner)
    response = staff_client.get(EVENTS)
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_staff_create_an_event_with_programme_and_awards_in_the_admin(staff_client, make_ikm, make_product) -> None:
    ikm = make_ikm()
    product = make_product(ikm)
    data = {
        "kind": "lomba",
        "title": "Lomba Kopi Lampung 2025",
        "slug": "lomba-kopi-lampung-2025",
        "summary": "Lomba cita rasa kopi robusta.",
        "description": "",
        "starts_at_0": "2025-08-17",
        "starts_at_1": "09:00:00",
        "ends_at_0": "2025-08-17",
        "ends_at_1": "16:00:00",
        "attendance_mode": "offline",
        "venue_name": "Lapangan Saburai",
        "venue_address": "Enggal",
        "region": "18.71",
        "latitude": "",
        "longitude": "",
        "online_url": "",
        "organiser": "Disperindag Provinsi Lampung",
        "organiser_url": "",
        "applications_open_at_0": "",
        "applications_open_at_1": "",
        "applications_close_at_0": "",
        "applications_close_at_1": "",
        "places": "",
        "cancellation_note": "",
        "programme_items-TOTAL_FORMS": "1",
        "programme_items-INITIAL_FORMS": "0",
        "programme_items-0-starts_at_0": "2025-08-17",
        "programme_items-0-starts_at_1": "09:00:00",
        "programme_items-0-title": "Pembukaan",
        "programme_items-0-place": "Panggung",
        "awards-TOTAL_FORMS": "1",
        "awards-INITIAL_FORMS": "0",
        "awards-0-category": "Robusta",
        "awards-0-title": "Juara 1",
        "awards-0-ikm": str(ikm.pk),
        "awards-0-product": str(product.pk),
        "awards-0-position": "0",
    }
    response = staff_client.post(f"{EVENTS}add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get(slug="lomba-kopi-lampung-2025")
    assert event.status == "draft"  # published only by the action
    assert event.starts_at == dt.datetime(2025, 8, 17, 2, 0, tzinfo=dt.UTC)  # entered in WIB
    assert ProgrammeItem.objects.get(event=event).title == "Pembukaan"
    assert Award.objects.get(event=event).product == product


def test_admin_refuses_an_event_ending_before_it_starts(staff_client) -> None:
    response = staff_client.post(
        f"{EVENTS}add/",
        {
            "kind": "pameran",
            "title": "Salah",
            "slug": "salah",
            "starts_at_0": "2025-08-17",
            "starts_at_1": "09:00:00",
            "ends_at_0": "2025-08-16",
            "ends_at_1": "09:00:00",
            "attendance_mode": "offline",
            "venue_name": "X",
            "region": "18.71",
            "organiser": "Y",
            "programme_items-TOTAL_FORMS": "0",
            "programme_items-INITIAL_FORMS": "0",
            "awards-TOTAL_FORMS": "0",
            "awards-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "ends_at" in response.context["adminform"].form.errors
    assert not Event.objects.exists()


def test_publish_and_cancel_actions(staff_client, make_event, staff_user) -> None:
    draft = make_event(status="draft")
    response = staff_client.post(EVENTS, {"action": "publish_events", ACTION_CHECKBOX_NAME: [draft.pk]}, follow=True)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_at is not None
    staff_client.post(EVENTS, {"action": "cancel_events", ACTION_CHECKBOX_NAME: [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "cancelled"
    assert Decision.objects.for_object(draft).filter(actor=staff_user).count() == 2


def test_accept_action_never_exceeds_places(
    staff_client, make_event, make_application, django_capture_on_commit_callbacks
) -> None:
    event = make_event(places=2)
    applications = [make_application(event) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            APPLICATIONS,
            {"action": "accept_applications", ACTION_CHECKBOX_NAME: [a.pk for a in applications]},
            follow=True,
        )
    statuses = [ExhibitorApplication.objects.get(pk=a.pk).status for a in applications]
    assert statuses == ["accepted", "accepted", "submitted"]  # first come, first served
    messages = [str(m) for m in response.context["messages"]]
    assert any("2" in m for m in messages) and len(messages) == 2
    assert len(mail.outbox) == 2


def test_waitlist_action(staff_client, make_event, make_application) -> None:
    application = make_application(make_event())
    staff_client.post(APPLICATIONS, {"action": "waitlist_applications", ACTION_CHECKBOX_NAME: [application.pk]})
    application.refresh_from_db()
    assert application.status == "waitlisted"


def test_reject_action_asks_for_a_reason(staff_client, make_event, make_application) -> None:
    event = make_event()
    first, second = make_application(event), make_application(event)
    selected = {"action": "reject_applications", ACTION_CHECKBOX_NAME: [first.pk, second.pk]}
    page = staff_client.post(APPLICATIONS, selected)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="reason"' in html and first.ikm.name in html and second.ikm.name in html
    blank = staff_client.post(APPLICATIONS, {**selected, "apply": "1", "reason": "   "})
    assert blank.status_code == 200 and blank.context["form"].errors["reason"]
    assert ExhibitorApplication.objects.filter(status="rejected").count() == 0
    done = staff_client.post(APPLICATIONS, {**selected, "apply": "1", "reason": "Tidak sesuai tema pameran."})
    assert done.status_code == 302
    for application in (first, second):
        application.refresh_from_db()
        assert application.status == "rejected" and application.reason == "Tidak sesuai tema pameran."


def test_booth_number_is_editable_in_the_list(staff_client, make_event, make_application) -> None:
    event = make_event()
    first, second = make_application(event), make_application(event)
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": str(first.pk),
        "form-0-booth": "A1",
        "form-1-id": str(second.pk),
        "form-1-booth": "A1",
        "_save": "Save",
    }
    response = staff_client.post(APPLICATIONS, data)
    assert response.status_code == 200  # a duplicate booth is refused with a message, not a 500
    data["form-1-booth"] = "A2"
    response = staff_client.post(APPLICATIONS, data)
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.booth, second.booth) == ("A1", "A2")


def test_event_list_in_admin_has_counts(staff_client, make_event, make_application, django_assert_max_num_queries):
    now = timezone.now()
    for _ in range(15):
        event = make_event()
        make_application(event, status="accepted", decided_at=now)
    with django_assert_max_num_queries(12):
        response = staff_client.get(EVENTS)
    assert response.status_code == 200


def _picture(width: int = 1600, height: int = 700) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (122, 31, 43)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _change_form_data(event: Event) -> dict:
    from django.forms.models import model_to_dict

    from exhibitions.forms import EventAdminForm

    data = {k: v for k, v in model_to_dict(event, fields=EventAdminForm._meta.fields).items() if v is not None}
    for name in ("starts_at", "ends_at"):
        local = timezone.localtime(getattr(event, name))
        data[f"{name}_0"], data[f"{name}_1"] = local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")
        del data[name]
    data.update(
        {
            "programme_items-TOTAL_FORMS": "0",
            "programme_items-INITIAL_FORMS": "0",
            "awards-TOTAL_FORMS": "0",
            "awards-INITIAL_FORMS": "0",
        }
    )
    return data


def test_banner_goes_through_the_image_pipeline_and_old_files_are_removed(
    staff_client, make_event, settings, django_capture_on_commit_callbacks
) -> None:
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    event = make_event()
    url = f"{EVENTS}{event.pk}/change/"
    assert 'enctype="multipart/form-data"' in staff_client.get(url).content.decode()
    upload = SimpleUploadedFile("spanduk.jpg", _picture(), content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {**_change_form_data(event), "banner_upload": upload})
    assert response.status_code == 302
    event.refresh_from_db()
    first = event.banner
    assert first.startswith("events/") and (event.banner_width, event.banner_height) == (1600, 700)
    media = Path(settings.MEDIA_ROOT)
    assert (media / first).exists() and (media / first).with_name("w1280.webp").exists()

    upload = SimpleUploadedFile("baru.png", _picture(1400, 600), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {**_change_form_data(event), "banner_upload": upload})
    event.refresh_from_db()
    assert event.banner != first and not (media / first).exists()  # the replaced files are gone

    second = event.banner
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {**_change_form_data(event), "banner_remove": "on"})
    event.refresh_from_db()
    assert event.banner == "" and event.banner_width is None and not (media / second).exists()


def test_a_file_that_is_not_an_image_is_refused_next_to_the_field(staff_client, make_event) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    event = make_event()
    upload = SimpleUploadedFile("spanduk.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    response = staff_client.post(f"{EVENTS}{event.pk}/change/", {**_change_form_data(event), "banner_upload": upload})
    assert response.status_code == 200
    assert "banner_upload" in response.context["adminform"].form.errors
    event.refresh_from_db()
    assert event.banner == ""


def test_staff_who_may_only_view_cannot_decide(client, make_user, make_event, make_application) -> None:
    from django.contrib.auth.models import Permission

    viewer = make_user("pemantau@lampungprov.test", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_exhibitorapplication"))
    client.force_login(viewer)
    application = make_application(make_event())
    assert client.get(APPLICATIONS).status_code == 200
    client.post(APPLICATIONS, {"action": "accept_applications", ACTION_CHECKBOX_NAME: [application.pk]})
    application.refresh_from_db()
    assert application.status == "submitted"
