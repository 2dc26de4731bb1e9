import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext

from exhibitions import services
from exhibitions.models import Event, ExhibitorApplication
from moderation.models import Decision

pytestmark = pytest.mark.django_db

Status = ExhibitorApplication.Status


def _codes(exc: ValidationError) -> set[str]:
    if hasattr(exc, "error_dict"):
        return {e.code for errors in exc.error_dict.values() for e in errors}
    return {e.code for e in exc.error_list}


# --- Submitting ---------------------------------------------------------------------------------


def test_owner_applies_with_own_published_products(open_event, owner, owner_ikm, make_product) -> None:
    products = [make_product(owner_ikm), make_product(owner_ikm)]
    application = services.application_submit(
        event=open_event, ikm=owner_ikm, user=owner, products=products, note="  Butuh listrik.  "
    )
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert set(application.products.all()) == set(products)
    assert application.note == "Butuh listrik."
    decision = Decision.objects.for_object(application).get()
    assert (decision.from_status, decision.to_status, decision.actor) == ("", "submitted", None)


def test_only_the_owner_applies_for_an_ikm(open_event, other_owner, owner_ikm) -> None:
    with pytest.raises(PermissionDenied):
        services.application_submit(event=open_event, ikm=owner_ikm, user=other_owner, products=[])
    assert not ExhibitorApplication.objects.exists()


@pytest.mark.parametrize(
    ("opens", "closes"),
    [
        pytest.param(dt.timedelta(days=1), dt.timedelta(days=5), id="not yet open"),
        pytest.param(dt.timedelta(days=-5), dt.timedelta(days=-1), id="closed"),
    ],
)
def test_applying_outside_the_window_is_refused(make_event, owner, owner_ikm, opens, closes) -> None:
    now = timezone.now()
    event = make_event(applications_open_at=now + opens, applications_close_at=now + closes)
    with pytest.raises(ValidationError) as info:
        services.application_submit(event=event, ikm=owner_ikm, user=owner, products=[])
    assert _codes(info.value) == {"window_closed"}


@pytest.mark.parametrize("status", ["draft", "cancelled"])
def test_applying_to_an_event_that_is_not_published_is_refused(open_event, owner, owner_ikm, status) -> None:
    Event.objects.filter(pk=open_event.pk).update(status=status)
    open_event.refresh_from_db()
    with pytest.raises(ValidationError):
        services.application_submit(event=open_event, ikm=owner_ikm, user=owner, products=[])


@pytest.mark.parametrize(
    "fields", [{"status": "submitted"}, {"status": "draft"}, {"is_suspended": True, "suspended_reason": "x"}]
)
def test_only_a_verified_active_ikm_applies(open_event, make_ikm, owner, fields) -> None:
    ikm = make_ikm(owner=owner, **fields)
    with pytest.raises(ValidationError) as info:
        services.application_submit(event=open_event, ikm=ikm, user=owner, products=[])
    assert _codes(info.value) == {"ikm_not_verified"}


def test_another_ikms_product_is_refused(open_event, owner, owner_ikm, other_ikm, make_product) -> None:
    with pytest.raises(ValidationError) as info:
        services.application_submit(
            event=open_event, ikm=owner_ikm, user=owner, products=[make_product(owner_ikm), make_product(other_ikm)]
        )
    assert _codes(info.value) == {"not_own_product"}
    assert not ExhibitorApplication.objects.exists()


def test_an_unpublished_product_is_refused(open_event, owner, owner_ikm, make_product) -> None:
    draft = make_product(owner_ikm, status="draft")
    with pytest.raises(ValidationError) as info:
        services.application_submit(event=open_event, ikm=owner_ikm, user=owner, products=[draft])
    assert _codes(info.value) == {"not_own_product"}


def test_at_most_five_products(open_event, owner, owner_ikm, make_product) -> None:
    products = [make_product(owner_ikm) for _ in range(6)]
    with pytest.raises(ValidationError) as info:
        services.application_submit(event=open_event, ikm=owner_ikm, user=owner, products=products)
    assert _codes(info.value) == {"too_many_products"}
    application = services.application_submit(event=open_event, ikm=owner_ikm, user=owner, products=products[:5])
    assert application.products.count() == 5


def test_one_application_per_ikm_per_event_but_a_withdrawn_one_can_be_renewed(open_event, owner, owner_ikm) -> None:
    first = services.application_submit(event=open_event, ikm=owner_ikm, user=owner, products=[])
    with pytest.raises(ValidationError) as info:
        services.application_submit(event=open_event, ikm=owner_ikm, user=owner, products=[])
    assert _codes(info.value) == {"already_applied"}
    services.application_withdraw(application=first, user=owner)
    again = services.application_submit(event=open_event, ikm=owner_ikm, user=owner, products=[], note="Lagi")
    assert again.pk == first.pk and again.status == Status.SUBMITTED and again.note == "Lagi"
    assert (
        list(Decision.objects.for_object(first).values_list("to_status", flat=True))
        == [
            "submitted",
            "withdrawn",
            "submitted",
        ][::-1]
    )


# --- Withdrawing --------------------------------------------------------------------------------


def test_owner_withdraws_while_the_window_is_open(open_event, owner, owner_ikm, staff_user) -> None:
    application = services.application_submit(event=open_event, ikm=owner_ikm, user=owner, products=[])
    services.application_accept(application=application, actor=staff_user, booth="B7")
    services.application_withdraw(application=application, user=owner)
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN and application.booth == ""
    assert services.accepted_count(open_event) == 0  # the place is free again


