"""Staff decisions on IKM profiles: transitions, the decision log, and the owner's email after the commit."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from ikm import services
from ikm.models import IKM
from moderation.models import Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(owner_ikm):
    IKM.objects.filter(pk=owner_ikm.pk).update(status=IKM.Status.SUBMITTED, verified_at=None)
    owner_ikm.refresh_from_db()
    return owner_ikm


def test_verify_makes_public_logs_and_mails_with_an_absolute_link(
    submitted, staff_user, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ikm = services.ikm_verify(ikm=submitted, actor=staff_user)
    assert ikm.status == IKM.Status.VERIFIED and ikm.verified_by == staff_user and ikm.verified_at
    assert IKM.objects.public().filter(pk=ikm.pk).exists()
    decision = Decision.objects.for_object(ikm).get()
    assert (decision.from_status, decision.to_status, decision.actor) == ("submitted", "verified", staff_user)
    (message,) = mail.outbox
    assert message.to == ["pemilik@ikm.test"]
    assert settings.SITE_URL + "/ikm/keripik-mak-ijah/" in message.body


def test_request_changes_needs_a_reason_and_mails_it(submitted, staff_user, django_capture_on_commit_callbacks) -> None:
    with pytest.raises(ValidationError):
        services.ikm_request_changes(ikm=submitted, actor=staff_user, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        ikm = services.ikm_request_changes(ikm=submitted, actor=staff_user, reason="Logo tidak terbaca.")
    assert ikm.status == IKM.Status.NEEDS_CHANGES and ikm.status_reason == "Logo tidak terbaca."
    assert Decision.objects.for_object(ikm).get().reason == "Logo tidak terbaca."
    (message,) = mail.outbox
    assert "Logo tidak terbaca." in message.body
    assert settings.SITE_URL + "/dasbor/" in message.body


def test_suspend_and_unsuspend(owner_ikm, staff_user, django_capture_on_commit_callbacks) -> None:
    with pytest.raises(ValidationError):
        services.ikm_suspend(ikm=owner_ikm, actor=staff_user, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        ikm = services.ikm_suspend(ikm=owner_ikm, actor=staff_user, reason="Laporan produk palsu.")
    assert ikm.is_suspended and ikm.status == IKM.Status.VERIFIED
    assert not IKM.objects.public().filter(pk=ikm.pk).exists()
    with pytest.raises(ValidationError):
        services.ikm_suspend(ikm=ikm, actor=staff_user, reason="Lagi.")
    with django_capture_on_commit_callbacks(execute=True):
        ikm = services.ikm_unsuspend(ikm=ikm, actor=staff_user)
    assert not ikm.is_suspended and ikm.suspended_reason == ""
    assert IKM.objects.public().filter(pk=ikm.pk).exists()
    statuses = list(Decision.objects.for_object(ikm).order_by("pk").values_list("from_status", "to_status"))
    assert statuses == [("verified", "suspended"), ("suspended", "verified")]
    assert len(mail.outbox) == 2 and "Laporan produk palsu." in mail.outbox[0].body


def test_a_rolled_back_decision_mails_nobody(submitted, staff_user, django_capture_on_commit_callbacks) -> None:
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                services.ikm_verify(ikm=submitted, actor=staff_user)
                raise RuntimeError("later step failed")
        except RuntimeError:
            pass
    assert callbacks == [] and mail.outbox == []
    submitted.refresh_from_db()
    assert submitted.status == IKM.Status.SUBMITTED


@pytest.mark.parametrize(
    "decide",
    [
        lambda ikm, actor: services.ikm_verify(ikm=ikm, actor=actor),
        lambda ikm, actor: services.ikm_request_changes(ikm=ikm, actor=actor, reason="x"),
        lambda ikm, actor: services.ikm_suspend(ikm=ikm, actor=actor, reason="x"),
    ],
)
def test_only_staff_decide(submitted, owner, decide) -> None:
    with pytest.raises(PermissionDenied):
        decide(submitted, owner)


def test_invalid_transitions_are_refused(owner_ikm, staff_user) -> None:
    with pytest.raises(ValidationError):
        services.ikm_verify(ikm=owner_ikm, actor=staff_user)  # already verified
    with pytest.raises(ValidationError):
        services.ikm_unsuspend(ikm=owner_ikm, actor=staff_user)  # not suspended
    IKM.objects.filter(pk=owner_ikm.pk).update(status=IKM.Status.DRAFT)
    with pytest.raises(ValidationError):
        services.ikm_request_changes(ikm=owner_ikm, actor=staff_user, reason="x")


def test_resubmission_after_changes(owner_ikm, owner, staff_user) -> None:
    IKM.objects.filter(pk=owner_ikm.pk).update(status=IKM.Status.SUBMITTED, story="s" * 120)
    services.ikm_request_changes(ikm=owner_ikm, actor=staff_user, reason="Tambah NIB.")
    ikm = services.ikm_submit(ikm=owner_ikm, actor=owner)
    assert ikm.status == IKM.Status.SUBMITTED
    with pytest.raises(PermissionDenied):
        IKM.objects.filter(pk=owner_ikm.pk).update(status=IKM.Status.DRAFT)
        services.ikm_submit(ikm=owner_ikm, actor=staff_user)


def test_ikm_create_refuses_a_second_profile(owner_ikm, owner) -> None:
    from ikm.models import Region

    with pytest.raises(ValidationError):
        services.ikm_create(
            owner=owner, name="Kedua", sector="pangan", region=Region.objects.get(pk="18.72"), whatsapp=""
        )


def test_unique_slug_falls_back_for_names_without_letters(make_ikm) -> None:
    assert services.unique_slug("!!!") == "ikm"
    make_ikm(slug="ikm")
    assert services.unique_slug("???") == "ikm-2"


def test_submission_mails_the_admins_when_configured(
    owner_ikm, owner, settings, django_capture_on_commit_callbacks
) -> None:
    settings.ADMINS = ["antrian@lampungprov.test"]
    IKM.objects.filter(pk=owner_ikm.pk).update(status=IKM.Status.DRAFT, story="s" * 120)
    with django_capture_on_commit_callbacks(execute=True):
        services.ikm_submit(ikm=owner_ikm, actor=owner)
    (message,) = mail.outbox
    assert message.to == ["antrian@lampungprov.test"]
    assert "Keripik Mak Ijah" in message.subject
    assert settings.SITE_URL + f"/admin/ikm/ikm/{owner_ikm.pk}/change/" in message.body
