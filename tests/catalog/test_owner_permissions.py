"""Every owner URL under /dasbor/: anonymous → login, another owner → 404, no IKM → profile creation (pretix style)."""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from catalog.models import Product

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(owner_ikm, make_product, make_certification, add_photos):
    product = make_product(owner_ikm, status=Product.Status.DRAFT)
    photo = add_photos(product)[0]
    certification = make_certification(owner_ikm, [product], document="certificates/scan.pdf")
    return {"product": product, "photo": photo, "certification": certification}


# (url name, kwargs builder, method): every owner-only URL.
OBJECT_URLS = [
    ("catalog:owner-product-update", lambda o: {"pk": o["product"].pk}, "get"),
    ("catalog:owner-product-update", lambda o: {"pk": o["product"].pk}, "post"),
    ("catalog:owner-product-photos", lambda o: {"pk": o["product"].pk}, "get"),
    ("catalog:owner-product-photos", lambda o: {"pk": o["product"].pk}, "post"),
    ("catalog:owner-photo-remove", lambda o: {"pk": o["product"].pk, "photo_pk": o["photo"].pk}, "post"),
    ("catalog:owner-photo-move", lambda o: {"pk": o["product"].pk, "photo_pk": o["photo"].pk}, "post"),
    ("catalog:owner-product-submit", lambda o: {"pk": o["product"].pk}, "post"),
    ("catalog:owner-product-archive", lambda o: {"pk": o["product"].pk}, "post"),
    ("catalog:owner-product-unarchive", lambda o: {"pk": o["product"].pk}, "post"),
    ("catalog:owner-certification-update", lambda o: {"pk": o["certification"].pk}, "get"),
    ("catalog:owner-certification-update", lambda o: {"pk": o["certification"].pk}, "post"),
    ("catalog:owner-certification-document", lambda o: {"pk": o["certification"].pk}, "get"),
]
LIST_URLS = [
    "catalog:owner-product-list",
    "catalog:owner-product-create",
    "catalog:owner-certification-list",
    "catalog:owner-certification-create",
]


@pytest.mark.parametrize(("name", "kwargs", "method"), OBJECT_URLS)
def test_anonymous_is_sent_to_log_in(visitor, objects, name, kwargs, method) -> None:
    url = reverse(name, kwargs=kwargs(objects))
    response = getattr(visitor, method)(url)
    if name == "catalog:owner-certification-document":
        assert response.status_code == 404  # a private file: not even a login hint that it exists
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", LIST_URLS)
def test_anonymous_is_sent_to_log_in_from_lists(visitor, name) -> None:
    response = visitor.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("name", "kwargs", "method"), OBJECT_URLS)
def test_other_owner_gets_404(other_ikm, other_owner, objects, name, kwargs, method) -> None:
    client = Client()
    client.force_login(other_owner)
    url = reverse(name, kwargs=kwargs(objects))
    response = getattr(client, method)(url, {"direction": "up", "alt-TOTAL_FORMS": "0"})
    assert response.status_code == 404
    product = Product.objects.get(pk=objects["product"].pk)
    assert product.status == Product.Status.DRAFT
    assert product.photos.count() == 1


# Pages the owner reads (writes and the private scan have their own tests).
OWNER_PAGES = [(n, k) for n, k, m in OBJECT_URLS if m == "get" and n != "catalog:owner-certification-document"]


@pytest.mark.parametrize(("name", "kwargs"), OWNER_PAGES)
def test_the_owner_gets_each_page(owner_client, objects, name, kwargs) -> None:
    response = owner_client.get(reverse(name, kwargs=kwargs(objects)))
    assert response.status_code == 200


@pytest.mark.parametrize("name", LIST_URLS)
def test_the_owner_gets_each_list(owner_client, owner_ikm, name) -> None:
    assert owner_client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", LIST_URLS)
def test_a_user_without_an_ikm_is_sent_to_create_the_profile(make_user, name) -> None:
    client = Client()
    client.force_login(make_user())
    response = client.get(reverse(name))
    assert response.status_code == 302
    try:
        expected = reverse("ikm:profile-create")
    except NoReverseMatch:
        expected = reverse("home")  # until the IKM app adds its profile creation page
    assert response["Location"] == expected


def test_a_photo_of_another_product_cannot_be_reached_through_my_product(
    owner_client, owner_ikm, other_ikm, make_product, add_photos
) -> None:
    mine = make_product(owner_ikm, status=Product.Status.DRAFT)
    theirs = add_photos(make_product(other_ikm, status=Product.Status.DRAFT))[0]
    url = reverse("catalog:owner-photo-remove", kwargs={"pk": mine.pk, "photo_pk": theirs.pk})
    assert owner_client.post(url).status_code == 404
    assert type(theirs).objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("name", ["catalog:owner-product-submit", "catalog:owner-product-archive"])
def test_state_changes_refuse_get(owner_client, objects, name) -> None:
    response = owner_client.get(reverse(name, kwargs={"pk": objects["product"].pk}))
    assert response.status_code == 405
