"""Writes with side effects on inquiries and contact clicks.

An inquiry is stored first, in its own transaction; the two emails (to the owner, and the buyer's
confirmation) are sent after it commits. A mail failure is recorded on the inquiry (``last_error``) and
never reaches the buyer; ``send_pending_inquiry_mail`` retries what is still owed.
"""

import datetime as dt
import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalog.models import Product
from ikm.models import IKM
from inquiries.models import ContactClick, Inquiry
from moderation.services import decision_record

logger = logging.getLogger(__name__)

Status = Inquiry.Status

# After this many failed attempts an inquiry is left alone (it is in the owner's inbox anyway); the admin
# lists it under "email failed". With the backoff below that is about three days of retrying.
MAX_NOTIFY_ATTEMPTS = 12
# The retry job leaves fresh inquiries to the request that stored them.
RETRY_GRACE = dt.timedelta(minutes=2)

# What an owner may do from the inbox: action → (statuses it applies to, the status it leads to).
ACTIONS: dict[str, tuple[frozenset[str], str]] = {
    "read": (frozenset({Status.NEW}), Status.READ),
    "replied": (frozenset({Status.NEW, Status.READ}), Status.REPLIED),
    "closed": (frozenset({Status.NEW, Status.READ, Status.REPLIED}), Status.CLOSED),
    "spam": (frozenset({Status.NEW, Status.READ, Status.REPLIED, Status.CLOSED}), Status.SPAM),
    "reopen": (frozenset({Status.CLOSED, Status.SPAM}), Status.READ),
}


# --- Inquiries ---------------------------------------------------------------------------------


@transaction.atomic
def inquiry_submit(
    *,
    ikm: IKM,
    product: Product | None,
    name: str,
    email: str,
    message: str,
    buyer_type: str,
    phone: str = "",
    organization: str = "",
    quantity: int | None = None,
    language: str = Inquiry.Language.INDONESIAN,
    ip_hash: str = "",
) -> Inquiry:
    """Store a buyer's inquiry to a public IKM (about one of its published products, or in general).

    The emails go out after the commit; whatever happens to them, the inquiry is already saved.
    """
    if not ikm.is_public:
        raise ValidationError(_("This IKM is not public."), code="ikm_not_public")
    if product is not None and (product.ikm_id != ikm.pk or product.status != Product.Status.PUBLISHED):
        raise ValidationError(_("This product is not published."), code="product_not_published")
    inquiry = Inquiry(
        ikm=ikm,
        product=product,
        name=name,
        email=email,
        phone=phone,
        organization=organization,
        buyer_type=buyer_type,
        quantity=quantity,
        message=message,
        language=language if language in Inquiry.Language.values else Inquiry.Language.INDONESIAN,
        ip_hash=ip_hash,
    )
    inquiry.full_clean()
    inquiry.save()
    # robust: an exception in the mail step is logged by Django and never turns the buyer's success into a 500.
    transaction.on_commit(partial(inquiry_notify, inquiry_id=inquiry.pk), robust=True)
    return inquiry


@transaction.atomic
def inquiry_set_status(*, inquiry: Inquiry, action: str) -> Inquiry:
    """Apply an owner's inbox action (read, replied, closed, spam, reopen); an action that does not apply is refused."""
    if action not in ACTIONS:
        raise ValidationError(_("Unknown action."), code="unknown_action")
    allowed_from, to_status = ACTIONS[action]
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if inquiry.status not in allowed_from:
        raise ValidationError(
            _("That action does not apply to an inquiry with the status “%(status)s”.")
            % {"status": inquiry.get_status_display()},
            code="invalid_transition",
        )
    inquiry.status = to_status
    inquiry.full_clean()
    inquiry.save(update_fields=["status", "updated_at"])
    return inquiry


@transaction.atomic
def inquiry_staff_set_status(*, inquiry: Inquiry, actor: object, to_status: str, reason: str = "") -> Inquiry:
    """A staff decision on an inquiry's status (e.g. spam from the admin), recorded in the decision log."""
    if to_status not in Status.values:
        raise ValidationError(_("Unknown status."), code="unknown_status")
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    from_status = inquiry.status
    if from_status == to_status:
        return inquiry
    inquiry.status = to_status
    inquiry.full_clean()
    inquiry.save(update_fields=["status", "updated_at"])
    decision_record(target=inquiry, actor=actor, from_status=from_status, to_status=to_status, reason=reason)
    return inquiry


def inquiry_mark_read(*, inquiry: Inquiry) -> Inquiry:
    """Opening a new inquiry marks it read; a no-op for any other status (one conditional UPDATE, no lock)."""
    if inquiry.status == Status.NEW:
        Inquiry.objects.filter(pk=inquiry.pk, status=Status.NEW).update(status=Status.READ, updated_at=timezone.now())
        inquiry.status = Status.READ
    return inquiry


# --- Email --------------------------------------------------------------------------------------


def retry_delay(attempts: int) -> dt.timedelta:
    """Wait before the next attempt: 1, 2, 4, … minutes, at most 12 hours."""
    return min(dt.timedelta(minutes=2 ** max(attempts - 1, 0)), dt.timedelta(hours=12))


