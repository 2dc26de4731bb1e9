"""The publishing rules of the catalog: every write with side effects on products, photos and certificates.

The one place for the state machine (docs/catalog-owners.md draws it):

    draft ──submit──▶ pending ──approve──▶ published ──edit──▶ published + review_requested_at
      ▲                 │  ▲                  │                    │ approve: cleared
      │      request    │  │ submit           │ request changes    │ request changes
      │      changes    ▼  │                  ▼                    ▼
      │            needs_changes ◀────────────────────────────────┘
      └─unarchive── archived ◀──archive── (any other status)

Functions are keyword-only, run in one transaction, lock the row they change, ``full_clean()`` before
``save()``, record staff decisions in the moderation log and mail the owner only after the commit.
Owners' own status changes (submit, archive) are logged with no actor, as the Decision model asks.
"""

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from catalog import facets
from catalog.certificate_numbers import normalize_certificate_number
from catalog.models import Certification, Product, ProductPhoto
from galeri.documents import PreparedDocument, store_document
from galeri.images import PreparedImage, delete_image, store_image
from galeri.mail import mail_after_commit
from ikm.models import IKM
from moderation.services import decision_record

Status = Product.Status
CertStatus = Certification.Status

# What an owner may change on a product; status, slug, featured and the dates belong to the rules below.
PRODUCT_EDITABLE_FIELDS = (
    "name",
    "category",
    "short_description",
    "description",
    "price_min",
    "price_max",
    "unit",
    "net_amount",
    "net_unit",
    "min_order",
    "capacity_per_month",
    "capacity_unit",
    "lead_time_days",
    "availability",
    "tkdn_percent",
    "shelf_life_days",
)
CERTIFICATION_EDITABLE_FIELDS = ("type", "number", "issuer", "issued_on", "expires_on")

# A product needs at least this many photos before staff see it: buyers skip listings without one.
MIN_PHOTOS_TO_SUBMIT = 1
SUBMITTABLE = (Status.DRAFT, Status.NEEDS_CHANGES)
PRIVATE_STORAGE = "private"


# --- Guards ------------------------------------------------------------------------------------


def _require_owner(ikm: IKM, user: object) -> None:
    if ikm.owner_id != getattr(user, "pk", None):
        raise PermissionDenied("Only the IKM's owner changes its catalog.")


def _require_staff(user: object) -> None:
    if not getattr(user, "is_staff", False):
        raise PermissionDenied("Only staff decide on products and certificates.")


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tell the owner what to change: the reason is required.")}, code="required")
    return reason


def _require_public_ikm(ikm: IKM) -> None:
    """Only a verified, active IKM publishes; say what the owner can do about it."""
    if ikm.is_suspended:
        raise ValidationError(
            _("Your IKM is suspended by staff, so its products cannot be published. Contact the staff to resolve it."),
            code="ikm_suspended",
        )
    if ikm.status != IKM.Status.VERIFIED:
        raise ValidationError(
            _(
                "Your IKM profile is not verified yet. Complete it and submit it for verification; "
                "products can be sent for review once staff verified it."
            ),
            code="ikm_not_verified",
        )


def _lock_product(product: Product) -> Product:
    return Product.objects.select_for_update().select_related("ikm", "ikm__owner", "category").get(pk=product.pk)


# --- Products (owners) -------------------------------------------------------------------------


def _unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    """slugify(name), with a short random suffix when taken; products with non-Latin names get "produk"."""
    base = slugify(name)[:120].strip("-") or "produk"
    slug = base
    taken = Product.objects.exclude(pk=exclude_pk) if exclude_pk else Product.objects.all()
    while taken.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(5, 'abcdefghijkmnpqrstuvwxyz23456789')}"
    return slug


def _apply_fields(product: Product, data: Mapping[str, Any]) -> set[str]:
    """Copy the owner-editable values; return the names that changed."""
    changed = set()
    for name in PRODUCT_EDITABLE_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if getattr(product, name, None) != value:  # an unset foreign key reads as None
            setattr(product, name, value)
            changed.add(name)
    return changed


def _request_re_review(product: Product) -> None:
    """A published product edited by its owner stays public and goes back into the staff's queue."""
    if product.status == Status.PUBLISHED and product.review_requested_at is None:
        product.review_requested_at = timezone.now()


