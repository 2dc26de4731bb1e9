"""Every staff decision path across the apps mails the owner in Indonesian, with the reason and a link,
and is recorded in the decision log (an integration test over the owners' services)."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from catalog import services as catalog_services
from catalog.models import Certification, Product
from exhibitions import services as exhibition_services
from exhibitions.models import Event, ExhibitorApplication
from ikm.models import IKM
from moderation.models import Decision

pytestmark = pytest.mark.django_db

REASON = "Mohon perbaiki foto dan nomor sertifikat."


@pytest.fixture
def event():
    now = timezone.now()
    return Event.objects.create(
        kind=Event.Kind.PAMERAN,
        title="Lampung Craft",
        slug="lampung-craft",
        starts_at=now + dt.timedelta(days=30),
        ends_at=now + dt.timedelta(days=31),
        venue_name="Graha Wangsa",
        region_id="18.71",
        organiser="Dekranasda",
        status=Event.Status.PUBLISHED,
        published_at=now,
    )


def _decide(kind: str, *, staff, owner_ikm, make_product, make_certification, event, make_ikm, owner):
    """Run one decision; return the object decided on."""
    if kind == "product_approve":
        product = make_product(owner_ikm, status=Product.Status.PENDING)
        return catalog_services.product_approve(product=product, actor=staff)
    if kind == "product_request_changes":
        product = make_product(owner_ikm, status=Product.Status.PENDING)
        return catalog_services.product_request_changes(product=product, actor=staff, reason=REASON)
    if kind == "certification_verify":
        return catalog_services.certification_verify(certification=make_certification(owner_ikm), actor=staff)
    if kind == "certification_reject":
        certification = make_certification(owner_ikm)
        return catalog_services.certification_reject(certification=certification, actor=staff, reason=REASON)
    if kind.startswith("application_"):
        application = ExhibitorApplication.objects.create(event=event, ikm=owner_ikm)
        decide = getattr(exhibition_services, kind)
        kwargs = {"reason": REASON} if kind == "application_reject" else {}
        return decide(application=application, actor=staff, **kwargs)
    ikm_services = pytest.importorskip("ikm.services")
    if kind == "ikm_verify":
        ikm = IKM.objects.filter(pk=owner_ikm.pk)
        ikm.update(status=IKM.Status.SUBMITTED, submitted_at=timezone.now())
        return ikm_services.ikm_verify(ikm=ikm.get(), actor=staff)
    if kind == "ikm_request_changes":
        IKM.objects.filter(pk=owner_ikm.pk).update(status=IKM.Status.SUBMITTED, submitted_at=timezone.now())
        return ikm_services.ikm_request_changes(ikm=IKM.objects.get(pk=owner_ikm.pk), actor=staff, reason=REASON)
    if kind == "ikm_suspend":
        return ikm_services.ikm_suspend(ikm=owner_ikm, actor=staff, reason=REASON)
    raise AssertionError(kind)


DECISIONS = [
    # (decision, needs a reason)
    ("product_approve", False),
    ("product_request_changes", True),
    ("certification_verify", False),
    ("certification_reject", True),
    ("application_accept", False),
    ("application_waitlist", False),
    ("application_reject", True),
    ("ikm_verify", False),
    ("ikm_request_changes", True),
    ("ikm_suspend", True),
]


@pytest.mark.parametrize(("kind", "with_reason"), DECISIONS)
def test_each_decision_mails_the_owner_in_indonesian_with_a_link_and_is_logged(
    kind,
    with_reason,
    staff_user,
    owner,
    owner_ikm,
    make_product,
    make_certification,
    event,
    make_ikm,
    settings,
    django_capture_on_commit_callbacks,
) -> None:
    settings.SITE_URL = "https://galeri.example"
    with django_capture_on_commit_callbacks(execute=True):
        target = _decide(
            kind,
            staff=staff_user,
            owner_ikm=owner_ikm,
            make_product=make_product,
            make_certification=make_certification,
            event=event,
            make_ikm=make_ikm,
            owner=owner,
        )
    [message] = mail.outbox
    assert message.to == [owner.email]
    assert message.body.startswith(f"Halo {owner_ikm.name},"), message.body  # Indonesian, whatever the request
    assert re.search(r"https://galeri\.example/\S+", message.body), message.body
    if with_reason:
        assert REASON in message.body
        assert "Alasan" in message.body or "alasan" in message.body.lower()
    decision = Decision.objects.for_object(target).first()
    assert decision is not None and decision.actor == staff_user
    if with_reason:
        assert decision.reason == REASON


@pytest.mark.parametrize(
    "decide",
    [
        lambda staff, product, cert, application: catalog_services.product_request_changes(
            product=product, actor=staff, reason="  "
        ),
        lambda staff, product, cert, application: catalog_services.certification_reject(
            certification=cert, actor=staff, reason=""
        ),
        lambda staff, product, cert, application: exhibition_services.application_reject(
            application=application, actor=staff, reason=""
        ),
    ],
)
def test_no_decision_without_a_reason(decide, staff_user, owner_ikm, make_product, make_certification, event) -> None:
    from django.core.exceptions import ValidationError

    product = make_product(owner_ikm, status=Product.Status.PENDING)
    cert = make_certification(owner_ikm)
    application = ExhibitorApplication.objects.create(event=event, ikm=owner_ikm)
    with pytest.raises(ValidationError):
        decide(staff_user, product, cert, application)
    assert not Decision.objects.filter(actor=staff_user).exists()
    assert mail.outbox == []
    product.refresh_from_db()
    cert.refresh_from_db()
    assert product.status == Product.Status.PENDING and cert.status == Certification.Status.PENDING
