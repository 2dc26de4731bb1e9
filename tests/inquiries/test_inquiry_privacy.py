"""A buyer's contact details reach only that IKM's owner and staff."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

SECRETS = ["Rina Rahasia", "rina.rahasia@pengadaan.test", "+6281299990000", "Dinas Rahasia", "pesan rahasia"]


@pytest.fixture
def inquiry(owner_ikm, product, make_inquiry):
    return make_inquiry(
        owner_ikm,
        product,
        name=SECRETS[0],
        email=SECRETS[1],
        phone=SECRETS[2],
        organization=SECRETS[3],
        message="Ini pesan rahasia untuk produsen.",
    )


def assert_no_buyer_details(html: str) -> None:
    for secret in SECRETS:
        assert secret not in html


def public_urls(product, ikm) -> list[str]:
    urls = [
        reverse("inquiries:ask-product", kwargs={"slug": product.slug}),
        reverse("inquiries:sent-product", kwargs={"slug": product.slug}),
        reverse("inquiries:ask-ikm", kwargs={"slug": ikm.slug}),
        reverse("inquiries:sent-ikm", kwargs={"slug": ikm.slug}),
        product.get_absolute_url(),
    ]
    try:
        urls.append(ikm.get_absolute_url())
    except Exception:  # the IKM's public page belongs to another app and may not be routed yet
        pass
    return urls


def test_the_public_sees_nothing_of_the_buyer(visitor, inquiry, product, owner_ikm) -> None:
    for url in public_urls(product, owner_ikm):
        response = visitor.get(url)
        assert response.status_code in (200, 404), url
        assert_no_buyer_details(response.content.decode())


def test_another_owner_sees_nothing_of_the_buyer(other_ikm, other_owner_client, inquiry, product, owner_ikm) -> None:
    assert other_owner_client.get(reverse("inquiries:inbox-detail", kwargs={"pk": inquiry.pk})).status_code == 404
    for url in [reverse("inquiries:inbox"), *public_urls(product, owner_ikm)]:
        assert_no_buyer_details(other_owner_client.get(url).content.decode())


def test_the_owner_sees_the_buyer(owner_client, inquiry) -> None:
    html = owner_client.get(reverse("inquiries:inbox-detail", kwargs={"pk": inquiry.pk})).content.decode()
    for secret in SECRETS:
        assert secret in html


def test_staff_see_the_buyer_in_the_admin(staff_user, inquiry) -> None:
    client = Client()
    client.force_login(staff_user)
    html = client.get(reverse("admin:inquiries_inquiry_changelist")).content.decode()
    assert SECRETS[0] in html


def test_a_non_staff_user_cannot_open_the_admin_list(owner_client, inquiry) -> None:
    response = owner_client.get(reverse("admin:inquiries_inquiry_changelist"))
    assert response.status_code == 302
    assert SECRETS[0] not in response.content.decode()


def test_the_raw_address_is_never_stored(visitor, product, buyer_data) -> None:
    from inquiries.models import Inquiry

    visitor.post(
        reverse("inquiries:ask-product", kwargs={"slug": product.slug}), buyer_data, REMOTE_ADDR="203.0.113.77"
    )
    stored = Inquiry.objects.values()[0]
    assert not any("203.0.113.77" in str(value) for value in stored.values())
