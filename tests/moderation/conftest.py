"""Moderation fixtures: the moderator actor, staff clients, certificates, reports."""

import pytest
from django.test import Client, override_settings


@pytest.fixture
def moderator(make_user):
    """A staff account in the Moderator group (not a superuser), as create_moderator makes it."""
    from moderation.roles import moderator_group_sync

    user = make_user("moderator@lampungprov.test", is_staff=True, full_name="Sari Moderator")
    user.groups.add(moderator_group_sync())
    return user


@pytest.fixture
def moderator_client(moderator) -> Client:
    client = Client()
    client.force_login(moderator)
    return client


@pytest.fixture
def staff_client(staff_user) -> Client:
    client = Client()
    client.force_login(staff_user)
    return client


@pytest.fixture
def make_certification():
    """Create a certificate of an IKM (pending unless told otherwise), covering the given products."""
    from catalog.models import Certification

    counter = {"n": 0}

    def _make_certification(ikm, products=(), **fields):
        counter["n"] += 1
        values = {"type": "halal", "number": f"ID1871{counter['n']:015d}", "issuer": "BPJPH"}
        values.update(fields)
        certification = Certification.objects.create(ikm=ikm, **values)
        certification.products.set(products)
        return certification

    return _make_certification


@pytest.fixture
def make_report():
    from moderation.models import Report

    counter = {"n": 0}

    def _make_report(product=None, ikm=None, **fields):
        counter["n"] += 1
        values = {"reason": Report.Reason.WRONG_INFORMATION, "details": f"Harga di halaman salah ({counter['n']})."}
        values.update(fields)
        created_at = values.pop("created_at", None)
        report = Report.objects.create(product=product, ikm=ikm, **values)
        if created_at is not None:
            Report.objects.filter(pk=report.pk).update(created_at=created_at)
            report.refresh_from_db()
        return report

    return _make_report


@pytest.fixture(autouse=True)
def _indonesian_first():
    """Each test starts on the Indonesian site (a request to /en/ leaves English active in the thread)."""
    from django.utils import translation

    translation.activate("id")
    yield
    translation.activate("id")


@pytest.fixture(autouse=True)
def _ikm_page_routed():
    """Reports link back to the IKM's public page; stand in for it while the ikm app does not route it yet."""
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("ikm:ikm-detail", kwargs={"slug": "x"})
    except NoReverseMatch:
        with override_settings(ROOT_URLCONF="tests.moderation.stub_urls"):
            yield
        return
    yield
