"""Stored first, mailed after: the two emails, their language and Reply-To, and what happens when mail fails."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from inquiries import services
from inquiries.models import Inquiry

pytestmark = pytest.mark.django_db


def ask(client, product, data, *, prefix: str = "", capture=None):
    url = prefix + reverse("inquiries:ask-product", kwargs={"slug": product.slug})
    with capture(execute=True):
        return client.post(url, data)


def test_owner_and_buyer_are_mailed(visitor, product, buyer_data, owner, django_capture_on_commit_callbacks) -> None:
    response = ask(visitor, product, buyer_data, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    to_owner, to_buyer = mail.outbox
    assert to_owner.to == [owner.email]
    assert to_owner.reply_to == ["rina@pengadaan.test"]
    assert "Rina Susanti" in to_owner.subject and "Keripik Pisang Cokelat" in to_owner.subject
    body = to_owner.body
    for typed in ["Rina Susanti", "rina@pengadaan.test", "+6281234567891", "Dinas Perindustrian Provinsi Lampung"]:
        assert typed in body
    assert buyer_data["message"] in body
    assert "200" in body
    assert "http://testserver" not in body  # links use SITE_URL, the public address
    inquiry = Inquiry.objects.get()
    assert f"/dasbor/pertanyaan/{inquiry.pk}/" in body
    assert "/produk/keripik-pisang-cokelat/" in body

    assert to_buyer.to == ["rina@pengadaan.test"]
    assert "Keripik Mak Ijah" in to_buyer.subject
    assert "Keripik Pisang Cokelat" in to_buyer.body
    # The confirmation never echoes the message: the address is not verified.
    assert buyer_data["message"] not in to_buyer.body

    assert inquiry.owner_notified_at is not None and inquiry.buyer_notified_at is not None
    assert inquiry.notify_attempts == 1 and inquiry.last_error == ""


def test_emails_are_indonesian_from_the_indonesian_site(
    visitor, product, buyer_data, django_capture_on_commit_callbacks
) -> None:
    ask(visitor, product, buyer_data, capture=django_capture_on_commit_callbacks)
    to_owner, to_buyer = mail.outbox
    with translation.override("id"):
        assert gettext("Government or public agency") in to_owner.body
        assert gettext("The page you wrote from") in to_buyer.body


def test_buyer_on_the_english_site_gets_english(
    visitor, product, buyer_data, django_capture_on_commit_callbacks
) -> None:
    ask(visitor, product, buyer_data, prefix="/en", capture=django_capture_on_commit_callbacks)
    to_owner, to_buyer = mail.outbox
    assert to_buyer.subject == "Your inquiry to Keripik Mak Ijah has been sent"
    assert "Thank you. Your inquiry about Keripik Pisang Cokelat has been sent" in to_buyer.body
    assert "/en/produk/keripik-pisang-cokelat/" in to_buyer.body
    # The owner reads Galeri in Indonesian; the email says the buyer may prefer English.
    with translation.override("id"):
        assert gettext("Buyer type") in to_owner.body
        assert (
            gettext("The buyer wrote from the English version of the site and may prefer an answer in English.")
            in to_owner.body
        )


def test_text_emails_are_not_html_escaped(visitor, product, buyer_data, django_capture_on_commit_callbacks) -> None:
    buyer_data["name"] = "Rina & O'Brien <CV>"
    buyer_data["message"] = 'Harga "grosir" & <eceran>?'
    ask(visitor, product, buyer_data, capture=django_capture_on_commit_callbacks)
    to_owner, to_buyer = mail.outbox
    assert "Rina & O'Brien <CV>" in to_owner.subject
    assert 'Harga "grosir" & <eceran>?' in to_owner.body
    assert "&amp;" not in to_owner.body + to_buyer.body


def test_a_line_break_in_the_name_does_not_break_the_subject(owner_ikm, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_submit(
            ikm=owner_ikm,
            product=None,
            name="Budi\nBcc: korban@example.test",
            email="budi@example.test",
            message="Halo",
            buyer_type="individual",
        )
    inquiry = Inquiry.objects.get()
    assert inquiry.last_error == ""
    assert "\n" not in mail.outbox[0].subject
    assert mail.outbox[0].bcc == []


# --- Mail failures -------------------------------------------------------------------------------


def test_mail_failure_keeps_the_inquiry_and_the_buyer_sees_success(
    visitor, product, buyer_data, failing_mail, django_capture_on_commit_callbacks
) -> None:
    response = ask(visitor, product, buyer_data, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("inquiries:sent-product", kwargs={"slug": product.slug})
    inquiry = Inquiry.objects.get()
    assert inquiry.owner_notified_at is None and inquiry.buyer_notified_at is None
    assert inquiry.notify_attempts == 1
    assert "SMTPException" in inquiry.last_error
    assert "owner:" in inquiry.last_error and "buyer:" in inquiry.last_error
    # It is in the owner's inbox all the same.
    assert inquiry in Inquiry.objects.for_owner(product.ikm.owner)


def test_the_retry_command_sends_later_and_marks_notified(
    visitor, product, buyer_data, django_capture_on_commit_callbacks
) -> None:
    with override_settings(MAILERS={"default": {"BACKEND": "tests.inquiries.failing_backend.EmailBackend"}}):
        ask(visitor, product, buyer_data, capture=django_capture_on_commit_callbacks)
        # Fresh inquiries are left to the request for RETRY_GRACE.
        call_command("send_pending_inquiry_mail")
    assert mail.outbox == []
    Inquiry.objects.update(created_at=timezone.now() - dt.timedelta(minutes=10))
    Inquiry.objects.update(notify_attempted_at=timezone.now() - dt.timedelta(minutes=5))

    call_command("send_pending_inquiry_mail")  # the mail server is back

    inquiry = Inquiry.objects.get()
    assert inquiry.owner_notified_at is not None and inquiry.buyer_notified_at is not None
    assert inquiry.notify_attempts == 2 and inquiry.last_error == ""
    assert [m.to for m in mail.outbox] == [[product.ikm.owner.email], ["rina@pengadaan.test"]]
    assert mail.outbox[0].reply_to == ["rina@pengadaan.test"]

    call_command("send_pending_inquiry_mail")  # nothing more is owed: nothing is sent twice
    assert len(mail.outbox) == 2


def test_only_the_missing_email_is_retried(owner_ikm, make_inquiry) -> None:
    old = timezone.now() - dt.timedelta(hours=1)
    make_inquiry(owner_ikm, buyer_notified_at=None, notify_attempts=1, notify_attempted_at=old, created_at=old)
    call_command("send_pending_inquiry_mail")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to[0].endswith("@buyer.test")


def test_retries_back_off_and_give_up(owner_ikm, make_inquiry) -> None:
    now = timezone.now()
    long_ago = now - dt.timedelta(days=1)
    pending = {"owner_notified_at": None, "created_at": long_ago}
    just_tried = make_inquiry(
        owner_ikm, notify_attempts=3, notify_attempted_at=now - dt.timedelta(minutes=1), **pending
    )
    due = make_inquiry(owner_ikm, notify_attempts=3, notify_attempted_at=now - dt.timedelta(minutes=5), **pending)
    given_up = make_inquiry(owner_ikm, notify_attempts=services.MAX_NOTIFY_ATTEMPTS, **pending)
    never_tried = make_inquiry(owner_ikm, notify_attempts=0, notify_attempted_at=None, **pending)
    spam = make_inquiry(owner_ikm, status="spam", notify_attempts=0, **pending)
    due_ids = services.inquiries_due_for_retry(now=now)
    assert set(due_ids) == {due.pk, never_tried.pk}
    assert just_tried.pk not in due_ids and given_up.pk not in due_ids and spam.pk not in due_ids


def test_two_senders_never_mail_the_same_inquiry_twice(owner_ikm, make_inquiry, monkeypatch) -> None:
    inquiry = make_inquiry(owner_ikm, owner_notified_at=None, buyer_notified_at=None, notify_attempts=0)
    # Another worker claims the attempt between our read and our claim.
    real_filter = Inquiry.objects.filter

    def racing_filter(*args, **kwargs):
        if "notify_attempts" in kwargs:
            Inquiry.objects.all().update(notify_attempts=5)
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Inquiry.objects, "filter", racing_filter)
    assert services.inquiry_notify(inquiry_id=inquiry.pk) is False
    assert mail.outbox == []


def test_dry_run_only_counts(owner_ikm, make_inquiry, capsys) -> None:
    make_inquiry(
        owner_ikm, owner_notified_at=None, notify_attempts=0, created_at=timezone.now() - dt.timedelta(hours=1)
    )
    call_command("send_pending_inquiry_mail", "--dry-run")
    assert "1 inquiries are due" in capsys.readouterr().out
    assert mail.outbox == []


def test_the_failing_backend_is_built_like_any_mailer(failing_mail) -> None:
    import smtplib

    from django.core.mail import EmailMessage

    with pytest.raises(smtplib.SMTPException):
        EmailMessage("s", "b", "from@example.test", ["to@example.test"]).send()
