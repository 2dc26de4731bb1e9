"""Writes that touch several rows are all-or-nothing, and a failing mail server never loses a record.

1. For every service that writes more than one row (the object, its decision log entry, many-to-many links,
   stored files), the second write is made to fail: the whole database and both media folders must be
   exactly as before, and no mail goes out.
2. For every service that mails, the mail backend fails: the record is saved, the decision logged, the
   failure logged at ERROR, and the service (hence the request) does not fail.
3. End to end through HTTP with real commits: the admin's decision, a buyer's inquiry and a sign-up answer
   normally while the mail server is down.
"""

import datetime as dt
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from catalog import services as catalog_services
from catalog.models import Certification, Product, ProductPhoto
from exhibitions import services as exhibition_services
from exhibitions.models import Event, ExhibitorApplication
from ikm import services as ikm_services
from ikm.models import IKM
from inquiries import services as inquiry_services
from inquiries.models import Inquiry
from moderation import services as moderation_services
from moderation.models import Decision, Report
from tests.integrity.mail_backends import FAILING, FLAKY, FlakyBackend

pytestmark = pytest.mark.django_db


class Boom(Exception):
    """The failure injected in the middle of a service."""


def boom(*args: object, **kwargs: object) -> None:
    raise Boom("the second write fails")


def jpeg(colour: tuple[int, int, int] = (180, 120, 60)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, format="JPEG")
    return buffer.getvalue()


def prepared_image(colour: tuple[int, int, int] = (180, 120, 60)):
    from galeri.images import prepare_image

    return prepare_image(io.BytesIO(jpeg(colour)))


def prepared_pdf():
    from galeri.documents import prepare_document
    from tests.catalog.conftest import PDF_BYTES

    return prepare_document(io.BytesIO(PDF_BYTES))


def fingerprint() -> dict[str, object]:
    """Every row of every table (sessions aside) and every file of both media folders."""
    state: dict[str, object] = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed or model._meta.app_label == "sessions":
            continue
        state[model._meta.label] = list(model._base_manager.order_by("pk").values_list())
    for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        base = Path(root)
        state[str(root)] = sorted(str(p.relative_to(base)) for p in base.rglob("*") if p.is_file())
    return state


@dataclass
class Scene:
    """Galeri in the middle of a working day: something in every state a service starts from."""

    staff: object
    owner: object
    ikm: IKM  # verified, public
    draft_ikm: IKM  # complete, ready to submit
    submitted_ikm: IKM
    suspended_ikm: IKM
    published: Product
    pending: Product
    draft: Product
    archived: Product
    cert_pending: Certification
    cert_verified: Certification  # with a stored scan
    event: Event  # published, applications open
    draft_event: Event
    application: ExhibitorApplication  # submitted, by another IKM
    accepted: ExhibitorApplication  # accepted, by a third IKM
    report: Report  # open, about the published product
    inquiry: Inquiry