def test_another_owner_cannot_withdraw(open_event, owner, owner_ikm, other_owner) -> None:
    application = services.application_submit(event=open_event, ikm=owner_ikm, user=owner, products=[])
    with pytest.raises(PermissionDenied):
        services.application_withdraw(application=application, user=other_owner)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_withdrawing_after_the_window_closed_is_refused(open_event, owner, owner_ikm) -> None:
    application = services.application_submit(event=open_event, ikm=owner_ikm, user=owner, products=[])
    Event.objects.filter(pk=open_event.pk).update(applications_close_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError) as info:
        services.application_withdraw(application=application, user=owner)
    assert _codes(info.value) == {"window_closed"}


def test_a_rejected_application_cannot_be_withdrawn(open_event, owner, owner_ikm, staff_user) -> None:
    application = services.application_submit(event=open_event, ikm=owner_ikm, user=owner, products=[])
    services.application_reject(application=application, actor=staff_user, reason="Kuota sektor penuh.")
    with pytest.raises(ValidationError):
        services.application_withdraw(application=application, user=owner)


# --- Decisions ----------------------------------------------------------------------------------


def test_accept_records_the_decision_and_mails_the_owner_in_indonesian(
    open_event, make_application, staff_user, django_capture_on_commit_callbacks
) -> None:
    application = make_application(open_event)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_accept(application=application, actor=staff_user, booth="A3")
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED and application.booth == "A3"
    assert application.decided_by == staff_user and application.decided_at is not None
    decision = Decision.objects.for_object(application).get()
    assert (decision.from_status, decision.to_status, decision.actor) == ("submitted", "accepted", staff_user)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [application.ikm.owner.email]
    assert open_event.title in message.subject and "A3" in message.body
    assert "http://" in message.body and open_event.get_absolute_url() in message.body
    with translation.override("id"):
        assert gettext("Event page") in message.body  # rendered in Indonesian whatever the request language


def test_waitlist_and_reject_record_decisions_and_mail(
    open_event, make_application, staff_user, django_capture_on_commit_callbacks
) -> None:
    waiting, rejected = make_application(open_event), make_application(open_event)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_waitlist(application=waiting, actor=staff_user)
        services.application_reject(application=rejected, actor=staff_user, reason="Produk belum sesuai tema.")
    waiting.refresh_from_db()
    rejected.refresh_from_db()
    assert waiting.status == Status.WAITLISTED
    assert rejected.status == Status.REJECTED and rejected.reason == "Produk belum sesuai tema."
    assert Decision.objects.for_object(rejected).get().reason == "Produk belum sesuai tema."
    assert len(mail.outbox) == 2
    assert "Produk belum sesuai tema." in mail.outbox[1].body


def test_reject_needs_a_reason(open_event, make_application, staff_user) -> None:
    application = make_application(open_event)
    with pytest.raises(ValidationError):
        services.application_reject(application=application, actor=staff_user, reason="   ")
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_only_staff_decide(open_event, make_application, owner) -> None:
    application = make_application(open_event)
    for decide in (services.application_accept, services.application_waitlist):
        with pytest.raises(PermissionDenied):
            decide(application=application, actor=owner)
    with pytest.raises(PermissionDenied):
        services.application_reject(application=application, actor=owner, reason="x")
    with pytest.raises(PermissionDenied):
        services.event_publish(event=open_event, actor=owner)


def test_a_withdrawn_application_cannot_be_accepted(open_event, owner, owner_ikm, staff_user) -> None:
    application = services.application_submit(event=open_event, ikm=owner_ikm, user=owner, products=[])
    services.application_withdraw(application=application, user=owner)
    with pytest.raises(ValidationError):
        services.application_accept(application=application, actor=staff_user)


def test_places_are_never_exceeded(
    open_event, make_application, staff_user, django_capture_on_commit_callbacks
) -> None:
    applications = [make_application(open_event) for _ in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        for application in applications[:3]:
            services.application_accept(application=application, actor=staff_user)
        with pytest.raises(ValidationError) as info:
            services.application_accept(application=applications[3], actor=staff_user)
    assert _codes(info.value) == {"full"}
    assert services.accepted_count(open_event) == 3
    assert len(mail.outbox) == 3  # the refused decision mailed nobody
    applications[3].refresh_from_db()
    assert applications[3].status == Status.SUBMITTED
    # Re-accepting an accepted exhibitor (to change the booth) does not need a free place.
    services.application_accept(application=applications[0], actor=staff_user, booth="C1")
    # Waitlisting one frees its place for the fourth.
    services.application_waitlist(application=applications[1], actor=staff_user)
    services.application_accept(application=applications[3], actor=staff_user)
    assert services.accepted_count(open_event) == 3


def test_unlimited_places_when_places_is_empty(make_event, make_application, staff_user) -> None:
    event = make_event(places=None)
    for _ in range(5):
        services.application_accept(application=make_application(event), actor=staff_user)
    assert services.accepted_count(event) == 5


# --- Events -------------------------------------------------------------------------------------


def test_publish_and_cancel_are_logged_and_cancelling_tells_applicants(
    make_event, make_application, staff_user, django_capture_on_commit_callbacks
) -> None:
    event = make_event(status="draft")
    services.event_publish(event=event, actor=staff_user)
    event.refresh_from_db()
    assert event.status == "published" and event.published_at is not None
    accepted, withdrawn = make_application(event), make_application(event, status="withdrawn")
    services.application_accept(application=accepted, actor=staff_user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(event=event, actor=staff_user, note="Ditunda karena cuaca.")
    event.refresh_from_db()
    assert event.status == "cancelled" and event.cancellation_note == "Ditunda karena cuaca."
    assert [m.to for m in mail.outbox] == [[accepted.ikm.owner.email]]
    assert withdrawn.ikm.owner.email not in str([m.to for m in mail.outbox])
    assert list(Decision.objects.for_object(event).values_list("to_status", flat=True)) == ["cancelled", "published"]