@transaction.atomic
def product_create(*, ikm: IKM, user: object, data: Mapping[str, Any]) -> Product:
    """A new product starts as a draft: nothing is public until staff approve it."""
    _require_owner(ikm, user)
    product = Product(ikm=ikm, status=Status.DRAFT)
    _apply_fields(product, data)
    product.slug = _unique_slug(product.name)
    product.full_clean()
    _save_with_fresh_slug(product)
    return product


def _save_with_fresh_slug(product: Product, attempts: int = 3) -> None:
    """Save; if another request took the same slug in between (the unique index says so), pick another."""
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                product.save()
            return
        except IntegrityError:
            if attempt == attempts - 1 or Product.objects.filter(slug=product.slug).exclude(pk=product.pk).count() == 0:
                raise
            product.slug = _unique_slug(product.name, exclude_pk=product.pk)


@transaction.atomic
def product_update(*, product: Product, user: object, data: Mapping[str, Any]) -> Product:
    """Save the owner's edit. A published product stays public and is queued for re-review.

    The slug follows the name until the product is first published; after that it is stable,
    because buyers, search engines and WhatsApp messages hold its address.
    """
    locked = _lock_product(product)
    _require_owner(locked.ikm, user)
    changed = _apply_fields(locked, data)
    if not changed:
        return locked
    if "name" in changed and locked.published_at is None:
        locked.slug = _unique_slug(locked.name, exclude_pk=locked.pk)
    _request_re_review(locked)
    locked.full_clean()
    _save_with_fresh_slug(locked)
    return locked


@transaction.atomic
def product_submit(*, product: Product, user: object) -> Product:
    """Draft or needs-changes → pending review, for a verified active IKM with at least one photo."""
    locked = _lock_product(product)
    _require_owner(locked.ikm, user)
    if locked.status not in SUBMITTABLE:
        raise ValidationError(
            _("Only a draft or a product that needs changes can be sent for review (this one is: %(status)s).")
            % {"status": locked.get_status_display()},
            code="invalid_status",
        )
    _require_public_ikm(locked.ikm)
    if locked.photos.count() < MIN_PHOTOS_TO_SUBMIT:
        raise ValidationError(
            _("Add at least one photo before sending the product for review: buyers skip listings without one."),
            code="no_photo",
        )
    from_status = locked.status
    locked.status = Status.PENDING
    locked.status_reason = ""
    locked.submitted_at = timezone.now()
    locked.full_clean()
    locked.save()
    decision_record(target=locked, actor=None, from_status=from_status, to_status=locked.status)
    return locked


@transaction.atomic
def product_archive(*, product: Product, user: object) -> Product:
    """The owner takes a product off the catalog (from any status); it can come back as a draft."""
    locked = _lock_product(product)
    _require_owner(locked.ikm, user)
    if locked.status == Status.ARCHIVED:
        return locked
    from_status = locked.status
    locked.status = Status.ARCHIVED
    locked.review_requested_at = None
    locked.full_clean()
    locked.save()
    decision_record(target=locked, actor=None, from_status=from_status, to_status=locked.status)
    return locked


@transaction.atomic
def product_unarchive(*, product: Product, user: object) -> Product:
    """Archived → draft: it must be sent for review again before it is public."""
    locked = _lock_product(product)
    _require_owner(locked.ikm, user)
    if locked.status != Status.ARCHIVED:
        raise ValidationError(_("Only an archived product can be restored."), code="invalid_status")
    locked.status = Status.DRAFT
    locked.status_reason = ""
    locked.full_clean()
    locked.save()
    decision_record(target=locked, actor=None, from_status=Status.ARCHIVED, to_status=locked.status)
    return locked


# --- Products (staff) --------------------------------------------------------------------------


@transaction.atomic
def product_approve(*, product: Product, actor: object) -> Product:
    """Pending → published; or accept a published product's edits (clears the re-review request)."""
    _require_staff(actor)
    locked = _lock_product(product)
    is_re_review = locked.status == Status.PUBLISHED and locked.review_requested_at is not None
    if locked.status != Status.PENDING and not is_re_review:
        raise ValidationError(
            _("Only a product waiting for review can be approved (this one is: %(status)s).")
            % {"status": locked.get_status_display()},
            code="invalid_status",
        )
    if not locked.ikm.can_publish:
        raise ValidationError(
            _("%(ikm)s is not verified or is suspended: its products cannot be published.") % {"ikm": locked.ikm},
            code="ikm_not_public",
        )
    from_status = locked.status
    locked.status = Status.PUBLISHED
    locked.status_reason = ""
    locked.published_at = locked.published_at or timezone.now()
    locked.review_requested_at = None
    locked.full_clean()
    locked.save()
    decision_record(target=locked, actor=actor, from_status=from_status, to_status=locked.status)
    _mail_owner(locked.ikm, "product_approved", {"product": locked, "re_review": is_re_review})
    return locked