@pytest.fixture
def scene(make_user, make_ikm, make_product, staff_user) -> Scene:
    now = timezone.now()
    story = "Kami mengolah kopi robusta dari kebun sendiri di Lampung Barat sejak 1998. " * 3
    owner = make_user("pemilik@atomik.test")
    ikm = make_ikm(owner=owner, name="Kopi Atomik", slug="kopi-atomik", story=story, verified_at=now)
    draft_ikm = make_ikm(slug="draf", status=IKM.Status.DRAFT, story=story)
    submitted_ikm = make_ikm(slug="diajukan", status=IKM.Status.SUBMITTED, submitted_at=now)
    suspended_ikm = make_ikm(slug="ditangguhkan", is_suspended=True, suspended_reason="Laporan.", suspended_at=now)
    published = make_product(ikm, slug="terbit")
    pending = make_product(ikm, slug="menunggu", status=Product.Status.PENDING, submitted_at=now)
    draft = make_product(ikm, slug="draf-produk", status=Product.Status.DRAFT)
    archived = make_product(ikm, slug="arsip", status=Product.Status.ARCHIVED)
    for product in (published, pending, draft):
        ProductPhoto.objects.create(product=product, image=f"products/{product.slug}.jpg", width=800, height=600)
    cert_pending = Certification.objects.create(ikm=ikm, type="pirt", number="2061871010123-26")
    cert_verified = catalog_services.certification_create(
        ikm=ikm,
        user=owner,
        data={"type": "halal", "number": "ID18110000123450124", "issuer": "BPJPH"},
        products=[published],
        document=prepared_pdf(),
    )
    Certification.objects.filter(pk=cert_verified.pk).update(status="verified", verified_at=now)
    cert_verified.refresh_from_db()
    event = Event.objects.create(
        kind=Event.Kind.PAMERAN,
        title="Lampung Fair",
        slug="lampung-fair",
        starts_at=now + dt.timedelta(days=30),
        ends_at=now + dt.timedelta(days=32),
        venue_name="PKOR Way Halim",
        region_id="18.71",
        organiser="Disperindag Provinsi Lampung",
        status=Event.Status.PUBLISHED,
        published_at=now,
        applications_open_at=now - dt.timedelta(days=1),
        applications_close_at=now + dt.timedelta(days=10),
        places=5,
    )
    draft_event = Event.objects.create(**{**_event_fields(event), "slug": "draf-acara", "status": "draft"})
    application = ExhibitorApplication.objects.create(event=event, ikm=make_ikm(slug="pelamar"))
    accepted = ExhibitorApplication.objects.create(
        event=event, ikm=make_ikm(slug="diterima"), status="accepted", decided_at=now, booth="B2"
    )
    report = Report.objects.create(product=published, reason=Report.Reason.WRONG_INFORMATION, details="Harga salah.")
    inquiry = Inquiry.objects.create(ikm=ikm, product=published, name="Budi", email="budi@x.test", message="Ada?")
    mail.outbox = []
    return Scene(
        staff=staff_user,
        owner=owner,
        ikm=ikm,
        draft_ikm=draft_ikm,
        submitted_ikm=submitted_ikm,
        suspended_ikm=suspended_ikm,
        published=published,
        pending=pending,
        draft=draft,
        archived=archived,
        cert_pending=cert_pending,
        cert_verified=cert_verified,
        event=event,
        draft_event=draft_event,
        application=application,
        accepted=accepted,
        report=report,
        inquiry=inquiry,
    )


# --- 1. A failure midway leaves nothing half-written -------------------------------------------------------

# id → (what to make fail, the service call). "decision_record" is the audit log entry every decision writes
# after changing the object: making it fail is the classic "second write".
Call = Callable[[Scene], object]

