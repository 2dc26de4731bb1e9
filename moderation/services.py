"""Staff decisions and the moderation app's own writes: the decision log, reports, moderators, reminders.

Functions are keyword-only, run in one transaction, ``full_clean()`` before ``save()`` and mail only after
the commit (reminders excepted: see ``certification_reminders_send``).
"""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from galeri.mail import send_mail_logged
from moderation.models import CertificationReminder, Decision, Report
from moderation.roles import moderator_group_sync

logger = logging.getLogger(__name__)


def decision_record(
    *, target: models.Model, actor: models.Model | None, from_status: str, to_status: str, reason: str = ""
) -> Decision:
    """Record one status change; call it inside the service's transaction so the log never disagrees."""
    decision = Decision(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )
    decision.full_clean()
    decision.save()
    return decision


def _require_staff(user: object) -> None:
    if not getattr(user, "is_staff", False):
        raise PermissionDenied("Only staff decide on reports.")


def _require_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"reason": _("Write what you found and did: the note is required.")}, code="required")
    return note


# --- Reports from the public -------------------------------------------------------------------


@transaction.atomic
def report_submit(
    *,
    reason: str,
    details: str,
    product: models.Model | None = None,
    ikm: models.Model | None = None,
    contact_email: str = "",
    ip_hash: str = "",
) -> Report:
    """Store a report about exactly one product or IKM; it waits in the staff's queue."""
    if (product is None) == (ikm is None):
        raise ValueError("A report is about exactly one product or one IKM.")
    report = Report(
        product=product,
        ikm=ikm,
        reason=reason,
        details=details.strip(),
        contact_email=contact_email.strip(),
        ip_hash=ip_hash,
    )
    report.full_clean()
    report.save()
    return report


def _lock_report(report: Report) -> Report:
    # Lock the row alone, then read it with its target: PostgreSQL refuses FOR UPDATE across the nullable
    # side of the outer joins select_related needs here.
    Report.objects.select_for_update().only("pk").get(pk=report.pk)
    return Report.objects.with_target().get(pk=report.pk)


def _close(report: Report, *, actor: object, note: str, to_status: str) -> Report:
    if report.status != Report.Status.OPEN:
        raise ValidationError(
            _("This report is already closed (%(status)s).") % {"status": report.get_status_display()},
            code="closed",
        )
    report.status = to_status
    report.resolution_note = note
    report.resolved_by = actor
    report.resolved_at = timezone.now()
    report.full_clean()
    report.save()
    decision_record(target=report, actor=actor, from_status=Report.Status.OPEN, to_status=to_status, reason=note)
    return report


@transaction.atomic
def report_resolve(*, report: Report, actor: object, note: str, unpublish: bool = False) -> Report:
    """Close a report as acted upon; with ``unpublish`` the reported product or IKM leaves the site.

    Unpublishing goes through the owning app's own decision, so the owner is mailed the note as the reason
    and the decision is logged on the product or IKM: a product is sent back as "needs changes"
    (``catalog.services.product_request_changes``), an IKM is suspended with its products
    (``ikm.services.ikm_suspend``). Something already off the site is left as it is.
    """
    _require_staff(actor)
    note = _require_note(note)
    report = _lock_report(report)
    if report.status != Report.Status.OPEN:
        raise ValidationError(
            _("This report is already closed (%(status)s).") % {"status": report.get_status_display()},
            code="closed",
        )
    if unpublish and report.product_id is not None:
        from catalog import services as catalog_services
        from catalog.models import Product

        if report.product.status in (Product.Status.PENDING, Product.Status.PUBLISHED):
            catalog_services.product_request_changes(product=report.product, actor=actor, reason=note)
    elif unpublish:
        from ikm import services as ikm_services

        if not report.ikm.is_suspended:
            ikm_services.ikm_suspend(ikm=report.ikm, actor=actor, reason=note)
    return _close(report, actor=actor, note=note, to_status=Report.Status.RESOLVED)


