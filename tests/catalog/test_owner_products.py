"""The owner's product pages: create, edit, submit, archive; bad input answered next to the field."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from catalog.models import Category, Product
from ikm.models import IKM
from moderation.models import Decision

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("catalog:owner-product-create")


def en(name: str, **kwargs: object) -> str:
    """The English address: messages are asserted in English, whatever the Indonesian catalogue says."""
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def category():
    return Category.objects.get(slug="keripik-camilan")


@pytest.fixture
def form_data(category):
    return {
        "name": "Keripik Pisang Cokelat",
        "category": str(category.pk),
        "short_description": "Renyah dan manis.",
        "description": "Dari pisang kepok pilihan.\n\nTanpa pengawet.",
        "price_kind": "fixed",
        "price_min": "25.000",
        "price_max": "",
        "unit": "pack",
        "min_order": "1",
        "net_amount": "250",
        "net_unit": "g",
        "availability": "ready",
        "lead_time_days": "",
        "capacity_per_month": "500",
        "capacity_unit": "pack",
        "tkdn_percent": "",
        "shelf_life_days": "90",
    }


def test_the_form_offers_subcategories_grouped_by_parent(owner_client, owner_ikm) -> None:
    html = owner_client.get(CREATE_URL).content.decode()
    assert '<optgroup label="Makanan &amp; Minuman">' in html
    assert "Keripik &amp; Camilan" in html
    assert 'name="price_kind"' in html and 'type="radio"' in html


def test_the_owner_creates_a_draft_and_is_led_to_the_photos(owner_client, owner_ikm, form_data) -> None:
    response = owner_client.post(CREATE_URL, form_data)
    product = Product.objects.get(ikm=owner_ikm)
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:owner-product-photos", kwargs={"pk": product.pk})
    assert product.status == Product.Status.DRAFT
    assert product.price_min == 25000 and product.price_max is None
    assert product.net_unit == "g"


@pytest.mark.parametrize(
    ("kind", "low", "high", "expected"),
    [
        ("fixed", "25000", "", (25000, None)),
        ("fixed", "Rp 1.250.000", "", (1250000, None)),
        ("fixed", "25.000,00", "", (25000, None)),
        ("range", "25.000", "40.000", (25000, 40000)),
        ("range", "25000", "25000", (25000, None)),  # min = max is one price
        ("nego", "", "", (None, None)),
        ("nego", "99999", "", (None, None)),  # a typed price is dropped for "harga nego"
    ],
)
def test_the_three_ways_to_price(owner_client, owner_ikm, form_data, kind, low, high, expected) -> None:
    form_data.update(price_kind=kind, price_min=low, price_max=high)
    response = owner_client.post(CREATE_URL, form_data)
    assert response.status_code == 302, response.context["form"].errors
    product = Product.objects.get(ikm=owner_ikm)
    assert (product.price_min, product.price_max) == expected


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"price_min": "-5000"}, "price_min", "positive"),
        ({"price_min": "0"}, "price_min", "positive"),
        ({"price_min": "25.000,50"}, "price_min", "cents"),
        ({"price_min": "25,5"}, "price_min", "cents"),
        ({"price_min": "dua puluh ribu"}, "price_min", "whole rupiah"),
        ({"price_min": "2.50.000"}, "price_min", "whole rupiah"),
        ({"price_min": "9999999999999"}, "price_min", "at most"),
        ({"price_min": ""}, "price_min", "Enter the price"),
        ({"price_kind": "range", "price_min": "40000", "price_max": "25000"}, "price_max", "not be lower"),
        ({"price_kind": "range", "price_min": "40000", "price_max": ""}, "price_max", "highest price"),
        ({"price_kind": "mahal"}, "price_kind", "valid choice"),
        ({"tkdn_percent": "120"}, "tkdn_percent", "between 0 and 100"),
        ({"tkdn_percent": "-1"}, "tkdn_percent", "between 0 and 100"),
        ({"name": "K" * 121}, "name", "120"),
        ({"name": ""}, "name", "required"),
        ({"short_description": "x" * 201}, "short_description", "200"),
        ({"description": "x" * 5001}, "description", "5000"),
        ({"min_order": "0"}, "min_order", "at least 1"),
        ({"net_amount": "250", "net_unit": ""}, "net_unit", "unit"),
        ({"net_amount": "0"}, "net_amount", "more than 0"),
        ({"category": "999999"}, "category", "Choose a category"),
        ({"category": ""}, "category", "required"),
        ({"unit": "ton"}, "unit", "valid choice"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_the_rest_kept(
    owner_client, owner_ikm, form_data, changes, field, message
) -> None:
    form_data.update(changes)
    response = owner_client.post(en("catalog:owner-product-create"), form_data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert message.lower() in " ".join(form.errors[field]).lower()
    html = response.content.decode()
    assert 'class="error-summary"' in html
    # What the owner typed elsewhere is kept.
    assert "Dari pisang kepok pilihan." in html if field != "description" else 'value="Renyah dan manis."' in html
    assert not Product.objects.exists()


def test_a_category_parent_is_not_a_valid_choice(owner_client, owner_ikm, form_data) -> None:
    form_data["category"] = str(Category.objects.get(slug="makanan-minuman").pk)
    response = owner_client.post(CREATE_URL, form_data)
    assert "category" in response.context["form"].errors


def test_the_owner_edits_a_draft(owner_client, owner_ikm, make_product, form_data) -> None:
    product = make_product(owner_ikm, status=Product.Status.DRAFT)
    form_data.update(name="Keripik Pisang Keju", price_min="30.000")
    response = owner_client.post(reverse("catalog:owner-product-update", kwargs={"pk": product.pk}), form_data)
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.name == "Keripik Pisang Keju"
    assert product.price_min == 30000
    assert product.status == Product.Status.DRAFT


def test_editing_a_published_product_keeps_it_public_and_says_staff_will_review(
    owner_client, owner_ikm, make_product, form_data
) -> None:
    product = make_product(owner_ikm)
    form_data.update(price_min="27.500")
    response = owner_client.post(en("catalog:owner-product-update", pk=product.pk), form_data, follow=True)
    product.refresh_from_db()
    assert product.status == Product.Status.PUBLISHED
    assert product.review_requested_at is not None
    assert product.price_min == 27500
    assert "staff will review the changes" in response.content.decode()


def test_the_edit_form_shows_the_price_kind_of_the_product(owner_client, owner_ikm, make_product) -> None:
    product = make_product(owner_ikm, price_min=25000, price_max=40000)
    html = owner_client.get(reverse("catalog:owner-product-update", kwargs={"pk": product.pk})).content.decode()
    assert re.search(r'value="range"[^>]*checked', html)
    assert response_price(html) == ("25.000", "40.000")


def response_price(html: str) -> tuple[str, str]:
    low = re.search(r'name="price_min" value="([^"]*)"', html)
    high = re.search(r'name="price_max" value="([^"]*)"', html)
    return (low.group(1) if low else "", high.group(1) if high else "")


def test_the_edit_page_shows_status_reason_and_history(
    owner_client, owner_ikm, make_product, staff_user, add_photos
) -> None:
    from catalog import services

    product = make_product(owner_ikm, status=Product.Status.DRAFT)
    add_photos(product)
    services.product_submit(product=product, user=owner_ikm.owner)
    services.product_request_changes(product=product, actor=staff_user, reason="Foto kemasan belum terlihat.")
    html = owner_client.get(reverse("catalog:owner-product-update", kwargs={"pk": product.pk})).content.decode()
    assert "Foto kemasan belum terlihat." in html
    assert html.count("Foto kemasan belum terlihat.") >= 2  # the status panel and the history
    assert 'action="' + reverse("catalog:owner-product-submit", kwargs={"pk": product.pk}) in html


def test_submitting_from_the_page(owner_client, owner_ikm, make_product, add_photos) -> None:
    product = make_product(owner_ikm, status=Product.Status.DRAFT)
    add_photos(product)
    response = owner_client.post(reverse("catalog:owner-product-submit", kwargs={"pk": product.pk}))
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.status == Product.Status.PENDING
    assert Decision.objects.for_object(product).filter(to_status="pending").exists()


def test_submitting_without_a_photo_explains_why_and_changes_nothing(owner_client, owner_ikm, make_product) -> None:
    product = make_product(owner_ikm, status=Product.Status.DRAFT)
    response = owner_client.post(en("catalog:owner-product-submit", pk=product.pk), follow=True)
    assert "Add at least one photo" in response.content.decode()
    product.refresh_from_db()
    assert product.status == Product.Status.DRAFT


def test_submitting_while_the_ikm_is_not_verified_explains_why(
    owner_client, owner_ikm, make_product, add_photos
) -> None:
    product = make_product(owner_ikm, status=Product.Status.DRAFT)
    add_photos(product)
    IKM.objects.filter(pk=owner_ikm.pk).update(status=IKM.Status.SUBMITTED)
    response = owner_client.post(en("catalog:owner-product-submit", pk=product.pk), follow=True)
    assert "not verified yet" in response.content.decode()
    product.refresh_from_db()
    assert product.status == Product.Status.DRAFT


def test_archive_and_restore(owner_client, owner_ikm, make_product) -> None:
    product = make_product(owner_ikm)
    owner_client.post(reverse("catalog:owner-product-archive", kwargs={"pk": product.pk}))
    product.refresh_from_db()
    assert product.status == Product.Status.ARCHIVED
    owner_client.post(reverse("catalog:owner-product-unarchive", kwargs={"pk": product.pk}))
    product.refresh_from_db()
    assert product.status == Product.Status.DRAFT


def test_the_list_shows_status_and_reason_and_filters_by_status(owner_client, owner_ikm, make_product) -> None:
    make_product(owner_ikm, name="Kopi Robusta Liwa")
    make_product(
        owner_ikm, name="Sambal Seruit", status=Product.Status.NEEDS_CHANGES, status_reason="Harga belum jelas."
    )
    html = owner_client.get(reverse("catalog:owner-product-list")).content.decode()
    assert "Kopi Robusta Liwa" in html and "Sambal Seruit" in html
    assert "Harga belum jelas." in html
    html = owner_client.get(reverse("catalog:owner-product-list") + "?status=needs_changes").content.decode()
    assert "Sambal Seruit" in html and "Kopi Robusta Liwa" not in html
    # An unknown status is ignored, not an error.
    assert owner_client.get(reverse("catalog:owner-product-list") + "?status=<script>").status_code == 200


def test_the_list_shows_only_my_products(owner_client, owner_ikm, other_ikm, make_product) -> None:
    make_product(other_ikm, name="Tapis Jung Sarat Milik Orang Lain")
    html = owner_client.get(reverse("catalog:owner-product-list")).content.decode()
    assert "Milik Orang Lain" not in html


def test_the_product_list_runs_a_fixed_number_of_queries(
    owner_client, owner_ikm, make_product, django_assert_max_num_queries
) -> None:
    from catalog.models import ProductPhoto

    products = [make_product(owner_ikm, name=f"Produk {i}") for i in range(30)]
    ProductPhoto.objects.bulk_create(
        ProductPhoto(product=p, image=f"products/p{p.pk}-{n}.jpg", width=800, height=600, position=n)
        for p in products
        for n in range(2)
    )
    with django_assert_max_num_queries(10):
        response = owner_client.get(reverse("catalog:owner-product-list"))
    assert response.status_code == 200
    assert response.content.decode().count('class="owner-product"') == 30


def test_the_list_puts_what_needs_action_first(owner_client, owner_ikm, make_product) -> None:
    make_product(owner_ikm, name="Produk Arsip", status=Product.Status.ARCHIVED)
    make_product(owner_ikm, name="Produk Tayang")
    make_product(owner_ikm, name="Produk Perlu Perbaikan", status=Product.Status.NEEDS_CHANGES, status_reason="Foto.")
    names = [p.name for p in owner_client.get(reverse("catalog:owner-product-list")).context["products"]]
    assert names == ["Produk Perlu Perbaikan", "Produk Tayang", "Produk Arsip"]
