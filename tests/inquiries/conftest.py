"""Fixtures for the inquiry tests: a public product, what a buyer types, and inquiries already stored."""

import pytest
from django.test import override_settings

FAILING_MAILERS = {"default": {"BACKEND": "tests.inquiries.failing_backend.EmailBackend"}}


@pytest.fixture
def product(make_product, owner_ikm):
    return make_product(owner_ikm, name="Keripik Pisang Cokelat", slug="keripik-pisang-cokelat", unit="pack")


@pytest.fixture
def buyer_data() -> dict[str, str]:
    """A valid inquiry as the browser posts it."""
    return {
        "name": "Rina Susanti",
        "email": "rina@pengadaan.test",
        "phone": "0812-3456-7891",
        "organization": "Dinas Perindustrian Provinsi Lampung",
        "buyer_type": "government",
        "quantity": "200",
        "message": "Apakah bisa kirim 200 pack untuk acara dinas bulan depan?",
    }


@pytest.fixture
def failing_mail():
    """Every email fails as if the SMTP server were down."""
    with override_settings(MAILERS=FAILING_MAILERS):
        yield


@pytest.fixture
def make_inquiry():
    """Store an inquiry directly (already emailed unless told otherwise)."""
    from django.utils import timezone

    from inquiries.models import Inquiry

    counter = {"n": 0}

    def _make_inquiry(ikm, product=None, **fields):
        counter["n"] += 1
        n = counter["n"]
        now = timezone.now()
        values = {
            "name": f"Pembeli {n}",
            "email": f"pembeli{n}@buyer.test",
            "buyer_type": "individual",
            "message": f"Pertanyaan nomor {n}",
            "owner_notified_at": now,
            "buyer_notified_at": now,
            "notify_attempts": 1,
        }
        values.update(fields)
        created_at = values.pop("created_at", None)
        inquiry = Inquiry.objects.create(ikm=ikm, product=product, **values)
        if created_at is not None:
            Inquiry.objects.filter(pk=inquiry.pk).update(created_at=created_at)
            inquiry.refresh_from_db()
        return inquiry

    return _make_inquiry


@pytest.fixture
def browser_headers() -> dict[str, str]:
    """A browser's user agent (an empty one counts as a bot for the WhatsApp counter)."""
    return {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"}


@pytest.fixture(autouse=True)
def _indonesian_first():
    """Each test starts on the Indonesian site (a request to /en/ leaves English active in the thread)."""
    from django.utils import translation

    translation.activate("id")
    yield
    translation.activate("id")


@pytest.fixture(autouse=True)
def _ikm_page_routed():
    """Inquiries link to the IKM's public page; stand in for it while the ikm app does not route it yet."""
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("ikm:ikm-detail", kwargs={"slug": "x"})
    except NoReverseMatch:
        with override_settings(ROOT_URLCONF="tests.inquiries.stub_urls"):
            yield
        return
    yield
