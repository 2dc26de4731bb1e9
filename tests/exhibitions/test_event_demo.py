import random

import pytest
from django.utils import timezone

from exhibitions import demo
from exhibitions.models import Award, Event, ExhibitorApplication
from galeri.demo import DemoContext

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_producers(make_ikm, make_product):
    ikms = []
    for n in range(40):
        ikm = make_ikm(region_id=["18.71", "18.04", "18.72"][n % 3])
        make_product(ikm)
        make_product(ikm)
        ikms.append(ikm)
    make_ikm(status="submitted")  # never an exhibitor: not verified
    return ikms


def _ctx(events: int, ikms: list, seed: int = 2022) -> DemoContext:
    return DemoContext(
        rng=random.Random(seed), products=0, ikm=len(ikms), events=events, log=lambda line: None, shared={"ikm": ikms}
    )


def test_seed_makes_past_and_upcoming_events_across_regions_with_exhibitors_and_winners(demo_producers) -> None:
    assert not demo.has_data()
    demo.seed(_ctx(12, demo_producers))
    assert demo.has_data()
    assert Event.objects.count() == 12
    now = timezone.now()
    assert Event.objects.public().past(now).exists() and Event.objects.public().upcoming(now).exists()
    assert Event.objects.values("region").distinct().count() >= 4
    assert set(Event.objects.values_list("kind", flat=True)) == set(Event.Kind.values)

    craft = Event.objects.filter(title__startswith="Lampung Craft", organiser__startswith="Dekranasda")
    assert craft.count() == 2 and craft.accepting_applications(now).count() == 1

    lagawi = Event.objects.get(title="Gernas BBI Lagawi Fest 2022")
    assert lagawi.kind == "festival" and lagawi.awards.count() == 5
    assert lagawi.applications.accepted().count() == 30

    coffee = Event.objects.get(kind="lomba", title__contains="Kopi")
    categories = set(coffee.awards.values_list("category", flat=True))
    assert categories == {"Robusta Natural", "Robusta Honey", "Kemasan Terbaik"}

    matching = Event.objects.get(kind="temu_bisnis")
    assert "BUMN" in matching.title and "PTPN VII" in matching.description and matching.attendance_mode == "mixed"
    assert Event.objects.filter(kind="pelatihan").count() == 2
    assert Event.objects.filter(status="cancelled").count() == 1

    # Exhibitors are verified IKM showing their own published products; winners were exhibitors.
    for application in ExhibitorApplication.objects.prefetch_related("products").select_related("ikm"):
        assert application.ikm.is_public
        assert all(p.ikm_id == application.ikm_id for p in application.products.all())
        assert application.products.count() <= 5
    for award in Award.objects.select_related("product"):
        assert award.product is None or award.product.ikm_id == award.ikm_id
        assert award.event.applications.accepted().filter(ikm=award.ikm).exists()
    for event in Event.objects.exclude(places=None):
        assert event.applications.accepted().count() <= event.places
        event.full_clean()


def test_seed_scales_and_is_deterministic(demo_producers, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(12):
        demo.seed(_ctx(300, demo_producers))
    assert Event.objects.count() == 300
    first = list(Event.objects.order_by("pk").values_list("slug", "kind", "region"))
    ExhibitorApplication.objects.all().delete()
    Event.objects.all().delete()
    demo.seed(_ctx(300, demo_producers))
    assert list(Event.objects.order_by("pk").values_list("slug", "kind", "region")) == first


def test_seed_without_producers_still_makes_events(db) -> None:
    demo.seed(_ctx(5, []))
    assert Event.objects.count() == 5 and not ExhibitorApplication.objects.exists()


def test_seed_gives_a_few_events_a_banner_from_a_small_pool(demo_producers) -> None:
    demo.seed(_ctx(30, demo_producers))
    with_banner = Event.objects.exclude(banner="")
    assert with_banner.count() >= 10
    assert with_banner.values("banner").distinct().count() == demo.BANNER_POOL
    assert all(e.banner.startswith("events/") and e.banner_width == 1600 for e in with_banner)
