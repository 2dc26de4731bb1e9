"""The catalog's demo seeder: every category, believable products, photos, certificates, deterministic per seed."""

import random

import pytest
from django.db.models import Count

from catalog import demo
from catalog.certificate_numbers import normalize_certificate_number
from catalog.models import Category, Certification, Product, ProductPhoto
from galeri.demo import DemoContext
from ikm.models import IKM, Sector

pytestmark = pytest.mark.django_db


@pytest.fixture
def makers(make_ikm):
    """One verified IKM per sector, in different regions, and one still waiting for verification."""
    regions = ["18.04", "18.71", "18.12", "18.06", "18.72", "18.01", "18.10"]
    ikm = [
        make_ikm(name=f"IKM {sector.label}", sector=sector.value, region_id=regions[i])
        for i, sector in enumerate(Sector)
    ]
    ikm.append(make_ikm(name="IKM Menunggu", sector=Sector.PANGAN, status=IKM.Status.SUBMITTED))
    return ikm


@pytest.fixture(autouse=True)
def small_pool(monkeypatch):
    monkeypatch.setattr(demo, "POOL_SIZE", 3)


def run(makers, products: int = 120, seed: int = 7) -> None:
    lines: list[str] = []
    ctx = DemoContext(rng=random.Random(seed), products=products, ikm=len(makers), events=0, log=lines.append)
    ctx.shared["ikm"] = makers
    demo.seed(ctx)
    assert lines and "catalog:" in lines[-1]


def snapshot() -> list[tuple]:
    return list(
        Product.objects.order_by("pk").values_list(
            "name", "slug", "category__slug", "ikm__name", "price_min", "price_max", "status", "is_featured"
        )
    )


def test_has_data_is_false_on_an_empty_catalog() -> None:
    assert demo.has_data() is False


def test_every_category_gets_products(makers) -> None:
    run(makers)
    assert demo.has_data() is True
    assert Product.objects.count() == 120
    leaves = Category.objects.filter(parent__isnull=False)
    empty = leaves.annotate(n=Count("products")).filter(n=0)
    assert list(empty) == []
    for parent in Category.objects.filter(parent__isnull=True):
        assert Product.objects.in_category(parent).exists()


def test_products_are_coherent_with_their_maker(makers) -> None:
    run(makers)
    for product in Product.objects.select_related("ikm", "category"):
        spec = demo.CATALOG[product.category.slug]
        assert product.ikm.sector == spec.sector
        assert product.short_description and product.description
        assert product.slug.startswith(product.name.lower().split()[0].replace(" ", "-"))
        if product.price_min is not None and product.price_max is not None:
            assert product.price_max > product.price_min
        assert product.min_order >= 1
        if product.tkdn_percent is not None:
            assert 0 <= product.tkdn_percent <= 100


def test_most_products_are_published_and_some_wait(makers) -> None:
    run(makers, products=400)
    counts = dict(Product.objects.values_list("status").annotate(n=Count("pk")))
    public_makers = Product.objects.filter(ikm__status=IKM.Status.VERIFIED).count()
    assert counts[Product.Status.PUBLISHED] / public_makers > 0.75
    assert counts.get(Product.Status.PENDING, 0) > 0
    assert counts.get(Product.Status.NEEDS_CHANGES, 0) > 0
    assert not Product.objects.filter(status=Product.Status.NEEDS_CHANGES, status_reason="").exists()
    # Only a verified, active IKM publishes.
    assert not Product.objects.filter(ikm__status=IKM.Status.SUBMITTED, status=Product.Status.PUBLISHED).exists()
    assert Product.objects.filter(is_featured=True).count() <= demo.MAX_FEATURED
    assert Product.objects.filter(price_min__isnull=True).exists()  # some "harga nego"
    assert Product.objects.filter(price_max__isnull=False).exists()  # some ranges


def test_each_product_has_one_to_three_photos_from_the_shared_pool(makers) -> None:
    run(makers)
    per_product = Product.objects.annotate(n=Count("photos")).values_list("n", flat=True)
    assert set(per_product) <= {1, 2, 3}
    assert ProductPhoto.objects.values("image").distinct().count() <= 3
    for photo in ProductPhoto.objects.all()[:10]:
        assert photo.image.startswith("products/") and photo.width and photo.height and photo.alt


def test_certificates_have_valid_numbers_and_cover_own_products(makers) -> None:
    run(makers, products=400)
    certifications = list(Certification.objects.prefetch_related("products"))
    assert {c.type for c in certifications} >= {"halal", "pirt", "ig"}
    for certification in certifications:
        if certification.type in ("halal", "bpom", "pirt"):
            assert normalize_certificate_number(certification.type, certification.number) == certification.number
        assert certification.products.exists()
        assert all(p.ikm_id == certification.ikm_id for p in certification.products.all())
        if certification.type == "ig":
            assert certification.number in ("Kopi Robusta Lampung", "Lada Hitam Lampung")
    statuses = {c.status for c in certifications}
    assert Certification.Status.VERIFIED in statuses
    assert Certification.objects.valid().count() / len(certifications) > 0.6


def test_the_same_seed_builds_the_same_catalog(makers) -> None:
    run(makers, seed=42)
    first = snapshot()
    ProductPhoto.objects.all().delete()
    Certification.objects.all().delete()
    Product.objects.all().delete()
    run(makers, seed=42)
    assert snapshot() == first


def test_nothing_is_made_without_ikm() -> None:
    ctx = DemoContext(rng=random.Random(1), products=10, ikm=0, events=0, log=lambda line: None)
    demo.seed(ctx)
    assert not Product.objects.exists()