ROLLBACK_CASES: dict[str, tuple[str, Call]] = {
    "ikm_submit": (
        "ikm.services.decision_record",
        lambda s: ikm_services.ikm_submit(ikm=s.draft_ikm, actor=s.draft_ikm.owner),
    ),
    "ikm_verify": (
        "ikm.services.decision_record",
        lambda s: ikm_services.ikm_verify(ikm=s.submitted_ikm, actor=s.staff),
    ),
    "ikm_request_changes": (
        "ikm.services.decision_record",
        lambda s: ikm_services.ikm_request_changes(ikm=s.submitted_ikm, actor=s.staff, reason="Lengkapi NIB."),
    ),
    "ikm_suspend": (
        "ikm.services.decision_record",
        lambda s: ikm_services.ikm_suspend(ikm=s.ikm, actor=s.staff, reason="Laporan pembeli."),
    ),
    "ikm_unsuspend": (
        "ikm.services.decision_record",
        lambda s: ikm_services.ikm_unsuspend(ikm=s.suspended_ikm, actor=s.staff),
    ),
    "product_submit": (
        "catalog.services.decision_record",
        lambda s: catalog_services.product_submit(product=s.draft, user=s.owner),
    ),
    "product_archive": (
        "catalog.services.decision_record",
        lambda s: catalog_services.product_archive(product=s.published, user=s.owner),
    ),
    "product_unarchive": (
        "catalog.services.decision_record",
        lambda s: catalog_services.product_unarchive(product=s.archived, user=s.owner),
    ),
    "product_approve": (
        "catalog.services.decision_record",
        lambda s: catalog_services.product_approve(product=s.pending, actor=s.staff),
    ),
    "product_request_changes": (
        "catalog.services.decision_record",
        lambda s: catalog_services.product_request_changes(product=s.published, actor=s.staff, reason="Foto buram."),
    ),
    "certification_create": (
        "catalog.services.decision_record",
        lambda s: catalog_services.certification_create(
            ikm=s.ikm,
            user=s.owner,
            data={"type": "bpom", "number": "MD 224510001234", "issuer": "BPOM"},
            products=[s.published, s.pending],
            document=prepared_pdf(),
        ),
    ),
    "certification_update": (
        "catalog.services.decision_record",
        lambda s: catalog_services.certification_update(
            certification=s.cert_verified,
            user=s.owner,
            data={"issuer": "BPJPH Lampung"},
            products=[s.pending],
            document=prepared_pdf(),
        ),
    ),
    "certification_verify": (
        "catalog.services.decision_record",
        lambda s: catalog_services.certification_verify(certification=s.cert_pending, actor=s.staff),
    ),
    "certification_reject": (
        "catalog.services.decision_record",
        lambda s: catalog_services.certification_reject(certification=s.cert_pending, actor=s.staff, reason="Buram."),
    ),
    "photos_add": (
        "second ProductPhoto.save",
        lambda s: catalog_services.photos_add(
            product=s.published, user=s.owner, images=[prepared_image(), prepared_image((20, 90, 160))]
        ),
    ),
    "photo_remove": (
        "catalog.services._touch_for_re_review",
        lambda s: catalog_services.photo_remove(photo=s.published.photos.get(), user=s.owner),
    ),
    "ikm_profile_update": ("links.save", None),  # built in the test: it needs the changed profile in memory
    "event_publish": (
        "exhibitions.services.decision_record",
        lambda s: exhibition_services.event_publish(event=s.draft_event, actor=s.staff),
    ),
    "event_cancel": (
        "exhibitions.services.decision_record",
        lambda s: exhibition_services.event_cancel(event=s.event, actor=s.staff, note="Banjir."),
    ),
    "application_submit": (
        "exhibitions.services.decision_record",
        lambda s: exhibition_services.application_submit(
            event=s.event, ikm=s.ikm, user=s.owner, products=[s.published], note="Butuh listrik."
        ),
    ),
    "application_withdraw": (
        "exhibitions.services.decision_record",
        lambda s: exhibition_services.application_withdraw(application=s.application, user=s.application.ikm.owner),
    ),
    "application_accept": (
        "exhibitions.services.decision_record",
        lambda s: exhibition_services.application_accept(application=s.application, actor=s.staff, booth="C3"),
    ),
    "application_waitlist": (
        "exhibitions.services.decision_record",
        lambda s: exhibition_services.application_waitlist(application=s.application, actor=s.staff),
    ),
    "application_reject": (
        "exhibitions.services.decision_record",
        lambda s: exhibition_services.application_reject(application=s.accepted, actor=s.staff, reason="Penuh."),
    ),
    "report_resolve_unpublish": (
        # The product is sent back first (its own decision and mail), then the report's decision fails.
        "moderation.services.decision_record",
        lambda s: moderation_services.report_resolve(report=s.report, actor=s.staff, note="Palsu.", unpublish=True),
    ),
    "report_dismiss": (
        "moderation.services.decision_record",
        lambda s: moderation_services.report_dismiss(report=s.report, actor=s.staff, note="Tidak ada masalah."),
    ),
    "moderator_create": (
        "EmailAddress.objects.get_or_create",
        lambda s: moderation_services.moderator_create(email="moderator-baru@lampungprov.test", full_name="Sari"),
    ),
    "inquiry_staff_set_status": (
        "inquiries.services.decision_record",
        lambda s: inquiry_services.inquiry_staff_set_status(inquiry=s.inquiry, actor=s.staff, to_status="spam"),
    ),
}


def _event_fields(event: Event) -> dict[str, object]:
    skip = {"id", "created_at", "updated_at"}
    return {f.attname: getattr(event, f.attname) for f in Event._meta.concrete_fields if f.attname not in skip}


class FailingLinks:
    """Stands for the shop-links formset: saving it fails after the profile row was saved."""

    instance = None

    def save(self) -> None:
        raise Boom("the links fail")


def _install_failure(target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if target == "second ProductPhoto.save":
        original = ProductPhoto.save
        calls = {"n": 0}

        def save(self, *args, **kwargs):
            calls["n"] += 1
            if calls["n"] == 2:
                raise Boom("the second photo fails")
            return original(self, *args, **kwargs)

        monkeypatch.setattr(ProductPhoto, "save", save)
    elif target == "EmailAddress.objects.get_or_create":
        from allauth.account.models import EmailAddress

        monkeypatch.setattr(EmailAddress.objects, "get_or_create", boom)
    elif target != "links.save":
        monkeypatch.setattr(target, boom)


@pytest.mark.parametrize("case", sorted(ROLLBACK_CASES))
def test_a_failure_midway_leaves_nothing_half_written(
    scene: Scene, case: str, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks
) -> None:
    target, call = ROLLBACK_CASES[case]
    if case == "ikm_profile_update":
        ikm = IKM.objects.get(pk=scene.ikm.pk)
        ikm.name, ikm.tagline = "Nama Baru", "Tagline baru"

        def call(s: Scene) -> object:
            return ikm_services.ikm_profile_update(ikm=ikm, logo=prepared_image(), links=FailingLinks())

    before = fingerprint()
    _install_failure(target, monkeypatch)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Boom):
            call(scene)
    assert callbacks == [], "nothing may run after a rollback (no mail, no file deletion)"
    assert mail.outbox == []
    after = fingerprint()
    changed = [key for key in before if before[key] != after[key]]
    assert changed == [], f"half-written: {changed}"


