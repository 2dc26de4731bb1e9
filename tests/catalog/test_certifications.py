"""Certificates: the owner's form, staff verification, and the private scan served only to owner and staff."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from catalog import services
from catalog.models import Certification, Product
from moderation.models import Decision
from tests.catalog.conftest import PDF_BYTES, jpeg_upload, pdf_upload

pytestmark = pytest.mark.django_db

Status = Certification.Status


def en(name: str, **kwargs: object) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def product(owner_ikm, make_product):
    return make_product(owner_ikm, name="Keripik Pisang Cokelat")


@pytest.fixture
def form_data(product):
    return {
        "type": "halal",
        "number": "No. ID 3311 0018 5177 10724",
        "issuer": "",
        "issued_on": "2024-07-01",
        "expires_on": "",
        "products": [str(product.pk)],
    }


@pytest.fixture
def certification(owner_ikm, owner, product):
    return services.certification_create(
        ikm=owner_ikm,
        user=owner,
        data={"type": "halal", "number": "ID33110018517710724", "issuer": "BPJPH"},
        products=[product],
        document=_prepared_pdf(),
    )


def _prepared_pdf():
    from catalog.forms import CertificationForm

    return CertificationForm.base_fields["document"].clean(pdf_upload())


# --- The owner's form ------------------------------------------------------------------------------


def test_the_owner_adds_a_halal_certificate_with_its_scan(owner_client, owner_ikm, product, form_data) -> None:
    form_data["document"] = pdf_upload()
    response = owner_client.post(reverse("catalog:owner-certification-create"), form_data)
    assert response.status_code == 302
    certification = Certification.objects.get(ikm=owner_ikm)
    assert certification.number == "ID33110018517710724"  # normalised
    assert certification.issuer == "BPJPH"  # the usual issuer when left empty
    assert certification.status == Status.PENDING
    assert list(certification.products.all()) == [product]
    assert certification.issued_on == dt.date(2024, 7, 1)
    private = storages["private"]
    assert certification.document and private.exists(certification.document)
    assert Decision.objects.for_object(certification).get().to_status == Status.PENDING


def test_the_scan_is_stored_outside_media_root(certification) -> None:
    path = Path(storages["private"].path(certification.document)).resolve()
    assert Path(settings.PRIVATE_MEDIA_ROOT).resolve() in path.parents
    assert Path(settings.MEDIA_ROOT).resolve() not in path.parents


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"number": "ID123"}, "number", "ID followed by 17 digits"),
        ({"number": "KH 123456789"}, "number", "Ketetapan Halal"),
        ({"number": ""}, "number", "required"),
        ({"type": "pirt", "number": "12345"}, "number", "15 digits"),
        ({"type": "bpom", "number": "AB 123"}, "number", "MD or ML"),
        ({"type": "sertifikat-palsu"}, "type", "valid choice"),
        ({"expires_on": "2020-01-01"}, "expires_on", "before the issue date"),
        ({"issued_on": "kemarin"}, "issued_on", "valid date"),
        ({"type": "other", "number": "123/ABC", "issuer": ""}, "issuer", "Name the issuer"),
        ({"issuer": "B" * 151}, "issuer", "150"),
        (
            {"document": SimpleUploadedFile("scan.pdf", b"not a pdf at all", content_type="application/pdf")},
            "document",
            "",
        ),
        ({"document": None}, "document", "required"),
    ],
)
def test_bad_input_is_explained_next_to_the_field(owner_client, owner_ikm, form_data, changes, field, message) -> None:
    form_data["document"] = pdf_upload()
    form_data.update(changes)
    if form_data["document"] is None:
        del form_data["document"]
    response = owner_client.post(en("catalog:owner-certification-create"), form_data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message.lower() in " ".join(errors[field]).lower()
    assert 'class="error-summary"' in response.content.decode()
    assert not Certification.objects.exists()


def test_typed_values_are_kept_after_an_error(owner_client, owner_ikm, form_data) -> None:
    form_data.update(number="ID123", issuer="BPJPH Jakarta", document=pdf_upload())
    html = owner_client.post(reverse("catalog:owner-certification-create"), form_data).content.decode()
    assert 'value="ID123"' in html
    assert 'value="BPJPH Jakarta"' in html
    assert 'value="2024-07-01"' in html


def test_an_image_scan_is_accepted(owner_client, owner_ikm, form_data) -> None:
    form_data["document"] = jpeg_upload("scan.jpg")
    response = owner_client.post(reverse("catalog:owner-certification-create"), form_data)
    assert response.status_code == 302, response.context["form"].errors
    assert Certification.objects.get(ikm=owner_ikm).document


def test_another_owners_product_cannot_be_chosen(owner_client, owner_ikm, other_ikm, make_product, form_data) -> None:
    theirs = make_product(other_ikm)
    form_data.update(products=[str(theirs.pk)], document=pdf_upload())
    response = owner_client.post(en("catalog:owner-certification-create"), form_data)
    assert response.status_code == 200
    assert "products" in response.context["form"].errors
    assert not Certification.objects.exists()


def test_the_service_refuses_another_owners_product(owner_ikm, owner, other_ikm, make_product) -> None:
    theirs = make_product(other_ikm)
    with pytest.raises(ValidationError):
        services.certification_create(
            ikm=owner_ikm, user=owner, data={"type": "halal", "number": "ID33110018517710724"}, products=[theirs]
        )


def test_the_same_certificate_twice_is_refused(owner_client, certification, form_data) -> None:
    form_data.update(number="ID33110018517710724", document=pdf_upload())
    response = owner_client.post(en("catalog:owner-certification-create"), form_data)
    assert "already has this certificate" in " ".join(response.context["form"].errors["number"])


def test_the_product_choice_lists_only_my_products(owner_client, owner_ikm, other_ikm, make_product, product) -> None:
    make_product(other_ikm, name="Tapis Orang Lain")
    html = owner_client.get(reverse("catalog:owner-certification-create")).content.decode()
    assert "Keripik Pisang Cokelat" in html
    assert "Tapis Orang Lain" not in html


def test_editing_a_verified_certificate_sends_it_back_to_staff(
    owner_client, certification, staff_user, form_data, product
) -> None:
    services.certification_verify(certification=certification, actor=staff_user)
    form_data.update(number="ID33110018517710724", expires_on="2030-01-01")
    response = owner_client.post(
        reverse("catalog:owner-certification-update", kwargs={"pk": certification.pk}), form_data
    )
    assert response.status_code == 302
    certification.refresh_from_db()
    assert certification.status == Status.PENDING
    assert certification.expires_on == dt.date(2030, 1, 1)
    assert certification.verified_at is None
    assert not Certification.objects.valid().filter(pk=certification.pk).exists()


def test_saving_a_verified_certificate_unchanged_keeps_it_verified(owner, certification, staff_user, product) -> None:
    services.certification_verify(certification=certification, actor=staff_user)
    certification = services.certification_update(
        certification=certification,
        user=owner,
        data={"type": "halal", "number": "ID 33110018517710724", "issuer": "BPJPH"},
        products=[product],
    )
    assert certification.status == Status.VERIFIED


def test_changing_the_covered_products_sends_a_verified_certificate_back(
    owner, owner_ikm, certification, staff_user, make_product
) -> None:
    services.certification_verify(certification=certification, actor=staff_user)
    another = make_product(owner_ikm, name="Sambal Lampung")
    certification = services.certification_update(certification=certification, user=owner, data={}, products=[another])
    assert certification.status == Status.PENDING
    assert list(certification.products.all()) == [another]


def test_replacing_the_scan_deletes_the_old_file(owner, certification, django_capture_on_commit_callbacks) -> None:
    old = certification.document
    with django_capture_on_commit_callbacks(execute=True):
        certification = services.certification_update(
            certification=certification, user=owner, data={}, document=_prepared_pdf()
        )
    assert certification.document != old
    assert storages["private"].exists(certification.document)
    assert not storages["private"].exists(old)


def test_another_owner_cannot_edit_through_the_service(certification, other_owner) -> None:
    with pytest.raises(PermissionDenied):
        services.certification_update(certification=certification, user=other_owner, data={"number": "ID1"})


def test_the_list_shows_status_reason_and_expiry(owner_client, owner_ikm, make_certification, product) -> None:
    make_certification(owner_ikm, [product], status=Status.REJECTED, status_reason="Pindaian tidak terbaca.")
    make_certification(
        owner_ikm,
        [product],
        type="pirt",
        number="206347101012320",
        status=Status.VERIFIED,
        issued_on=dt.date(2015, 1, 1),
        expires_on=dt.date(2020, 1, 1),
    )
    html = owner_client.get(en("catalog:owner-certification-list")).content.decode()
    assert "Pindaian tidak terbaca." in html
    assert "Expired" in html
    assert "P-IRT No. 2063471010123-20" in html  # printed the way labels print it


# --- Staff decisions -------------------------------------------------------------------------------


def test_verifying_logs_and_mails_the_owner(
    certification, staff_user, owner, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        certification = services.certification_verify(certification=certification, actor=staff_user)
    assert certification.status == Status.VERIFIED
    assert certification.verified_by == staff_user and certification.verified_at
    assert Certification.objects.valid().filter(pk=certification.pk).exists()
    decision = Decision.objects.for_object(certification).first()
    assert (decision.from_status, decision.to_status, decision.actor) == (Status.PENDING, Status.VERIFIED, staff_user)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [owner.email]
    assert "ID33110018517710724" in mail.outbox[0].body


def test_rejecting_needs_a_reason_and_mails_it(certification, staff_user, django_capture_on_commit_callbacks) -> None:
    with pytest.raises(ValidationError):
        services.certification_reject(certification=certification, actor=staff_user, reason="")
    reason = "Nomor tidak ditemukan di situs BPJPH."
    with django_capture_on_commit_callbacks(execute=True):
        certification = services.certification_reject(certification=certification, actor=staff_user, reason=reason)
    assert certification.status == Status.REJECTED
    assert certification.status_reason == reason
    assert Decision.objects.for_object(certification).first().reason == reason
    assert reason in mail.outbox[0].body
    assert f"/dasbor/sertifikat/{certification.pk}/ubah/" in mail.outbox[0].body


def test_only_staff_verify_or_reject(certification, owner) -> None:
    with pytest.raises(PermissionDenied):
        services.certification_verify(certification=certification, actor=owner)
    with pytest.raises(PermissionDenied):
        services.certification_reject(certification=certification, actor=owner, reason="Tidak.")


def test_an_expired_certificate_is_not_valid_even_when_verified(certification, staff_user) -> None:
    services.certification_verify(certification=certification, actor=staff_user)
    Certification.objects.filter(pk=certification.pk).update(
        issued_on=dt.date(2019, 1, 1), expires_on=timezone.localdate() - dt.timedelta(days=1)
    )
    assert not Certification.objects.valid().filter(pk=certification.pk).exists()


# --- The private scan ------------------------------------------------------------------------------


def document_url(certification: Certification) -> str:
    return reverse("catalog:owner-certification-document", kwargs={"pk": certification.pk})


def test_the_owner_downloads_the_scan_as_an_attachment(owner_client, certification) -> None:
    response = owner_client.get(document_url(certification))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_staff_download_the_scan(staff_user, certification) -> None:
    client = Client()
    client.force_login(staff_user)
    response = client.get(document_url(certification))
    response.close()
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_an_image_scan_is_served_with_its_image_type(owner_client, owner_ikm, owner) -> None:
    name = storages["private"].save("certificates/scan.png", ContentFile(b"\x89PNG\r\n\x1a\nfake"))
    certification = Certification.objects.create(
        ikm=owner_ikm, type="sni", number="123/SNI/2024", document=name, issuer="LSPro"
    )
    response = owner_client.get(document_url(certification))
    response.close()
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_public_gets_404_for_a_scan(visitor, certification) -> None:
    assert visitor.get(document_url(certification)).status_code == 404


def test_another_owner_gets_404_for_a_scan(other_owner_client, other_ikm, certification) -> None:
    assert other_owner_client.get(document_url(certification)).status_code == 404


def test_staff_without_the_view_permission_get_404(make_user, certification) -> None:
    client = Client()
    client.force_login(make_user(is_staff=True))
    assert client.get(document_url(certification)).status_code == 404


def test_a_certificate_without_a_scan_is_404(owner_client, owner_ikm, make_certification) -> None:
    assert owner_client.get(document_url(make_certification(owner_ikm))).status_code == 404


def test_a_missing_file_is_404_not_500(owner_client, certification) -> None:
    storages["private"].delete(certification.document)
    assert owner_client.get(document_url(certification)).status_code == 404


def test_scans_are_not_reachable_under_media_url(visitor, certification) -> None:
    assert visitor.get(settings.MEDIA_URL + certification.document).status_code == 404


def test_products_of_a_certificate_keep_their_status(certification, product) -> None:
    assert product.status == Product.Status.PUBLISHED