@transaction.atomic
def product_request_changes(*, product: Product, actor: object, reason: str) -> Product:
    """Pending or published (e.g. an edit under re-review) → needs changes, with the reason the owner reads.

    A published product sent back is no longer public until the owner fixes it and staff approve again.
    """
    _require_staff(actor)
    reason = _require_reason(reason)
    locked = _lock_product(product)
    if locked.status not in (Status.PENDING, Status.PUBLISHED):
        raise ValidationError(
            _("Only a product waiting for review or published can be sent back (this one is: %(status)s).")
            % {"status": locked.get_status_display()},
            code="invalid_status",
        )
    from_status = locked.status
    locked.status = Status.NEEDS_CHANGES
    locked.status_reason = reason
    locked.review_requested_at = None
    locked.full_clean()
    locked.save()
    decision_record(target=locked, actor=actor, from_status=from_status, to_status=locked.status, reason=reason)
    _mail_owner(locked.ikm, "product_changes_requested", {"product": locked})
    return locked


# --- Photos --------------------------------------------------------------------------------------


def _discard_stored(names: Iterable[str]) -> None:
    for name in names:
        delete_image(name)


@transaction.atomic
def photos_add(
    *, product: Product, user: object, images: Iterable[PreparedImage], alt_text: str = ""
) -> list[ProductPhoto]:
    """Store prepared images as the product's next photos (at most 8 in all); the first photo is the cover.

    Files are written before the rows; if anything fails after that, the files written are removed.
    """
    images = list(images)
    locked = _lock_product(product)
    _require_owner(locked.ikm, user)
    existing = locked.photos.count()
    room = ProductPhoto.MAX_PER_PRODUCT - existing
    if len(images) > room:
        raise ValidationError(
            {
                "images": _("A product has at most %(max)d photos: you can add %(room)d more.")
                % {"max": ProductPhoto.MAX_PER_PRODUCT, "room": max(room, 0)}
            },
            code="too_many_photos",
        )
    last = locked.photos.aggregate(last=Max("position"))["last"]
    next_position = 0 if last is None else last + 1
    stored_names: list[str] = []
    photos: list[ProductPhoto] = []
    try:
        for offset, prepared in enumerate(images):
            stored = store_image(prepared, folder="products")
            stored_names.append(stored.name)
            photo = ProductPhoto(
                product=locked,
                image=stored.name,
                width=stored.width,
                height=stored.height,
                alt_text=alt_text.strip(),
                position=next_position + offset,
            )
            photo.full_clean()
            photo.save()
            photos.append(photo)
        if photos:
            _touch_for_re_review(locked)
    except BaseException:
        _discard_stored(stored_names)
        raise
    return photos


def photo_add(*, product: Product, user: object, image: PreparedImage, alt_text: str = "") -> ProductPhoto:
    """One photo: see ``photos_add``."""
    return photos_add(product=product, user=user, images=[image], alt_text=alt_text)[0]


def _touch_for_re_review(product: Product) -> None:
    """Photos are what buyers see first: changing them on a published product asks staff to look again."""
    if product.status == Status.PUBLISHED and product.review_requested_at is None:
        _request_re_review(product)
        product.save(update_fields=["review_requested_at", "updated_at"])


def _lock_photo(photo: ProductPhoto, user: object) -> tuple[Product, ProductPhoto]:
    product = _lock_product(photo.product)
    _require_owner(product.ikm, user)
    photo = ProductPhoto.objects.get(pk=photo.pk, product=product)
    return product, photo


@transaction.atomic
def photo_update(*, photo: ProductPhoto, user: object, alt_text: str) -> ProductPhoto:
    """Change a photo's description for screen readers (empty: the product name is used)."""
    product, photo = _lock_photo(photo, user)
    alt_text = alt_text.strip()
    if photo.alt_text == alt_text:
        return photo
    photo.alt_text = alt_text
    photo.full_clean()
    photo.save()
    _touch_for_re_review(product)
    return photo