def test_the_rollback_test_would_see_a_half_write(scene: Scene, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fingerprint notices one changed column: the test above cannot pass by comparing nothing."""
    before = fingerprint()
    Product.objects.filter(pk=scene.pending.pk).update(status_reason="x")
    assert fingerprint() != before


# --- 2. A failing mail server never loses a record -----------------------------------------------------------

Check = Callable[[Scene], bool]

MAIL_CASES: dict[str, tuple[Call, Check]] = {
    "ikm_submit (to the admins)": (
        lambda s: ikm_services.ikm_submit(ikm=s.draft_ikm, actor=s.draft_ikm.owner),
        lambda s: IKM.objects.get(pk=s.draft_ikm.pk).status == "submitted",
    ),
    "ikm_verify": (
        lambda s: ikm_services.ikm_verify(ikm=s.submitted_ikm, actor=s.staff),
        lambda s: IKM.objects.get(pk=s.submitted_ikm.pk).status == "verified",
    ),
    "ikm_request_changes": (
        lambda s: ikm_services.ikm_request_changes(ikm=s.submitted_ikm, actor=s.staff, reason="Lengkapi NIB."),
        lambda s: IKM.objects.get(pk=s.submitted_ikm.pk).status == "needs_changes",
    ),
    "ikm_suspend": (
        lambda s: ikm_services.ikm_suspend(ikm=s.ikm, actor=s.staff, reason="Laporan pembeli."),
        lambda s: IKM.objects.get(pk=s.ikm.pk).is_suspended,
    ),
    "ikm_unsuspend": (
        lambda s: ikm_services.ikm_unsuspend(ikm=s.suspended_ikm, actor=s.staff),
        lambda s: not IKM.objects.get(pk=s.suspended_ikm.pk).is_suspended,
    ),
    "product_approve": (
        lambda s: catalog_services.product_approve(product=s.pending, actor=s.staff),
        lambda s: Product.objects.get(pk=s.pending.pk).status == "published",
    ),
    "product_request_changes": (
        lambda s: catalog_services.product_request_changes(product=s.published, actor=s.staff, reason="Foto buram."),
        lambda s: Product.objects.get(pk=s.published.pk).status == "needs_changes",
    ),
    "certification_verify": (
        lambda s: catalog_services.certification_verify(certification=s.cert_pending, actor=s.staff),
        lambda s: Certification.objects.get(pk=s.cert_pending.pk).status == "verified",
    ),
    "certification_reject": (
        lambda s: catalog_services.certification_reject(certification=s.cert_pending, actor=s.staff, reason="Buram."),
        lambda s: Certification.objects.get(pk=s.cert_pending.pk).status == "rejected",
    ),
    "event_cancel (two exhibitors)": (
        lambda s: exhibition_services.event_cancel(event=s.event, actor=s.staff, note="Banjir."),
        lambda s: Event.objects.get(pk=s.event.pk).status == "cancelled",
    ),
    "application_accept": (
        lambda s: exhibition_services.application_accept(application=s.application, actor=s.staff, booth="C3"),
        lambda s: ExhibitorApplication.objects.get(pk=s.application.pk).status == "accepted",
    ),
    "application_waitlist": (
        lambda s: exhibition_services.application_waitlist(application=s.application, actor=s.staff),
        lambda s: ExhibitorApplication.objects.get(pk=s.application.pk).status == "waitlisted",
    ),
    "application_reject": (
        lambda s: exhibition_services.application_reject(application=s.application, actor=s.staff, reason="Penuh."),
        lambda s: ExhibitorApplication.objects.get(pk=s.application.pk).status == "rejected",
    ),
    "report_resolve_unpublish": (
        lambda s: moderation_services.report_resolve(report=s.report, actor=s.staff, note="Palsu.", unpublish=True),
        lambda s: (
            Report.objects.get(pk=s.report.pk).status == "resolved"
            and Product.objects.get(pk=s.published.pk).status == "needs_changes"
        ),
    ),
}


def _mail_errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]


@pytest.mark.parametrize("case", sorted(MAIL_CASES))
def test_a_failing_mail_server_never_loses_the_record(
    scene: Scene, case: str, caplog: pytest.LogCaptureFixture, django_capture_on_commit_callbacks
) -> None:
    call, saved = MAIL_CASES[case]
    decisions = Decision.objects.count()
    with override_settings(MAILERS=FAILING, ADMINS=["admin@lampungprov.test"]):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            call(scene)  # must not raise
    assert any("mail_after_commit" in c.__qualname__ for c in callbacks), "the mail is sent after the commit"
    assert saved(scene)
    assert Decision.objects.count() > decisions
    errors = _mail_errors(caplog)
    assert errors and all(r.name == "galeri.mail" for r in errors), [r.name for r in caplog.records]
    assert "failed" in errors[0].getMessage()


def test_one_refused_mail_does_not_stop_the_next(scene: Scene, caplog, django_capture_on_commit_callbacks) -> None:
    """Cancelling an event mails every exhibitor still in the running: the first refusal leaves the others."""
    FlakyBackend.refused = 0
    with override_settings(MAILERS=FLAKY):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            exhibition_services.event_cancel(event=scene.event, actor=scene.staff, note="Banjir.")
    assert len([c for c in callbacks if "mail_after_commit" in c.__qualname__]) == 2
    assert len(mail.outbox) == 1
    assert len(_mail_errors(caplog)) == 1


def test_an_inquiry_is_kept_and_its_mail_retried_when_the_server_fails(
    scene: Scene, django_capture_on_commit_callbacks
) -> None:
    with override_settings(MAILERS=FAILING):
        with django_capture_on_commit_callbacks(execute=True):
            inquiry = inquiry_services.inquiry_submit(
                ikm=scene.ikm,
                product=scene.published,
                name="Rina",
                email="rina@pengadaan.test",
                message="Bisa kirim 200 pack?",
                buyer_type="government",
            )
    inquiry.refresh_from_db()
    assert inquiry.owner_notified_at is None and inquiry.buyer_notified_at is None
    assert "SMTPServerDisconnected" in inquiry.last_error
    assert inquiry.notify_attempts == 1


def test_create_moderator_keeps_the_account_and_prints_the_link_when_mail_fails(db) -> None:
    out, err = io.StringIO(), io.StringIO()
    with override_settings(MAILERS=FAILING):
        call_command("create_moderator", "sari@lampungprov.test", "--name", "Sari", stdout=out, stderr=err)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(email="sari@lampungprov.test")
    assert user.is_staff and user.groups.filter(name="Moderator").exists()
    assert "/akun/password/reset/key/" in out.getvalue()
    assert "could not be mailed" in err.getvalue()


# --- 3. End to end, with real commits: the page answers, the record is there ------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_admin_verifies_while_the_mail_server_is_down(client, staff_user, make_ikm, caplog) -> None:
    ikm = make_ikm(status=IKM.Status.SUBMITTED, slug="menunggu-verifikasi")
    client.force_login(staff_user)
    with override_settings(MAILERS=FAILING):
        response = client.post("/admin/ikm/ikm/", {"action": "verify", "_selected_action": [ikm.pk]})
    assert response.status_code == 302
    ikm.refresh_from_db()
    assert ikm.status == IKM.Status.VERIFIED
    assert Decision.objects.filter(object_id=ikm.pk, to_status="verified").exists()
    assert _mail_errors(caplog)


@pytest.mark.django_db(transaction=True)
def test_a_buyer_sends_an_inquiry_while_the_mail_server_is_down(client, make_ikm, make_product) -> None:
    product = make_product(make_ikm(slug="kopi-daring"), slug="kopi-daring")
    data = {
        "name": "Rina Susanti",
        "email": "rina@pengadaan.test",
        "buyer_type": "government",
        "message": "Apakah bisa kirim 200 pack?",
    }
    with override_settings(MAILERS=FAILING):
        response = client.post(f"/tanya/produk/{product.slug}/", data)
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.last_error and inquiry.owner_notified_at is None


@pytest.mark.django_db(transaction=True)
def test_sign_up_while_the_mail_server_is_down_keeps_the_account(client, django_user_model, caplog) -> None:
    password = "kopi-robusta-2026-lampung"
    with override_settings(MAILERS=FAILING):
        response = client.post(
            "/akun/signup/", {"email": "baru@ikm.test", "password1": password, "password2": password}
        )
    assert response.status_code == 302
    assert django_user_model.objects.filter(email="baru@ikm.test").exists()
    assert _mail_errors(caplog)
    with override_settings(MAILERS=FAILING):
        assert client.post("/akun/password/reset/", {"email": "baru@ikm.test"}).status_code == 302