@transaction.atomic
def report_dismiss(*, report: Report, actor: object, note: str) -> Report:
    """Close a report that needs no action (nothing wrong found, duplicate, spam), saying why."""
    _require_staff(actor)
    note = _require_note(note)
    report = _lock_report(report)
    return _close(report, actor=actor, note=note, to_status=Report.Status.DISMISSED)


# --- Moderators --------------------------------------------------------------------------------


@dataclass
class ModeratorResult:
    user: models.Model
    created: bool
    password_set_url: str = ""


@transaction.atomic
def moderator_create(*, email: str, full_name: str = "", password: str | None = None) -> ModeratorResult:
    """Make ``email`` a staff account in the Moderator group (creating the account if needed).

    Never grants superuser, never removes it. The address is marked verified (staff vouch for it).
    Without ``password`` the account gets an unusable one (a new account) or keeps its own, and the result
    carries a link to set it (allauth's password reset, valid as long as allauth's reset links are).
    An IKM owner cannot be made a moderator: they would decide on their own products.
    """
    from allauth.account.models import EmailAddress

    User = get_user_model()
    email = User.objects.normalize_email(email.strip()).lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User(email=email, full_name=full_name.strip())
        user.set_unusable_password()
    elif hasattr(user, "ikm"):
        raise ValidationError(
            _("%(email)s owns an IKM and cannot be a moderator of its own products.") % {"email": email},
            code="owner",
        )
    if full_name.strip():
        user.full_name = full_name.strip()
    if password:
        user.set_password(password)
    user.is_staff = True
    user.is_active = True
    user.full_clean()
    user.save()
    user.groups.add(moderator_group_sync())
    address, _created = EmailAddress.objects.get_or_create(
        user=user, email__iexact=email, defaults={"email": email, "primary": True, "verified": True}
    )
    if not address.verified or not address.primary:
        address.verified = True
        address.primary = True
        address.save(update_fields=["verified", "primary"])
    result = ModeratorResult(user=user, created=created)
    if not password:
        result.password_set_url = password_set_url(user)
    return result


def password_set_url(user: models.Model) -> str:
    """allauth's "set a new password" link for ``user`` (the one its reset email carries), absolute."""
    from allauth.account import app_settings as allauth_settings
    from allauth.account.utils import user_pk_to_url_str

    key = allauth_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(user)
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key})
    return settings.SITE_URL + path


def moderator_invite_send(*, result: ModeratorResult) -> bool:
    """Mail the new moderator (in Indonesian) the link to set a password and the admin's address.

    False when the mail server refused it (logged): the account exists, give the link another way.
    """
    user = result.user
    context = {
        "user": user,
        "password_set_url": result.password_set_url,
        "admin_url": settings.SITE_URL + reverse("admin:index"),
        "SITE_NAME": settings.SITE_NAME,
    }
    with translation.override("id"):
        subject = " ".join(render_to_string("moderation/email/moderator_invite_subject.txt", context).split())
        body = render_to_string("moderation/email/moderator_invite.txt", context)
    return send_mail_logged(subject=subject, body=body, to=[user.email])


# --- Certificate expiry ------------------------------------------------------------------------

# Reminder kinds and how many days before expiry each is due (the nearest due kind is sent).
REMINDER_DAYS = {CertificationReminder.Kind.DAYS_30: 30, CertificationReminder.Kind.DAYS_7: 7}


@dataclass
class ReminderRun:
    sent: list[CertificationReminder] = field(default_factory=list)
    emails: int = 0
    failed: int = 0
    expired: list[models.Model] = field(default_factory=list)


def _due_kind(expires_on: dt.date, today: dt.date) -> str | None:
    """The reminder due for a certificate expiring on ``expires_on``: "7d" within a week, "30d" within 30 days."""
    days_left = (expires_on - today).days
    if days_left < 0:
        return None
    if days_left <= REMINDER_DAYS[CertificationReminder.Kind.DAYS_7]:
        return CertificationReminder.Kind.DAYS_7
    if days_left <= REMINDER_DAYS[CertificationReminder.Kind.DAYS_30]:
        return CertificationReminder.Kind.DAYS_30
    return None