def inquiries_due_for_retry(*, now: dt.datetime | None = None) -> list[int]:
    """Ids of inquiries still owed an email whose backoff has passed (oldest first)."""
    now = now or timezone.now()
    candidates = (
        Inquiry.objects.notification_pending()
        .created_before(now - RETRY_GRACE)
        .filter(notify_attempts__lt=MAX_NOTIFY_ATTEMPTS)
        .order_by("created_at")
        .values_list("pk", "notify_attempts", "notify_attempted_at")
    )
    return [
        pk
        for pk, attempts, attempted_at in candidates
        if attempted_at is None or attempted_at + retry_delay(attempts) <= now
    ]


def inquiry_notify(*, inquiry_id: int) -> bool:
    """Send whichever of the two emails an inquiry is still owed; True when nothing is owed any more.

    Not one transaction: each email is sent at most once per attempt and recorded right after. An attempt is
    claimed first with a compare-and-set on ``notify_attempts``, so the request and the retry job (or two
    overlapping runs of it) never mail the same inquiry twice at once. Any exception from the mail backend
    is caught and recorded: the buyer never sees it, and the retry job tries again later.
    """
    inquiry = (
        Inquiry.objects.select_related("ikm__owner", "product")
        .filter(pk=inquiry_id)
        .exclude(status=Status.SPAM)
        .filter(Q(owner_notified_at__isnull=True) | Q(buyer_notified_at__isnull=True))
        .first()
    )
    if inquiry is None:
        return True
    now = timezone.now()
    claimed = Inquiry.objects.filter(pk=inquiry.pk, notify_attempts=inquiry.notify_attempts).update(
        notify_attempts=F("notify_attempts") + 1, notify_attempted_at=now
    )
    if not claimed:
        return False
    errors: list[str] = []
    changes: dict[str, object] = {}
    if inquiry.owner_notified_at is None:
        try:
            _owner_message(inquiry).send()
            changes["owner_notified_at"] = timezone.now()
        except Exception as exc:  # any backend error (SMTP, DNS, timeout): record it, never lose the inquiry
            logger.warning("Inquiry %s: the email to the owner failed: %r", inquiry.pk, exc)
            errors.append(f"owner: {exc!r}")
    if inquiry.buyer_notified_at is None:
        try:
            _buyer_message(inquiry).send()
            changes["buyer_notified_at"] = timezone.now()
        except Exception as exc:  # same as above
            logger.warning("Inquiry %s: the confirmation to the buyer failed: %r", inquiry.pk, exc)
            errors.append(f"buyer: {exc!r}")
    changes["last_error"] = "\n".join(errors)[:2000]
    # A plain UPDATE of the delivery fields only: the owner may be changing the status at the same moment.
    Inquiry.objects.filter(pk=inquiry.pk).update(**changes)
    return not errors


def _one_line(text: str) -> str:
    """Header-safe: no line breaks (Django refuses them in a subject), runs of spaces collapsed."""
    return " ".join(text.split())


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _subject_url(inquiry: Inquiry) -> str:
    """The public page the inquiry was sent from, in the current language."""
    return _absolute((inquiry.product or inquiry.ikm).get_absolute_url())


def _owner_message(inquiry: Inquiry) -> EmailMessage:
    """To the IKM's owner, in Indonesian (owners use the Indonesian site); Reply-To is the buyer."""
    with translation.override("id"):
        context = {
            "inquiry": inquiry,
            "ikm": inquiry.ikm,
            "product": inquiry.product,
            "subject_url": _subject_url(inquiry),
            "inbox_url": _absolute(inquiry.get_absolute_url()),
            "SITE_NAME": settings.SITE_NAME,
        }
        subject = render_to_string("inquiries/email/owner_subject.txt", context)
        body = render_to_string("inquiries/email/owner_body.txt", context)
    return EmailMessage(
        subject=_one_line(subject),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[inquiry.ikm.owner.email],
        reply_to=[inquiry.email],
    )


def _buyer_message(inquiry: Inquiry) -> EmailMessage:
    """The buyer's confirmation, in the language of the site they wrote from.

    It never repeats the message: the address is not verified, and echoing typed text would let anyone send
    their own text to any address through Galeri.
    """
    with translation.override(inquiry.language):
        context = {
            "inquiry": inquiry,
            "ikm": inquiry.ikm,
            "product": inquiry.product,
            "subject_url": _subject_url(inquiry),
            "SITE_NAME": settings.SITE_NAME,
        }
        subject = render_to_string("inquiries/email/buyer_subject.txt", context)
        body = render_to_string("inquiries/email/buyer_body.txt", context)
    return EmailMessage(
        subject=_one_line(subject), body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[inquiry.email]
    )


# --- WhatsApp clicks ----------------------------------------------------------------------------


def contact_click_record(*, ikm: IKM, product: Product | None = None, day: dt.date | None = None) -> None:
    """Add one WhatsApp click to today's counter of a product (or of the IKM's own page).

    One UPDATE … SET count = count + 1 in the common case; the first click of the day inserts the row, and
    two first clicks racing each other end in one row with both counted (the loser of the insert updates).
    """
    day = day or timezone.localdate()
    target = {"ikm": ikm, "product": product, "channel": ContactClick.Channel.WHATSAPP, "day": day}
    now = timezone.now()
    if ContactClick.objects.filter(**target).update(count=F("count") + 1, updated_at=now):
        return
    try:
        with transaction.atomic():
            ContactClick.objects.create(count=1, **target)
    except IntegrityError:
        ContactClick.objects.filter(**target).update(count=F("count") + 1, updated_at=now)
