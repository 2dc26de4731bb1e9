"""check_certifications: reminders 30 and 7 days before expiry, each once, and the expired list."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from catalog.models import Certification
from moderation.models import CertificationReminder

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)
FAILING_MAILERS = {"default": {"BACKEND": "tests.moderation.failing_backend.EmailBackend"}}


@pytest.fixture
def verified(make_certification, owner_ikm):
    def _verified(days_left: int | None, ikm=None, **fields):
        expires_on = None if days_left is None else TODAY + dt.timedelta(days=days_left)
        return make_certification(
            ikm or owner_ikm, status=Certification.Status.VERIFIED, expires_on=expires_on, **fields
        )

    return _verified


def _run(today: dt.date = TODAY) -> str:
    out = io.StringIO()
    call_command("check_certifications", f"--today={today.isoformat()}", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_a_certificate_expiring_within_30_days_is_reminded_once(verified, owner) -> None:
    certification = verified(25)
    _run()
    [message] = mail.outbox
    assert message.to == [owner.email]
    assert certification.number in message.body
    assert f"/dasbor/sertifikat/{certification.pk}/ubah/" in message.body
    _run()
    _run(TODAY + dt.timedelta(days=3))
    assert len(mail.outbox) == 1
    assert CertificationReminder.objects.get().kind == "30d"


def test_the_7_day_reminder_follows_once(verified) -> None:
    verified(20)
    _run()
    _run(TODAY + dt.timedelta(days=13))  # 7 days left
    _run(TODAY + dt.timedelta(days=14))
    assert len(mail.outbox) == 2
    assert sorted(CertificationReminder.objects.values_list("kind", flat=True)) == ["30d", "7d"]


def test_a_certificate_first_seen_in_its_last_week_gets_only_the_7_day_reminder(verified) -> None:
    verified(5)
    _run()
    _run(TODAY + dt.timedelta(days=1))
    assert len(mail.outbox) == 1
    assert list(CertificationReminder.objects.values_list("kind", flat=True)) == ["7d"]


def test_nothing_is_sent_for_far_expired_unverified_or_endless_certificates(verified, make_certification, owner_ikm):
    verified(31)
    verified(-1)
    verified(None)
    make_certification(owner_ikm, expires_on=TODAY + dt.timedelta(days=10))  # pending
    make_certification(
        owner_ikm,
        status=Certification.Status.REJECTED,
        status_reason="Palsu.",
        expires_on=TODAY + dt.timedelta(days=10),
    )
    _run()
    assert mail.outbox == []


def test_one_email_per_ikm_lists_all_its_certificates(verified, other_ikm, other_owner, owner) -> None:
    verified(10)
    verified(28, type="pirt", number="206347101012325")
    verified(3, ikm=other_ikm)
    _run()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner.email, other_owner.email])
    mine = next(m for m in mail.outbox if m.to == [owner.email])
    assert "206347101012325" in mine.body
    assert CertificationReminder.objects.count() == 3


def test_a_renewed_certificate_is_reminded_again(verified) -> None:
    certification = verified(6)
    _run()
    Certification.objects.filter(pk=certification.pk).update(expires_on=TODAY + dt.timedelta(days=365 + 6))
    _run(TODAY + dt.timedelta(days=365))
    assert len(mail.outbox) == 2


def test_a_failed_email_is_tried_again_on_the_next_run(verified) -> None:
    verified(12)
    with override_settings(MAILERS=FAILING_MAILERS), pytest.raises(CommandError):
        _run()
    assert not CertificationReminder.objects.exists()
    _run()
    assert len(mail.outbox) == 1 and CertificationReminder.objects.count() == 1


def test_expired_certificates_still_marked_verified_are_listed(verified) -> None:
    expired = verified(-3)
    verified(40)
    out = _run()
    assert "Expired certificates still marked verified: 1." in out
    assert expired.number in out


def test_the_email_is_in_indonesian(verified) -> None:
    verified(9)
    _run()
    [message] = mail.outbox
    assert "Keripik Mak Ijah" in message.subject
    assert "10 Juni 2026" in message.body  # dates as Indonesians write them


def test_a_bad_date_is_refused() -> None:
    with pytest.raises(CommandError, match="--today"):
        call_command("check_certifications", "--today=kemarin", stdout=io.StringIO())