def expired_verified_certifications(*, today: dt.date | None = None) -> models.QuerySet:
    """Certificates staff verified whose expiry date has passed (their badges are already gone)."""
    from catalog.models import Certification

    today = today or timezone.localdate()
    return Certification.objects.filter(status=Certification.Status.VERIFIED, expires_on__lt=today)


def certification_reminders_send(*, today: dt.date | None = None) -> ReminderRun:
    """Mail owners whose verified certificates expire within 30 days (once) and within 7 days (once more).

    Safe to run any number of times a day, from several machines at once: each reminder is first claimed by
    inserting its marker (the unique constraint lets one run win), then mailed; if the mail fails the claim
    is removed so tomorrow's run tries again. One email per IKM per run lists all its certificates.
    A reminder whose day was missed (the job did not run) still goes out; a certificate first seen with 5
    days left gets only the 7-day reminder.
    """
    from catalog.models import Certification

    today = today or timezone.localdate()
    run = ReminderRun()
    candidates = (
        Certification.objects.valid(on=today)
        .filter(expires_on__isnull=False, expires_on__lte=today + dt.timedelta(days=30))
        .select_related("ikm", "ikm__owner")
        .order_by("ikm_id", "expires_on", "pk")
    )
    sent_before = set(
        CertificationReminder.objects.filter(certification__in=candidates).values_list(
            "certification_id", "kind", "expires_on"
        )
    )
    due: dict[int, list[tuple[Certification, str]]] = defaultdict(list)
    for certification in candidates:
        kind = _due_kind(certification.expires_on, today)
        if kind is None or (certification.pk, kind, certification.expires_on) in sent_before:
            continue
        # The 30-day reminder is pointless once the 7-day one went out for the same date.
        if (
            kind == CertificationReminder.Kind.DAYS_30
            and (certification.pk, CertificationReminder.Kind.DAYS_7, certification.expires_on) in sent_before
        ):
            continue
        due[certification.ikm_id].append((certification, kind))
    for items in due.values():
        claimed = _claim(items)
        if not claimed:
            continue
        try:
            _mail_expiring(claimed, today=today)
        except Exception:  # noqa: BLE001 — any mail failure: release the claim, retry tomorrow
            logger.exception("Certificate reminder to %s failed; it will be retried.", claimed[0].certification.ikm)
            CertificationReminder.objects.filter(pk__in=[r.pk for r in claimed]).delete()
            run.failed += 1
        else:
            run.sent.extend(claimed)
            run.emails += 1
    run.expired = list(expired_verified_certifications(today=today).select_related("ikm").order_by("expires_on"))
    return run


def _claim(items: list[tuple[models.Model, str]]) -> list[CertificationReminder]:
    """Insert one marker per reminder; those another run inserted first are skipped."""
    claimed = []
    for certification, kind in items:
        try:
            with transaction.atomic():
                reminder = CertificationReminder.objects.create(
                    certification=certification, kind=kind, expires_on=certification.expires_on
                )
        except IntegrityError:
            continue
        reminder.certification = certification
        claimed.append(reminder)
    return claimed


def _mail_expiring(reminders: list[CertificationReminder], *, today: dt.date) -> None:
    ikm = reminders[0].certification.ikm
    address = ikm.owner.email
    if not address:
        return
    with translation.override("id"):
        rows = [
            {
                "certification": r.certification,
                "days_left": (r.certification.expires_on - today).days,
                "url": settings.SITE_URL
                + reverse("catalog:owner-certification-update", kwargs={"pk": r.certification.pk}),
            }
            for r in reminders
        ]
        context = {
            "ikm": ikm,
            "rows": rows,
            "certifications_url": settings.SITE_URL + reverse("catalog:owner-certification-list"),
            "SITE_NAME": settings.SITE_NAME,
        }
        subject = " ".join(render_to_string("moderation/email/certification_expiring_subject.txt", context).split())
        body = render_to_string("moderation/email/certification_expiring.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
