"""One row of every project model, linked the way the site links them: the constraint tests break them."""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.db import models
from django.utils import timezone

# Every model of these apps must have a row in the world (the meta-tests check it).
PROJECT_APPS = ("accounts", "ikm", "catalog", "exhibitions", "inquiries", "moderation")


@dataclass
class World:
    """Rows by model label ("catalog.Product"); a label may hold several rows (a report per kind of target)."""

    rows: dict[str, list[models.Model]] = field(default_factory=dict)

    def add(self, obj: models.Model) -> models.Model:
        self.rows.setdefault(obj._meta.label, []).append(obj)
        return obj

    def __getitem__(self, label: str) -> models.Model:
        return self.rows[label][0]

    def all(self, label: str) -> list[models.Model]:
        return self.rows.get(label, [])

    def through(self, model: type[models.Model]) -> None:
        """Record the rows of an auto-created many-to-many table (they have no object of their own)."""
        for row in model.objects.all():
            self.add(row)


@pytest.fixture
def world(make_user, make_ikm, make_product) -> World:
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    from catalog.models import Category, Certification, ProductPhoto
    from exhibitions.models import Award, Event, ExhibitorApplication, ProgrammeItem
    from ikm.models import IKMLink, Region
    from inquiries.models import ContactClick, Inquiry
    from moderation.models import CertificationReminder, Decision, Report

    now = timezone.now()
    today = timezone.localdate()
    w = World()
    owner = w.add(make_user("pemilik@integrity.test"))
    # Staff who decide, own nothing (deleting them must only blank the "decided by" columns).
    staff = w.add(make_user("staf@integrity.test", is_staff=True))
    # A content type of no real model: decisions and a permission hang on it, so deleting it touches nothing else.
    ghost = ContentType.objects.create(app_label="integrity", model="ghost")
    group = Group.objects.create(name="Integrity")
    staff.groups.add(group)
    staff.user_permissions.add(Permission.objects.create(content_type=ghost, codename="see_ghost", name="See ghost"))
    w.add(Region.objects.get(pk="18.71"))

    ikm = w.add(
        make_ikm(
            owner=owner,
            name="Kopi Integritas",
            slug="kopi-integritas",
            nib="1234567890123",
            verified_at=now,
            verified_by=staff,
        )
    )
    w.add(IKMLink.objects.create(ikm=ikm, platform="shopee", url="https://shopee.co.id/kopi-integritas"))
    # A subcategory, so the parent relation has a row too.
    w.add(Category.objects.get(slug="keripik-camilan"))
    product = w.add(make_product(ikm, name="Kopi Robusta Integritas", slug="kopi-robusta-integritas"))
    w.add(ProductPhoto.objects.create(product=product, image="products/integrity.jpg", width=800, height=600))
    certification = w.add(
        Certification.objects.create(
            ikm=ikm,
            type="halal",
            number="ID18110000123450124",
            issued_on=today - dt.timedelta(days=300),
            expires_on=today + dt.timedelta(days=20),
            status=Certification.Status.VERIFIED,
            verified_at=now,
            verified_by=staff,
        )
    )
    certification.products.add(product)

    event = w.add(
        Event.objects.create(
            kind=Event.Kind.PAMERAN,
            title="Pameran Integritas",
            slug="pameran-integritas",
            starts_at=now + dt.timedelta(days=30),
            ends_at=now + dt.timedelta(days=31),
            venue_name="Graha Wangsa",
            region_id="18.71",
            organiser="Dekranasda Provinsi Lampung",
            status=Event.Status.PUBLISHED,
            published_at=now,
            applications_open_at=now - dt.timedelta(days=1),
            applications_close_at=now + dt.timedelta(days=7),
            places=10,
        )
    )
    w.add(ProgrammeItem.objects.create(event=event, starts_at=event.starts_at, title="Pembukaan"))
    application = w.add(
        ExhibitorApplication.objects.create(
            event=event,
            ikm=ikm,
            status=ExhibitorApplication.Status.ACCEPTED,
            booth="A1",
            decided_at=now,
            decided_by=staff,
        )
    )
    application.products.add(product)
    w.add(Award.objects.create(event=event, title="Juara 1", category="Kopi", ikm=ikm, product=product))

    w.add(
        Inquiry.objects.create(
            ikm=ikm,
            product=product,
            name="Budi",
            email="budi@pembeli.test",
            message="Berapa harga untuk 100 bungkus?",
            quantity=100,
        )
    )
    w.add(ContactClick.objects.create(ikm=ikm, product=product, day=today, count=3))
    w.add(ContactClick.objects.create(ikm=ikm, product=None, day=today, count=1))

    w.add(Decision.objects.create(content_type=ghost, object_id=1, actor=staff, from_status="a", to_status="b"))
    w.add(
        Report.objects.create(
            product=product,
            reason=Report.Reason.WRONG_INFORMATION,
            details="Harga salah.",
            status=Report.Status.RESOLVED,
            resolution_note="Sudah diperbaiki.",
            resolved_at=now,
            resolved_by=staff,
        )
    )
    w.add(Report.objects.create(ikm=ikm, reason=Report.Reason.OTHER, details="Alamat salah."))
    w.add(
        CertificationReminder.objects.create(
            certification=certification, kind=CertificationReminder.Kind.DAYS_30, expires_on=certification.expires_on
        )
    )

    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    for through in (
        user_model.groups.through,
        user_model.user_permissions.through,
        Certification.products.through,
        ExhibitorApplication.products.through,
    ):
        w.through(through)
    return w
