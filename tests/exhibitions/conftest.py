"""Events for the exhibitions tests: make_event(**fields) and an event taking applications now."""

import datetime as dt

import pytest
from django.utils import timezone

from exhibitions.models import Event, ExhibitorApplication


@pytest.fixture
def make_event():
    """A published, in-person exhibition in Bandar Lampung a month from now (override any field)."""
    counter = {"n": 0}

    def _make_event(**fields) -> Event:
        counter["n"] += 1
        n = counter["n"]
        now = timezone.now()
        starts = fields.pop("starts_at", now + dt.timedelta(days=30))
        values = {
            "kind": Event.Kind.PAMERAN,
            "title": f"Pameran Contoh {n}",
            "slug": f"pameran-contoh-{n}",
            "summary": "Pameran produk IKM Lampung.",
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=7),
            "venue_name": "Graha Wangsa",
            "venue_address": "Jl. Wolter Monginsidi No. 1",
            "region_id": "18.71",
            "organiser": "Dekranasda Provinsi Lampung",
            "status": Event.Status.PUBLISHED,
        }
        values.update(fields)
        if values["status"] != Event.Status.DRAFT:
            values.setdefault("published_at", now)
        return Event.objects.create(**values)

    return _make_event


@pytest.fixture
def open_event(make_event) -> Event:
    """An exhibition whose application window is open now, with three places."""
    now = timezone.now()
    return make_event(
        title="Lampung Craft 2026",
        slug="lampung-craft-2026",
        applications_open_at=now - dt.timedelta(days=1),
        applications_close_at=now + dt.timedelta(days=7),
        places=3,
    )


@pytest.fixture
def make_application(make_ikm, make_product):
    """An application of a (new, verified) IKM to an event, submitted with one of its products."""

    def _make_application(event: Event, ikm=None, **fields) -> ExhibitorApplication:
        ikm = ikm or make_ikm()
        application = ExhibitorApplication.objects.create(event=event, ikm=ikm, **fields)
        application.products.set([make_product(ikm)])
        return application

    return _make_application
