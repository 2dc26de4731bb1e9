"""Writes with side effects on events and exhibitor applications.

Every function is keyword-only, runs in one transaction, validates with ``full_clean()``, records staff
decisions in the moderation log and mails the owner only after the transaction commits.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalog.models import Product
from exhibitions.models import Event, ExhibitorApplication
from galeri.images import PreparedImage, delete_image, store_image
from galeri.mail import mail_after_commit
from ikm.models import IKM
from moderation.services import decision_record

Status = ExhibitorApplication.Status


# --- Events (staff) ------------------------------------------------------------------------------


def _require_staff(user: object) -> None:
    if not getattr(user, "is_staff", False):
        raise PermissionDenied("Only staff decide on events and applications.")


@transaction.atomic
def event_publish(*, event: Event, actor: object) -> Event:
    """Make a draft (or cancelled) event public and going ahead."""
    _require_staff(actor)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == Event.Status.PUBLISHED:
        return event
    from_status = event.status
    event.status = Event.Status.PUBLISHED
    event.published_at = event.published_at or timezone.now()
    event.cancelled_at = None
    event.full_clean()
    event.save()
    decision_record(target=event, actor=actor, from_status=from_status, to_status=event.status)
    return event


@transaction.atomic
def event_cancel(*, event: Event, actor: object, note: str = "") -> Event:
    """Cancel an event: it stays visible, marked cancelled, and every IKM still in the running is told."""
    _require_staff(actor)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == Event.Status.CANCELLED:
        return event
    from_status = event.status
    event.status = Event.Status.CANCELLED
    event.cancelled_at = timezone.now()
    if note:
        event.cancellation_note = note
    event.full_clean()
    event.save()
    decision_record(target=event, actor=actor, from_status=from_status, to_status=event.status, reason=note)
    if from_status == Event.Status.PUBLISHED:
        for application in event.applications.active().select_related("ikm__owner"):
            _mail_owner(application, "event_cancelled")
    return event


@transaction.atomic
def event_banner_replace(*, event: Event, image: PreparedImage | None, remove: bool = False) -> Event:
    """Store a new banner through the image pipeline (or remove it); the old files are deleted after commit."""
    old = event.banner
    if image is not None:
        stored = store_image(image, folder="events")
        event.banner, event.banner_width, event.banner_height = stored.name, stored.width, stored.height
    elif remove:
        event.banner, event.banner_width, event.banner_height = "", None, None
    else:
        return event
    event.save(update_fields=["banner", "banner_width", "banner_height", "updated_at"])
    if old and old != event.banner:
        transaction.on_commit(lambda: delete_image(old))
    return event


# --- Applications (owners) -----------------------------------------------------------------------


def _check_products(*, ikm: IKM, products: Iterable[Product]) -> list[Product]:
    products = list(products)
    if len(products) > ExhibitorApplication.MAX_PRODUCTS:
        message = _("Choose at most %(max)d products.") % {"max": ExhibitorApplication.MAX_PRODUCTS}
        raise ValidationError({"products": ValidationError(message, code="too_many_products")})
    ids = {p.pk for p in products}
    allowed = set(Product.objects.published().filter(ikm=ikm, pk__in=ids).values_list("pk", flat=True))
    if ids - allowed:
        message = _("Choose only published products of your own IKM.")
        raise ValidationError({"products": ValidationError(message, code="not_own_product")})
    return products


@transaction.atomic
def application_submit(
    *, event: Event, ikm: IKM, user: object, products: Iterable[Product], note: str = ""
) -> ExhibitorApplication:
    """An owner applies for its IKM: only during the window, only a verified active IKM, up to 5 own products.

    An IKM that withdrew may apply again while the window is open; the same row is reused (one per IKM per event).
    """
    if ikm.owner_id != getattr(user, "pk", None):
        raise PermissionDenied("Only the owner applies for an IKM.")
    if not ikm.is_public:
        raise ValidationError(
            _("Only a verified IKM can apply. Complete your profile and wait for verification first."),
            code="ikm_not_verified",
        )
    if not event.is_application_window_open():
        raise ValidationError(_("Applications for this event are not open."), code="window_closed")
    products = _check_products(ikm=ikm, products=products)

    application = ExhibitorApplication.objects.select_for_update().filter(event=event, ikm=ikm).first()
    if application is not None and application.status != Status.WITHDRAWN:
        raise ValidationError(_("Your IKM has already applied for this event."), code="already_applied")
    from_status = application.status if application else ""
    if application is None:
        application = ExhibitorApplication(event=event, ikm=ikm)
    application.status = Status.SUBMITTED
    application.note = note.strip()
    application.reason = ""
    application.booth = ""
    application.submitted_at = timezone.now()
    application.decided_at = None
    application.decided_by = None
    application.full_clean()
    try:
        # A double submit racing this one trips the one-per-IKM constraint: answer as for a second application.
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise ValidationError(_("Your IKM has already applied for this event."), code="already_applied") from None
    application.products.set(products)
    decision_record(target=application, actor=None, from_status=from_status, to_status=application.status)
    return application


@transaction.atomic
def application_withdraw(*, application: ExhibitorApplication, user: object) -> ExhibitorApplication:
    """The owner withdraws, while the window is open; an accepted application frees its place."""
    application = ExhibitorApplication.objects.select_for_update().select_related("event", "ikm").get(pk=application.pk)
    if application.ikm.owner_id != getattr(user, "pk", None):
        raise PermissionDenied("Only the owner withdraws an IKM's application.")
    if not application.event.is_application_window_open():
        raise ValidationError(
            _("The application window has closed; contact the organisers to withdraw."), code="window_closed"
        )
    if not application.is_open_to_withdraw:
        raise ValidationError(_("This application can no longer be withdrawn."), code="invalid_status")
    from_status = application.status
    application.status = Status.WITHDRAWN
    application.booth = ""
    application.full_clean()
    application.save()
    decision_record(target=application, actor=None, from_status=from_status, to_status=application.status)
    return application


# --- Decisions (staff) ---------------------------------------------------------------------------


def _lock_for_decision(application: ExhibitorApplication) -> tuple[Event, ExhibitorApplication]:
    """Lock the event row first, then the application: two staff deciding on one event queue up here.

    The event lock is what keeps places from being exceeded: whoever holds it counts the accepted
    applications and saves before the other can count (PostgreSQL; SQLite serialises writers anyway).
    """
    event = Event.objects.select_for_update().get(pk=application.event_id)
    application = ExhibitorApplication.objects.select_for_update().select_related("ikm__owner").get(pk=application.pk)
    application.event = event
    return event, application


def _decide(
    *, application: ExhibitorApplication, actor: object, to_status: str, reason: str = "", booth: str | None = None
) -> ExhibitorApplication:
    from_status = application.status
    if from_status == Status.WITHDRAWN:
        raise ValidationError(_("The IKM withdrew this application."), code="withdrawn")
    if from_status == to_status and booth is None:
        return application
    application.status = to_status
    application.reason = reason.strip()
    if booth is not None:
        application.booth = booth.strip()
    if to_status != Status.ACCEPTED:
        application.booth = ""
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.full_clean()
    application.save()
    if from_status != to_status:
        decision_record(
            target=application, actor=actor, from_status=from_status, to_status=to_status, reason=application.reason
        )
        _mail_owner(application, f"application_{to_status}")
    return application


def accepted_count(event: Event) -> int:
    """How many places are taken (1 query). Call it with the event row locked when you mean to add one."""
    return event.applications.accepted().count()


@transaction.atomic
def application_accept(
    *, application: ExhibitorApplication, actor: object, booth: str | None = None
) -> ExhibitorApplication:
    """Accept an exhibitor, never beyond the event's places, even when two staff decide at the same moment."""
    _require_staff(actor)
    event, application = _lock_for_decision(application)
    if event.is_cancelled:
        raise ValidationError(_("This event is cancelled."), code="cancelled")
    if application.status != Status.ACCEPTED and event.places is not None and accepted_count(event) >= event.places:
        raise ValidationError(
            _("All %(places)d places of this event are taken. Waitlist the application instead.")
            % {"places": event.places},
            code="full",
        )
    return _decide(application=application, actor=actor, to_status=Status.ACCEPTED, booth=booth)