@transaction.atomic
def photo_remove(*, photo: ProductPhoto, user: object) -> None:
    """Delete a photo, close the gap in the order, and delete its files once the transaction commits."""
    product, photo = _lock_photo(photo, user)
    name, position = photo.image, photo.position
    photo.delete()
    # Shift the later photos down by one in two statements, through the transient positions 8-15,
    # so the unique (product, position) constraint holds after each row on every database.
    later = ProductPhoto.objects.filter(product=product, position__gt=position)
    later.update(position=F("position") + ProductPhoto.MAX_PER_PRODUCT)
    ProductPhoto.objects.filter(product=product, position__gte=ProductPhoto.MAX_PER_PRODUCT).update(
        position=F("position") - ProductPhoto.MAX_PER_PRODUCT - 1
    )
    _touch_for_re_review(product)
    # Demo data shares a pool of pictures between products: only delete a file nobody else shows.
    if not ProductPhoto.objects.filter(image=name).exists():
        transaction.on_commit(lambda: delete_image(name))


@transaction.atomic
def photo_move(*, photo: ProductPhoto, user: object, direction: Literal["up", "down"]) -> ProductPhoto:
    """Swap a photo with its neighbour (up: towards the cover). Moving past either end does nothing."""
    product, photo = _lock_photo(photo, user)
    siblings = ProductPhoto.objects.filter(product=product)
    if direction == "up":
        neighbour = siblings.filter(position__lt=photo.position).order_by("-position").first()
    elif direction == "down":
        neighbour = siblings.filter(position__gt=photo.position).order_by("position").first()
    else:
        raise ValueError(f"direction must be 'up' or 'down', not {direction!r}")
    if neighbour is None:
        return photo
    mine, theirs = photo.position, neighbour.position
    # Three steps through a transient position (8-15) keep (product, position) unique throughout.
    ProductPhoto.objects.filter(pk=photo.pk).update(position=mine + ProductPhoto.MAX_PER_PRODUCT)
    ProductPhoto.objects.filter(pk=neighbour.pk).update(position=mine)
    ProductPhoto.objects.filter(pk=photo.pk).update(position=theirs)
    photo.position = theirs
    # update() sends no signal: the cached pages and cards would keep the old cover.
    facets.catalog_changed()
    return photo


# --- Certificates --------------------------------------------------------------------------------


def _check_products(ikm: IKM, products: Iterable[Product]) -> list[Product]:
    products = list(products)
    if any(p.ikm_id != ikm.pk for p in products):
        raise ValidationError({"products": _("Choose only products of your own IKM.")}, code="not_own_product")
    return products


def _apply_certification_fields(certification: Certification, data: Mapping[str, Any]) -> set[str]:
    """Copy the owner-editable values, the number in its stored form; return the names that changed."""
    values = {name: data[name] for name in CERTIFICATION_EDITABLE_FIELDS if name in data}
    cert_type = values.get("type", certification.type)
    number = values.get("number", certification.number)
    if cert_type and number:
        try:
            values["number"] = normalize_certificate_number(cert_type, number)
        except ValidationError as error:
            raise ValidationError({"number": error.messages}, code="invalid_certificate_number") from error
    changed = set()
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip()
        if getattr(certification, name) != value:
            setattr(certification, name, value)
            changed.add(name)
    return changed


def _store_document(document: PreparedDocument) -> str:
    return store_document(document, folder="certificates", storage=storages[PRIVATE_STORAGE])


def _delete_document(name: str) -> None:
    if name:
        storages[PRIVATE_STORAGE].delete(name)


@transaction.atomic
def certification_create(
    *,
    ikm: IKM,
    user: object,
    data: Mapping[str, Any],
    products: Iterable[Product] = (),
    document: PreparedDocument | None = None,
) -> Certification:
    """A certificate starts pending; staff verify it against the scan before it shows as a badge."""
    _require_owner(ikm, user)
    products = _check_products(ikm, products)
    certification = Certification(ikm=ikm, status=CertStatus.PENDING)
    _apply_certification_fields(certification, data)
    certification.full_clean()
    stored = _store_document(document) if document is not None else ""
    try:
        certification.document = stored
        certification.save()
        certification.products.set(products)
        decision_record(target=certification, actor=None, from_status="", to_status=certification.status)
    except BaseException:
        _delete_document(stored)
        raise
    return certification


