"""The catalog panel the IKM dashboard (/dasbor/) includes: products with status and reason, counts, certificates."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from catalog.models import Product, ProductPhoto

pytestmark = pytest.mark.django_db


def render(ikm) -> str:
    with translation.override("en"):
        return render_to_string("catalog/includes/dashboard_panel.html", {"ikm": ikm})


def test_the_panel_shows_products_reasons_counts_and_certificates(owner_ikm, make_product, make_certification) -> None:
    published = make_product(owner_ikm, name="Kopi Robusta Liwa")
    make_product(owner_ikm, name="Sambal Seruit", status=Product.Status.NEEDS_CHANGES, status_reason="Harga per pack.")
    make_product(owner_ikm, name="Lempok Durian", status=Product.Status.PENDING)
    make_certification(
        owner_ikm,
        [published],
        type="pirt",
        number="206347101012320",
        status="verified",
        issued_on=dt.date(2015, 1, 1),
        expires_on=timezone.localdate() - dt.timedelta(days=3),
    )
    html = render(owner_ikm)
    assert "Kopi Robusta Liwa" in html and "Sambal Seruit" in html and "Lempok Durian" in html
    assert "Harga per pack." in html
    assert "1 published" in html and "1 waiting for review" in html and "1 needs changes" in html
    assert "P-IRT No. 2063471010123-20" in html and "Expired" in html
    assert reverse("catalog:owner-product-create") in html
    assert reverse("catalog:owner-product-update", kwargs={"pk": published.pk}) in html


def test_an_empty_catalog_invites_the_first_product(owner_ikm) -> None:
    html = render(owner_ikm)
    assert "You have no products yet" in html
    assert reverse("catalog:owner-certification-create") in html


def test_the_panel_runs_a_fixed_number_of_queries(owner_ikm, make_product, django_assert_max_num_queries) -> None:
    products = [make_product(owner_ikm, name=f"Produk {i}") for i in range(30)]
    ProductPhoto.objects.bulk_create(
        ProductPhoto(product=p, image=f"products/{p.pk:032x}/original.jpg", width=800, height=600, position=0)
        for p in products
    )
    with django_assert_max_num_queries(4):
        html = render(owner_ikm)
    assert "See all 30 products" in html
