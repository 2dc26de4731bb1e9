"""The publishing rules in catalog.services: the state machine, re-review, who may publish, decisions, mail."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from catalog import services
from catalog.models import Category, Product
from ikm.models import IKM
from moderation.models import Decision

pytestmark = pytest.mark.django_db

Status = Product.Status


@pytest.fixture
def data():
    return {
        "name": "Keripik Pisang Cokelat",
        "category": Category.objects.get(slug="keripik-camilan"),
        "short_description": "Renyah, manis, khas Bandar Lampung.",
        "price_min": 25000,
        "unit": Product.Unit.PACK,
        "min_order": 1,
    }


@pytest.fixture
def draft(owner_ikm, owner, data):
    return services.product_create(ikm=owner_ikm, user=owner, data=data)


@pytest.fixture
def pending(draft, owner, add_photos):
    add_photos(draft)
    return services.product_submit(product=draft, user=owner)


@pytest.fixture
def published(pending, staff_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        product = services.product_approve(product=pending, actor=staff_user)
    mail.outbox.clear()
    return product


def decisions(product: Product) -> list[tuple[str, str, bool, str]]:
    """(from, to, by staff?, reason), oldest first."""
    return [
        (d.from_status, d.to_status, d.actor_id is not None, d.reason)
        for d in Decision.objects.for_object(product).order_by("created_at", "pk")
    ]


# --- Creating and editing ------------------------------------------------------------------------


def test_new_product_is_a_private_draft_with_a_slug(draft) -> None:
    assert draft.status == Status.DRAFT
    assert draft.slug == "keripik-pisang-cokelat"
    assert draft.published_at is None
    assert not Product.objects.published().filter(pk=draft.pk).exists()


def test_a_second_product_with_the_same_name_gets_another_slug(owner_ikm, owner, data, draft) -> None:
    second = services.product_create(ikm=owner_ikm, user=owner, data=data)
    assert second.slug != draft.slug
    assert second.slug.startswith("keripik-pisang-cokelat-")


def test_only_the_owner_creates_products_for_an_ikm(owner_ikm, other_owner, data) -> None:
    with pytest.raises(PermissionDenied):
        services.product_create(ikm=owner_ikm, user=other_owner, data=data)


def test_only_the_owner_edits_a_product(draft, other_owner) -> None:
    with pytest.raises(PermissionDenied):
        services.product_update(product=draft, user=other_owner, data={"name": "Diambil alih"})


def test_invalid_data_is_refused_by_full_clean(owner_ikm, owner, data) -> None:
    data["price_max"] = 10000  # below price_min
    with pytest.raises(ValidationError):
        services.product_create(ikm=owner_ikm, user=owner, data=data)
    assert not Product.objects.exists()


def test_fields_outside_the_owner_editable_list_are_ignored(draft, owner) -> None:
    product = services.product_update(
        product=draft, user=owner, data={"status": Status.PUBLISHED, "is_featured": True, "name": "Keripik Baru"}
    )
    assert product.status == Status.DRAFT
    assert product.is_featured is False
    assert product.name == "Keripik Baru"


def test_the_slug_follows_the_name_until_first_published(draft, owner) -> None:
    product = services.product_update(product=draft, user=owner, data={"name": "Keripik Pisang Keju"})
    assert product.slug == "keripik-pisang-keju"


def test_the_slug_is_stable_once_published(published, owner) -> None:
    slug = published.slug
    product = services.product_update(product=published, user=owner, data={"name": "Nama Lain Sama Sekali"})
    assert product.slug == slug


def test_editing_a_draft_or_needs_changes_product_just_saves(draft, owner) -> None:
    product = services.product_update(product=draft, user=owner, data={"price_min": 30000})
    assert product.status == Status.DRAFT
    assert product.review_requested_at is None
    assert product.price_min == 30000


def test_editing_a_published_product_keeps_it_public_and_queues_it_for_re_review(published, owner) -> None:
    product = services.product_update(product=published, user=owner, data={"price_min": 27500})
    product.refresh_from_db()
    assert product.status == Status.PUBLISHED
    assert product.review_requested_at is not None
    assert Product.objects.published().filter(pk=product.pk).exists()
    assert Product.objects.waiting_for_review().filter(pk=product.pk).exists()


def test_saving_a_published_product_unchanged_does_not_queue_it(published, owner) -> None:
    product = services.product_update(product=published, user=owner, data={"price_min": published.price_min})
    assert product.review_requested_at is None


def test_a_second_edit_keeps_the_first_request_time(published, owner) -> None:
    first = services.product_update(product=published, user=owner, data={"price_min": 27500}).review_requested_at
    second = services.product_update(product=published, user=owner, data={"price_min": 28000}).review_requested_at
    assert second == first


# --- Submitting ---------------------------------------------------------------------------------


def test_submitting_needs_a_photo(draft, owner) -> None:
    with pytest.raises(ValidationError) as error:
        services.product_submit(product=draft, user=owner)
    assert error.value.code == "no_photo"
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_submitting_moves_a_draft_to_pending_and_logs_it(pending) -> None:
    assert pending.status == Status.PENDING
    assert pending.submitted_at is not None
    assert decisions(pending) == [(Status.DRAFT, Status.PENDING, False, "")]
    assert not Product.objects.published().filter(pk=pending.pk).exists()


@pytest.mark.parametrize(
    ("ikm_fields", "code"),
    [
        ({"status": IKM.Status.SUBMITTED}, "ikm_not_verified"),
        ({"status": IKM.Status.DRAFT}, "ikm_not_verified"),
        ({"is_suspended": True, "suspended_reason": "Laporan pembeli"}, "ikm_suspended"),
    ],
)
def test_only_a_verified_active_ikm_submits(owner_ikm, draft, owner, add_photos, ikm_fields, code) -> None:
    add_photos(draft)
    IKM.objects.filter(pk=owner_ikm.pk).update(**ikm_fields)
    with pytest.raises(ValidationError) as error:
        services.product_submit(product=draft, user=owner)
    assert error.value.code == code
    assert error.value.messages[0]  # a sentence the owner can act on


def test_a_pending_product_cannot_be_submitted_again(pending, owner) -> None:
    with pytest.raises(ValidationError) as error:
        services.product_submit(product=pending, user=owner)
    assert error.value.code == "invalid_status"


def test_another_owner_cannot_submit(draft, other_owner, add_photos) -> None:
    add_photos(draft)
    with pytest.raises(PermissionDenied):
        services.product_submit(product=draft, user=other_owner)


# --- Staff decisions -----------------------------------------------------------------------------


def test_approving_publishes_logs_and_mails_the_owner(
    pending, staff_user, owner, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        product = services.product_approve(product=pending, actor=staff_user)
    assert product.status == Status.PUBLISHED
    assert product.published_at is not None
    assert Product.objects.published().filter(pk=product.pk).exists()
    assert decisions(product)[-1] == (Status.PENDING, Status.PUBLISHED, True, "")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.email]
    assert "Keripik Pisang Cokelat" in message.subject
    assert "Halo" in message.body or "disetujui" in message.body.lower() or "Keripik" in message.body
    assert f"/dasbor/produk/{product.pk}/ubah/" in message.body


def test_only_staff_approve(pending, owner) -> None:
    with pytest.raises(PermissionDenied):
        services.product_approve(product=pending, actor=owner)


def test_a_draft_cannot_be_approved(draft, staff_user) -> None:
    with pytest.raises(ValidationError) as error:
        services.product_approve(product=draft, actor=staff_user)
    assert error.value.code == "invalid_status"


def test_a_product_of_a_suspended_ikm_cannot_be_approved(pending, owner_ikm, staff_user) -> None:
    IKM.objects.filter(pk=owner_ikm.pk).update(is_suspended=True)
    with pytest.raises(ValidationError) as error:
        services.product_approve(product=pending, actor=staff_user)
    assert error.value.code == "ikm_not_public"


def test_requesting_changes_needs_a_reason(pending, staff_user) -> None:
    with pytest.raises(ValidationError) as error:
        services.product_request_changes(product=pending, actor=staff_user, reason="   ")
    assert "reason" in error.value.error_dict
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


def test_requesting_changes_records_the_reason_and_mails_it(
    pending, staff_user, owner, django_capture_on_commit_callbacks
) -> None:
    reason = "Foto utama buram, mohon unggah foto yang lebih jelas."
    with django_capture_on_commit_callbacks(execute=True):
        product = services.product_request_changes(product=pending, actor=staff_user, reason=reason)
    assert product.status == Status.NEEDS_CHANGES
    assert product.status_reason == reason
    assert decisions(product)[-1] == (Status.PENDING, Status.NEEDS_CHANGES, True, reason)
    assert len(mail.outbox) == 1
    assert reason in mail.outbox[0].body
    assert f"/dasbor/produk/{product.pk}/ubah/" in mail.outbox[0].body
    assert mail.outbox[0].to == [owner.email]


def test_the_owner_fixes_and_resubmits_after_changes_were_requested(pending, staff_user, owner) -> None:
    services.product_request_changes(product=pending, actor=staff_user, reason="Harga per pack, bukan per karton.")
    product = services.product_update(product=pending, user=owner, data={"price_min": 26000})
    assert product.status == Status.NEEDS_CHANGES
    product = services.product_submit(product=product, user=owner)
    assert product.status == Status.PENDING
    assert product.status_reason == ""


def test_approving_a_re_review_clears_the_request_and_says_so(
    published, owner, staff_user, django_capture_on_commit_callbacks
) -> None:
    services.product_update(product=published, user=owner, data={"description": "Kini dengan rasa baru."})
    with django_capture_on_commit_callbacks(execute=True):
        product = services.product_approve(product=published, actor=staff_user)
    assert product.status == Status.PUBLISHED
    assert product.review_requested_at is None
    assert not Product.objects.waiting_for_review().filter(pk=product.pk).exists()
    assert decisions(product)[-1] == (Status.PUBLISHED, Status.PUBLISHED, True, "")
    assert len(mail.outbox) == 1


def test_an_approved_product_without_pending_edits_cannot_be_approved_again(published, staff_user) -> None:
    with pytest.raises(ValidationError):
        services.product_approve(product=published, actor=staff_user)


def test_requesting_changes_on_a_re_review_takes_the_product_off_the_catalog(published, owner, staff_user) -> None:
    services.product_update(product=published, user=owner, data={"name": "Keripik Pisang Terbaik Sedunia"})
    product = services.product_request_changes(product=published, actor=staff_user, reason="Nama berlebihan.")
    assert product.status == Status.NEEDS_CHANGES
    assert product.review_requested_at is None
    assert not Product.objects.published().filter(pk=product.pk).exists()


def test_a_rollback_sends_no_mail(pending, staff_user, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                services.product_approve(product=pending, actor=staff_user)
                raise RuntimeError("something later failed")
        except RuntimeError:
            pass
    assert mail.outbox == []
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


# --- Archive, suspension ------------------------------------------------------------------------


def test_archiving_hides_a_published_product_and_restoring_makes_a_draft(published, owner) -> None:
    product = services.product_archive(product=published, user=owner)
    assert product.status == Status.ARCHIVED
    assert not Product.objects.published().filter(pk=product.pk).exists()
    product = services.product_unarchive(product=product, user=owner)
    assert product.status == Status.DRAFT
    assert [d[:2] for d in decisions(product)][-2:] == [
        (Status.PUBLISHED, Status.ARCHIVED),
        (Status.ARCHIVED, Status.DRAFT),
    ]


def test_only_an_archived_product_is_restored(draft, owner) -> None:
    with pytest.raises(ValidationError):
        services.product_unarchive(product=draft, user=owner)


def test_another_owner_cannot_archive(published, other_owner) -> None:
    with pytest.raises(PermissionDenied):
        services.product_archive(product=published, user=other_owner)


def test_suspending_an_ikm_hides_its_products_at_once(published, owner_ikm) -> None:
    assert Product.objects.published().filter(pk=published.pk).exists()
    IKM.objects.filter(pk=owner_ikm.pk).update(is_suspended=True, suspended_reason="Pemeriksaan")
    assert not Product.objects.published().filter(pk=published.pk).exists()
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED  # nothing to undo when the suspension ends
    IKM.objects.filter(pk=owner_ikm.pk).update(is_suspended=False)
    assert Product.objects.published().filter(pk=published.pk).exists()


def test_an_unverified_ikm_product_is_never_public_even_if_marked_published(make_ikm, make_product) -> None:
    ikm = make_ikm(status=IKM.Status.SUBMITTED)
    product = make_product(ikm)
    assert not Product.objects.published().filter(pk=product.pk).exists()


# --- Photos on published products ---------------------------------------------------------------


def test_adding_a_photo_to_a_published_product_asks_for_re_review(published, add_photos) -> None:
    add_photos(published)
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED
    assert published.review_requested_at is not None


def test_reordering_photos_does_not_ask_for_re_review(published, add_photos, owner) -> None:
    add_photos(published)
    Product.objects.filter(pk=published.pk).update(review_requested_at=None)
    second = published.photos.order_by("position")[1]
    services.photo_move(photo=second, user=owner, direction="up")
    published.refresh_from_db()
    assert published.review_requested_at is None


def test_a_slug_taken_between_the_check_and_the_save_is_replaced(owner_ikm, owner, data, monkeypatch) -> None:
    first = services.product_create(ikm=owner_ikm, user=owner, data=data)
    # The race: full_clean() saw the slug free, then another request saved it before this save.
    monkeypatch.setattr(Product, "validate_unique", lambda self, exclude=None: None)
    slugs = iter([first.slug, "keripik-pisang-cokelat-baru"])
    monkeypatch.setattr(services, "_unique_slug", lambda name, exclude_pk=None: next(slugs))
    second = services.product_create(ikm=owner_ikm, user=owner, data=data)
    assert second.slug == "keripik-pisang-cokelat-baru"
    assert Product.objects.count() == 2
