"""The IKM profile's writes: creation, the owner's edits with images, submission, and the staff's decisions.

Every function is keyword-only, runs in one transaction and calls ``full_clean()`` before ``save()``.
Staff decisions are recorded in the moderation log and mailed to the owner (in Indonesian) after the commit.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import BaseInlineFormSet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from galeri.images import PreparedImage, delete_image, store_image
from galeri.mail import mail_after_commit
from ikm.models import IKM, Region
from moderation.services import decision_record

# What a profile needs before staff look at it (the rest of the checklist helps buyers, but is optional).
STORY_MIN_LENGTH = 100
SUBMITTABLE = (IKM.Status.DRAFT, IKM.Status.NEEDS_CHANGES)


# --- Owner -------------------------------------------------------------------------------------


def unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    """slugify(name), with "-2", "-3", … when taken (one query per candidate; collisions are rare)."""
    max_length = IKM._meta.get_field("slug").max_length
    base = (slugify(name) or "ikm")[: max_length - 6].strip("-") or "ikm"
    taken = IKM.objects.exclude(pk=exclude_pk)
    candidate, n = base, 1
    while taken.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@transaction.atomic
def ikm_create(*, owner: Any, name: str, sector: str, region: Region, whatsapp: str) -> IKM:
    """The owner's first, short profile: a draft that only they see until staff verify it."""
    if IKM.objects.filter(owner=owner).exists():
        raise ValidationError(_("This account already has an IKM profile."), code="has_ikm")
    ikm = IKM(owner=owner, name=name.strip(), sector=sector, region=region, whatsapp=whatsapp)
    ikm.slug = unique_slug(ikm.name)
    ikm.full_clean()
    ikm.save()
    return ikm


def _replace_image(ikm: IKM, field: str, new: PreparedImage | None, remove: bool, folder: str) -> Callable | None:
    """Store ``new`` (or clear the image when ``remove``) on ``ikm``; return how to delete the old files."""
    old = getattr(ikm, field)
    if new is not None:
        stored = store_image(new, folder=folder)
        setattr(ikm, field, stored.name)
        setattr(ikm, f"{field}_width", stored.width)
        setattr(ikm, f"{field}_height", stored.height)
    elif remove:
        setattr(ikm, field, "")
        setattr(ikm, f"{field}_width", None)
        setattr(ikm, f"{field}_height", None)
    else:
        return None
    return (lambda: delete_image(old)) if old else None


def ikm_profile_update(
    *,
    ikm: IKM,
    logo: PreparedImage | None = None,
    remove_logo: bool = False,
    cover: PreparedImage | None = None,
    remove_cover: bool = False,
    links: BaseInlineFormSet | None = None,
) -> IKM:
    """Save the owner's edits (already applied to ``ikm`` by the form), new images and shop links.

    Images are written before the transaction; if it fails they are removed, and the replaced files are
    deleted only after it commits, so the profile never points to a missing file.
    """
    stored_new: list[str] = []
    cleanups: list[Callable] = []
    try:
        for field, new, remove, folder in (
            ("logo", logo, remove_logo, "ikm/logos"),
            ("cover", cover, remove_cover, "ikm/covers"),
        ):
            cleanup = _replace_image(ikm, field, new, remove, folder)
            if new is not None:
                stored_new.append(getattr(ikm, field))
            if cleanup:
                cleanups.append(cleanup)
        with transaction.atomic():
            ikm.full_clean()
            ikm.save()
            if links is not None:
                links.instance = ikm
                links.save()
            for cleanup in cleanups:
                transaction.on_commit(cleanup)
    except BaseException:
        for name in stored_new:
            delete_image(name)
        raise
    return ikm


def missing_for_submission(ikm: IKM) -> list[str]:
    """What the owner still has to fill in before sending the profile to staff (translated labels)."""
    missing = []
    if not ikm.name.strip():
        missing.append(_("business name"))
    if not ikm.sector:
        missing.append(_("sector"))
    if not ikm.region_id:
        missing.append(_("regency or city"))
    if not ikm.whatsapp:
        missing.append(_("WhatsApp number"))
    if len(ikm.story.strip()) < STORY_MIN_LENGTH:
        missing.append(_("a story of at least %(count)d characters") % {"count": STORY_MIN_LENGTH})
    return missing


@transaction.atomic
def ikm_submit(*, ikm: IKM, actor: Any) -> IKM:
    """The owner asks staff to verify the profile (from draft or after changes were requested)."""
    locked = IKM.objects.select_for_update().get(pk=ikm.pk)
    if locked.owner_id != getattr(actor, "pk", None):
        raise PermissionDenied("Only the owner submits the profile.")
    if locked.status not in SUBMITTABLE:
        raise ValidationError(_("This profile is not a draft and has no changes requested: there is nothing to send."))
    missing = missing_for_submission(locked)
    if missing:
        raise ValidationError(
            _("Fill in before sending: %(missing)s.") % {"missing": ", ".join(missing)}, code="incomplete"
        )
    from_status = locked.status
    locked.status = IKM.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.full_clean()
    locked.save()
    decision_record(target=locked, actor=actor, from_status=from_status, to_status=locked.status)
    _mail_staff_submitted(locked)
    return locked