@transaction.atomic
def certification_update(
    *,
    certification: Certification,
    user: object,
    data: Mapping[str, Any],
    products: Iterable[Product] | None = None,
    document: PreparedDocument | None = None,
) -> Certification:
    """Save the owner's edit. Any change to a verified or rejected certificate sends it back to staff (pending):
    a badge must only ever vouch for what staff checked."""
    locked = Certification.objects.select_for_update().select_related("ikm").get(pk=certification.pk)
    _require_owner(locked.ikm, user)
    changed = _apply_certification_fields(locked, data)
    if products is not None:
        products = _check_products(locked.ikm, products)
        if {p.pk for p in products} != set(locked.products.values_list("pk", flat=True)):
            changed.add("products")
    if document is not None:
        changed.add("document")
    if not changed:
        return locked
    from_status = locked.status
    if from_status != CertStatus.PENDING:
        locked.status = CertStatus.PENDING
        locked.status_reason = ""
        locked.verified_at = None
        locked.verified_by = None
    locked.full_clean()
    old_document, new_document = locked.document, ""
    if document is not None:
        new_document = locked.document = _store_document(document)
    try:
        locked.save()
        if products is not None:
            locked.products.set(products)
        if from_status != locked.status:
            decision_record(target=locked, actor=None, from_status=from_status, to_status=locked.status)
    except BaseException:
        _delete_document(new_document)
        raise
    if new_document and old_document:
        transaction.on_commit(lambda: _delete_document(old_document))
    return locked


@transaction.atomic
def certification_verify(*, certification: Certification, actor: object) -> Certification:
    """Staff checked the number at the issuer and the scan: the certificate shows as a badge while not expired."""
    _require_staff(actor)
    locked = Certification.objects.select_for_update().select_related("ikm", "ikm__owner").get(pk=certification.pk)
    if locked.status == CertStatus.VERIFIED:
        return locked
    from_status = locked.status
    locked.status = CertStatus.VERIFIED
    locked.status_reason = ""
    locked.verified_at = timezone.now()
    locked.verified_by = actor
    locked.full_clean()
    locked.save()
    decision_record(target=locked, actor=actor, from_status=from_status, to_status=locked.status)
    _mail_owner(locked.ikm, "certification_verified", {"certification": locked})
    return locked


@transaction.atomic
def certification_reject(*, certification: Certification, actor: object, reason: str) -> Certification:
    """Staff could not confirm the certificate: it never shows as a badge; the owner reads why and can fix it."""
    _require_staff(actor)
    reason = _require_reason(reason)
    locked = Certification.objects.select_for_update().select_related("ikm", "ikm__owner").get(pk=certification.pk)
    from_status = locked.status
    locked.status = CertStatus.REJECTED
    locked.status_reason = reason
    locked.verified_at = None
    locked.verified_by = None
    locked.full_clean()
    locked.save()
    decision_record(target=locked, actor=actor, from_status=from_status, to_status=locked.status, reason=reason)
    _mail_owner(locked.ikm, "certification_rejected", {"certification": locked})
    return locked


# --- Mail --------------------------------------------------------------------------------------


def _mail_owner(ikm: IKM, template: str, context: dict[str, Any]) -> None:
    """Mail the IKM's owner in Indonesian with a link to fix things, after the transaction commits."""
    address = ikm.owner.email
    if not address:
        return
    with translation.override("id"):
        links = {
            "products_url": settings.SITE_URL + reverse("catalog:owner-product-list"),
            "certifications_url": settings.SITE_URL + reverse("catalog:owner-certification-list"),
        }
        if "product" in context:
            links["product_url"] = settings.SITE_URL + reverse(
                "catalog:owner-product-update", kwargs={"pk": context["product"].pk}
            )
        if "certification" in context:
            links["certification_url"] = settings.SITE_URL + reverse(
                "catalog:owner-certification-update", kwargs={"pk": context["certification"].pk}
            )
        full_context = {"ikm": ikm, "SITE_NAME": settings.SITE_NAME, **links, **context}
        subject = " ".join(render_to_string(f"catalog/email/{template}_subject.txt", full_context).split())
        body = render_to_string(f"catalog/email/{template}.txt", full_context)
    mail_after_commit(subject=subject, body=body, to=[address])
