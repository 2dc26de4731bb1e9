"""purge_inquiries (retention) and the demo data."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from inquiries.management.commands.purge_inquiries import months_ago
from inquiries.models import ContactClick, Inquiry

pytestmark = pytest.mark.django_db


def test_purge_deletes_only_inquiries_older_than_n_months(owner_ikm, make_inquiry, capsys) -> None:
    now = timezone.now()
    old = make_inquiry(owner_ikm, created_at=now - dt.timedelta(days=200))
    recent = make_inquiry(owner_ikm, created_at=now - dt.timedelta(days=100))
    ContactClick.objects.create(ikm=owner_ikm, day=dt.date(2020, 1, 1), count=5)
    call_command("purge_inquiries", "--older-than-months", "6")
    assert list(Inquiry.objects.all()) == [recent]
    assert not Inquiry.objects.filter(pk=old.pk).exists()
    assert ContactClick.objects.count() == 1  # nothing personal in the counters: kept
    assert "Deleted 1 inquiries" in capsys.readouterr().out


def test_purge_defaults_to_24_months(owner_ikm, make_inquiry) -> None:
    now = timezone.now()
    make_inquiry(owner_ikm, created_at=now - dt.timedelta(days=365 * 2 + 10))
    keep = make_inquiry(owner_ikm, created_at=now - dt.timedelta(days=365 * 2 - 10))
    call_command("purge_inquiries")
    assert list(Inquiry.objects.all()) == [keep]


def test_purge_dry_run_deletes_nothing(owner_ikm, make_inquiry, capsys) -> None:
    make_inquiry(owner_ikm, created_at=timezone.now() - dt.timedelta(days=1000))
    call_command("purge_inquiries", "--dry-run")
    assert Inquiry.objects.count() == 1
    assert "1 inquiries" in capsys.readouterr().out


def test_purge_in_batches(owner_ikm, make_inquiry, monkeypatch) -> None:
    from inquiries.management.commands import purge_inquiries

    monkeypatch.setattr(purge_inquiries, "BATCH_SIZE", 2)
    for _ in range(5):
        make_inquiry(owner_ikm, created_at=timezone.now() - dt.timedelta(days=1000))
    call_command("purge_inquiries")
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize("value", ["0", "-3"])
def test_purge_refuses_nonsense(value) -> None:
    with pytest.raises(CommandError):
        call_command("purge_inquiries", "--older-than-months", value)


def test_months_ago_clamps_the_day() -> None:
    now = timezone.make_aware(dt.datetime(2026, 3, 31, 10, 30))
    assert timezone.localtime(months_ago(1, now=now)).replace(tzinfo=None) == dt.datetime(2026, 2, 28, 10, 30)
    assert timezone.localtime(months_ago(24, now=now)).date() == dt.date(2024, 3, 31)
    assert timezone.localtime(months_ago(13, now=now)).date() == dt.date(2025, 2, 28)


def test_demo_seed_makes_inquiries_already_mailed(owner_ikm, make_product) -> None:
    import random

    from django.core import mail

    from galeri.demo import DemoContext
    from inquiries import demo

    for _ in range(6):
        make_product(owner_ikm)
    assert not demo.has_data()
    demo.seed(DemoContext(rng=random.Random(1), products=6, ikm=1, events=0, log=lambda line: None))
    assert demo.has_data()
    assert Inquiry.objects.count() >= 20
    assert not Inquiry.objects.notification_pending().exists()
    assert set(Inquiry.objects.values_list("buyer_type", flat=True)) == {"individual", "business", "government"}
    assert ContactClick.objects.exists()
    call_command("send_pending_inquiry_mail")
    assert mail.outbox == []