@transaction.atomic
def application_waitlist(*, application: ExhibitorApplication, actor: object, reason: str = "") -> ExhibitorApplication:
    _require_staff(actor)
    _event, application = _lock_for_decision(application)
    return _decide(application=application, actor=actor, to_status=Status.WAITLISTED, reason=reason)


@transaction.atomic
def application_reject(*, application: ExhibitorApplication, actor: object, reason: str) -> ExhibitorApplication:
    _require_staff(actor)
    if not reason.strip():
        message = _("Give the owner a reason for the rejection.")
        raise ValidationError({"reason": ValidationError(message, code="required")})
    _event, application = _lock_for_decision(application)
    return _decide(application=application, actor=actor, to_status=Status.REJECTED, reason=reason)


# --- Email ---------------------------------------------------------------------------------------


def _mail_owner(application: ExhibitorApplication, template: str) -> None:
    """Mail the IKM's owner in Indonesian, after the transaction commits (a rollback never mails)."""
    owner = application.ikm.owner
    if not owner.email:
        return
    context = {
        "application": application,
        "event": application.event,
        "ikm": application.ikm,
        "event_url": settings.SITE_URL + application.event.get_absolute_url(),
        "SITE_NAME": settings.SITE_NAME,
    }
    with translation.override("id"):
        subject = render_to_string(f"exhibitions/email/{template}_subject.txt", context)
        body = render_to_string(f"exhibitions/email/{template}.txt", context)
    subject = " ".join(subject.split())
    mail_after_commit(subject=subject, body=body, to=[owner.email])