def _admin_addresses() -> list[str]:
    """settings.ADMINS as addresses, whether written as strings or as Django's older (name, address) pairs."""
    return [entry[1] if isinstance(entry, (list, tuple)) else entry for entry in settings.ADMINS]


def _mail_staff_submitted(ikm: IKM) -> None:
    """Tell the site's admins (ADMIN_EMAILS) that a profile waits in the queue; nothing when none are set."""
    addresses = _admin_addresses()
    if not addresses:
        return
    with translation.override("id"):
        context = {
            "ikm": ikm,
            "url": settings.SITE_URL + reverse("admin:ikm_ikm_change", args=[ikm.pk]),
            "SITE_NAME": settings.SITE_NAME,
        }
        subject = " ".join(render_to_string("ikm/email/submitted_staff_subject.txt", context).split())
        body = render_to_string("ikm/email/submitted_staff.txt", context)
    mail_after_commit(subject=subject, body=body, to=addresses)


# --- Staff -------------------------------------------------------------------------------------


def _require_staff(actor: Any) -> None:
    if not getattr(actor, "is_staff", False):
        raise PermissionDenied("Only staff decide on IKM profiles.")


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write the reason: the owner reads it.")}, code="required")
    return reason


def _lock(ikm: IKM) -> IKM:
    return IKM.objects.select_for_update().select_related("owner").get(pk=ikm.pk)


def _mail_owner(ikm: IKM, template: str, url_name: str, url_kwargs: dict | None = None) -> None:
    """Mail the owner in Indonesian, with an absolute link, once the transaction has committed."""
    address = ikm.owner.email
    if not address:
        return
    with translation.override("id"):
        context = {
            "ikm": ikm,
            "url": settings.SITE_URL + reverse(url_name, kwargs=url_kwargs),
            "SITE_NAME": settings.SITE_NAME,
        }
        subject = " ".join(render_to_string(f"ikm/email/{template}_subject.txt", context).split())
        body = render_to_string(f"ikm/email/{template}.txt", context)
    mail_after_commit(subject=subject, body=body, to=[address])


@transaction.atomic
def ikm_verify(*, ikm: IKM, actor: Any) -> IKM:
    """Staff confirm the profile: it becomes public (unless suspended) and its slug is fixed from now on."""
    _require_staff(actor)
    locked = _lock(ikm)
    if locked.status == IKM.Status.VERIFIED:
        raise ValidationError(_("This IKM is already verified."), code="verified")
    from_status = locked.status
    locked.status = IKM.Status.VERIFIED
    locked.status_reason = ""
    locked.verified_at = timezone.now()
    locked.verified_by = actor
    locked.full_clean()
    locked.save()
    decision_record(target=locked, actor=actor, from_status=from_status, to_status=locked.status)
    _mail_owner(locked, "verified", "ikm:ikm-detail", {"slug": locked.slug})
    return locked


@transaction.atomic
def ikm_request_changes(*, ikm: IKM, actor: Any, reason: str) -> IKM:
    """Staff send the profile back with a reason; a verified profile leaves the directory until verified again."""
    _require_staff(actor)
    reason = _require_reason(reason)
    locked = _lock(ikm)
    if locked.status not in (IKM.Status.SUBMITTED, IKM.Status.VERIFIED):
        raise ValidationError(_("Only a submitted or verified IKM can be sent back for changes."), code="status")
    from_status = locked.status
    locked.status = IKM.Status.NEEDS_CHANGES
    locked.status_reason = reason
    locked.full_clean()
    locked.save()
    decision_record(target=locked, actor=actor, from_status=from_status, to_status=locked.status, reason=reason)
    _mail_owner(locked, "changes_requested", "ikm:dashboard")
    return locked


@transaction.atomic
def ikm_suspend(*, ikm: IKM, actor: Any, reason: str) -> IKM:
    """Hide the IKM and its products from the public, whatever its verification; the reason goes to the owner."""
    _require_staff(actor)
    reason = _require_reason(reason)
    locked = _lock(ikm)
    if locked.is_suspended:
        raise ValidationError(_("This IKM is already suspended."), code="suspended")
    locked.is_suspended = True
    locked.suspended_reason = reason
    locked.suspended_at = timezone.now()
    locked.full_clean()
    locked.save()
    decision_record(target=locked, actor=actor, from_status=locked.status, to_status="suspended", reason=reason)
    _mail_owner(locked, "suspended", "ikm:dashboard")
    return locked


@transaction.atomic
def ikm_unsuspend(*, ikm: IKM, actor: Any) -> IKM:
    """Lift a suspension: the IKM is public again if it is verified."""
    _require_staff(actor)
    locked = _lock(ikm)
    if not locked.is_suspended:
        raise ValidationError(_("This IKM is not suspended."), code="not_suspended")
    locked.is_suspended = False
    locked.suspended_reason = ""
    locked.suspended_at = None
    locked.full_clean()
    locked.save()
    decision_record(target=locked, actor=actor, from_status="suspended", to_status=locked.status)
    _mail_owner(locked, "unsuspended", "ikm:dashboard")
    return locked
