import random

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate

from galeri.demo import DemoContext
from ikm import demo
from ikm.identifiers import normalize_nib, normalize_phone
from ikm.models import IKM, Region, Sector

pytestmark = pytest.mark.django_db


def _seed(n: int, seed: int = 7) -> DemoContext:
    ctx = DemoContext(rng=random.Random(seed), products=0, ikm=n, events=0, log=lambda line: None)
    demo.seed(ctx)
    return ctx


def test_demo_ikm_cover_every_region_and_sector() -> None:
    ctx = _seed(120)
    assert IKM.objects.count() == 120
    assert set(IKM.objects.values_list("region_id", flat=True)) == set(Region.objects.values_list("code", flat=True))
    assert set(IKM.objects.values_list("sector", flat=True)) == set(Sector.values)
    assert len(ctx.shared["ikm"]) == 120
    statuses = set(IKM.objects.values_list("status", flat=True))
    assert {IKM.Status.VERIFIED, IKM.Status.SUBMITTED} <= statuses
    assert IKM.objects.public().count() > 90


def test_demo_data_obeys_the_identifier_rules() -> None:
    _seed(40)
    for ikm in IKM.objects.all():
        assert normalize_nib(ikm.nib) == ikm.nib
        assert normalize_phone(ikm.whatsapp, mobile_only=True) == ikm.whatsapp
        ikm.full_clean()


def test_demo_accounts_can_log_in() -> None:
    _seed(5)
    owner = authenticate(email=demo.DEMO_OWNER_EMAIL, password=demo.DEMO_PASSWORD)
    staff = authenticate(email=demo.DEMO_STAFF_EMAIL, password=demo.DEMO_PASSWORD)
    assert owner is not None and owner.ikm.is_public
    assert staff is not None and staff.is_superuser
    assert EmailAddress.objects.filter(email=demo.DEMO_OWNER_EMAIL, verified=True).exists()
    # Every other demo owner has no usable password.
    assert not IKM.objects.exclude(owner=owner).first().owner.has_usable_password()


def test_demo_is_deterministic_for_a_seed() -> None:
    _seed(20, seed=3)
    first = list(IKM.objects.order_by("pk").values_list("name", "region_id", "sector", "status"))
    IKM.objects.all().delete()
    from django.contrib.auth import get_user_model

    get_user_model().objects.all().delete()
    _seed(20, seed=3)
    assert list(IKM.objects.order_by("pk").values_list("name", "region_id", "sector", "status")) == first


def test_even_the_smallest_demo_shows_every_state() -> None:
    _seed(30)
    statuses = set(IKM.objects.values_list("status", flat=True))
    assert statuses == set(IKM.Status.values)
    assert IKM.objects.filter(is_suspended=True, status=IKM.Status.VERIFIED).count() >= 2
    assert not IKM.objects.filter(status=IKM.Status.NEEDS_CHANGES, status_reason="").exists()
    # The directory still has producers in every region and sector.
    public = IKM.objects.public()
    assert public.values("region").distinct().count() == Region.objects.count()
    assert public.values("sector").distinct().count() == len(Sector.values)
