"""The catalog admin: lists, the review-queue filter, and the actions that call the services (reasons, mail)."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from catalog.models import Certification, Product
from moderation.models import Decision

pytestmark = pytest.mark.django_db

PRODUCTS = reverse("admin:catalog_product_changelist")
CERTIFICATIONS = reverse("admin:catalog_certification_changelist")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def pending(owner_ikm, make_product, add_photos):
    product = make_product(owner_ikm, name="Kopi Robusta Liwa", status=Product.Status.PENDING)
    add_photos(product)
    return product


def test_staff_see_the_product_list_with_covers(staff_client, pending, owner_ikm, make_product) -> None:
    make_product(owner_ikm, name="Sambal Seruit")
    response = staff_client.get(PRODUCTS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kopi Robusta Liwa" in html and "Sambal Seruit" in html
    assert 'class="catalog-thumb' in html


def test_the_product_list_runs_a_fixed_number_of_queries(
    staff_client, owner_ikm, make_product, add_photos, django_assert_max_num_queries
) -> None:
    for i in range(30):
        make_product(owner_ikm, name=f"Produk {i}")
    with django_assert_max_num_queries(16):
        assert staff_client.get(PRODUCTS).status_code == 200


def test_the_waiting_for_review_filter(staff_client, pending, owner_ikm, make_product) -> None:
    make_product(owner_ikm, name="Sudah Tayang Tanpa Perubahan")
    make_product(owner_ikm, name="Tayang Diubah Pemilik", review_requested_at=timezone.now())
    make_product(owner_ikm, name="Masih Draf", status=Product.Status.DRAFT)
    html = staff_client.get(PRODUCTS + "?queue=waiting").content.decode()
    assert "Kopi Robusta Liwa" in html and "Tayang Diubah Pemilik" in html
    assert "Sudah Tayang Tanpa Perubahan" not in html and "Masih Draf" not in html
    html = staff_client.get(PRODUCTS + "?queue=edited").content.decode()
    assert "Tayang Diubah Pemilik" in html and "Kopi Robusta Liwa" not in html


def test_the_change_page_shows_photos_and_history(staff_client, pending, staff_user) -> None:
    from catalog import services

    services.product_request_changes(product=pending, actor=staff_user, reason="Foto kurang terang.")
    response = staff_client.get(reverse("admin:catalog_product_change", args=[pending.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Foto kurang terang." in html
    assert 'class="catalog-thumb' in html


def test_the_approve_action_publishes_and_mails(
    staff_client, pending, owner, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(PRODUCTS, {"action": "approve", ACTION_CHECKBOX_NAME: [pending.pk]}, follow=True)
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == Product.Status.PUBLISHED
    assert Decision.objects.for_object(pending).get().actor is not None
    assert [m.to for m in mail.outbox] == [[owner.email]]


def test_approving_a_draft_is_refused_with_a_warning(staff_client, owner_ikm, make_product) -> None:
    draft = make_product(owner_ikm, name="Masih Draf", status=Product.Status.DRAFT)
    response = staff_client.post(PRODUCTS, {"action": "approve", ACTION_CHECKBOX_NAME: [draft.pk]}, follow=True)
    assert "Masih Draf" in " ".join(str(m) for m in response.context["messages"])
    draft.refresh_from_db()
    assert draft.status == Product.Status.DRAFT


def test_request_changes_asks_for_a_reason_first(staff_client, pending) -> None:
    response = staff_client.post(PRODUCTS, {"action": "request_changes", ACTION_CHECKBOX_NAME: [pending.pk]})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="reason"' in html and "Kopi Robusta Liwa" in html
    pending.refresh_from_db()
    assert pending.status == Product.Status.PENDING


def test_request_changes_without_a_reason_changes_nothing(staff_client, pending) -> None:
    response = staff_client.post(
        PRODUCTS,
        {"action": "request_changes", ACTION_CHECKBOX_NAME: [pending.pk], "apply": "1", "reason": "  "},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    pending.refresh_from_db()
    assert pending.status == Product.Status.PENDING
    assert mail.outbox == []


def test_request_changes_with_a_reason_sends_it_to_the_owner(
    staff_client, pending, owner, django_capture_on_commit_callbacks
) -> None:
    reason = "Mohon cantumkan berat bersih kemasan."
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            PRODUCTS,
            {"action": "request_changes", ACTION_CHECKBOX_NAME: [pending.pk], "apply": "1", "reason": reason},
        )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Product.Status.NEEDS_CHANGES
    assert pending.status_reason == reason
    assert Decision.objects.for_object(pending).get().reason == reason
    assert reason in mail.outbox[0].body and mail.outbox[0].to == [owner.email]


@pytest.fixture
def certification(owner_ikm, make_certification, pending):
    return make_certification(owner_ikm, [pending], document="certificates/scan.pdf")


def test_the_certificate_list_links_the_protected_scan(staff_client, certification) -> None:
    html = staff_client.get(CERTIFICATIONS).content.decode()
    assert reverse("catalog:owner-certification-document", kwargs={"pk": certification.pk}) in html
    assert "/media/" not in html.split("result_list", 1)[1]


def test_the_verify_action(staff_client, certification, owner, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(CERTIFICATIONS, {"action": "verify", ACTION_CHECKBOX_NAME: [certification.pk]})
    certification.refresh_from_db()
    assert certification.status == Certification.Status.VERIFIED
    assert len(mail.outbox) == 1


def test_the_reject_action_needs_and_sends_a_reason(
    staff_client, certification, django_capture_on_commit_callbacks
) -> None:
    response = staff_client.post(CERTIFICATIONS, {"action": "reject", ACTION_CHECKBOX_NAME: [certification.pk]})
    assert 'name="reason"' in response.content.decode()
    reason = "Pindaian terpotong, nomor tidak terbaca."
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            CERTIFICATIONS,
            {"action": "reject", ACTION_CHECKBOX_NAME: [certification.pk], "apply": "1", "reason": reason},
        )
    certification.refresh_from_db()
    assert certification.status == Certification.Status.REJECTED
    assert certification.status_reason == reason
    assert reason in mail.outbox[0].body


def test_staff_typing_a_number_get_it_normalised(staff_client, certification) -> None:
    url = reverse("admin:catalog_certification_change", args=[certification.pk])
    response = staff_client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        type="bpom", number="BPOM RI MD 224510107115", products=[str(p.pk) for p in certification.products.all()]
    )
    data.update({"ikm": str(certification.ikm_id), "issued_on": "", "expires_on": ""})
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    certification.refresh_from_db()
    assert certification.number == "MD224510107115"


def test_categories_are_read_mostly(staff_client) -> None:
    response = staff_client.get(reverse("admin:catalog_category_changelist"))
    assert response.status_code == 200
    assert "Keripik &amp; Camilan" in response.content.decode()
    assert staff_client.get(reverse("admin:catalog_category_add")).status_code == 403
