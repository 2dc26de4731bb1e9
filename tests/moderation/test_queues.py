"""The queues on the admin index: counts, links to the filtered lists (oldest first) and their cost."""

import datetime as dt
import re

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from catalog.models import Certification, Product
from exhibitions.models import Event, ExhibitorApplication
from ikm.models import IKM
from moderation.models import Report
from moderation.queues import moderation_queues

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(owner_ikm, other_ikm, make_ikm, make_product, make_certification, make_report):
    """Something in every queue, with known counts."""
    now = timezone.now()
    make_ikm(status=IKM.Status.SUBMITTED, submitted_at=now - dt.timedelta(days=2))
    make_ikm(status=IKM.Status.SUBMITTED, submitted_at=now - dt.timedelta(days=5))
    make_ikm(status=IKM.Status.DRAFT)
    make_product(owner_ikm, name="Baru Satu", status=Product.Status.PENDING, submitted_at=now - dt.timedelta(days=1))
    make_product(owner_ikm, name="Baru Dua", status=Product.Status.PENDING, submitted_at=now - dt.timedelta(days=9))
    make_product(owner_ikm, name="Baru Tiga", status=Product.Status.PENDING, submitted_at=now - dt.timedelta(days=3))
    make_product(owner_ikm, name="Diubah", review_requested_at=now - dt.timedelta(hours=3))
    make_product(owner_ikm, name="Tayang Biasa")
    make_certification(owner_ikm)
    make_certification(other_ikm, type="pirt", number="206347101012325")
    make_certification(owner_ikm, type="sni", number="SNI 3553:2015", status=Certification.Status.VERIFIED)
    make_certification(
        owner_ikm,
        type="bpom",
        number="MD123456789012",
        status=Certification.Status.VERIFIED,
        expires_on=timezone.localdate() - dt.timedelta(days=1),
    )
    event = Event.objects.create(
        kind=Event.Kind.PAMERAN,
        title="Lampung Craft",
        slug="lampung-craft",
        starts_at=now + dt.timedelta(days=30),
        ends_at=now + dt.timedelta(days=31),
        venue_name="Graha Wangsa",
        region_id="18.71",
        organiser="Dekranasda",
    )
    ExhibitorApplication.objects.create(event=event, ikm=owner_ikm)
    ExhibitorApplication.objects.create(event=event, ikm=other_ikm, status="withdrawn")
    make_report(ikm=owner_ikm)
    make_report(ikm=other_ikm, status=Report.Status.DISMISSED, resolution_note="Tidak ada masalah.", resolved_at=now)


def _queues(user) -> dict[str, object]:
    request = RequestFactory().get("/admin/")
    request.user = user
    return {queue.key: queue for queue in moderation_queues(request, site=admin.site)}


def test_each_queue_counts_what_waits(waiting, staff_user) -> None:
    counts = {key: queue.count for key, queue in _queues(staff_user).items()}
    assert counts == {
        "ikm": 2,
        "products-new": 3,
        "products-edited": 1,
        "certifications": 2,
        "certifications-expired": 1,
        "applications": 1,
        "reports": 1,
    }


def test_the_counts_cost_five_queries(waiting, staff_user, django_assert_num_queries) -> None:
    with django_assert_num_queries(5):
        _queues(staff_user)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("products-new", ["Baru Dua", "Baru Tiga", "Baru Satu"]),
        ("products-edited", ["Diubah"]),
    ],
)
def test_each_product_link_lists_its_queue(waiting, staff_user, staff_client, key: str, expected: list[str]) -> None:
    queue = _queues(staff_user)[key]
    assert queue.url.startswith(reverse("admin:catalog_product_changelist") + "?")
    response = staff_client.get(queue.url)
    assert response.status_code == 200
    names = [product.name for product in response.context["cl"].result_list]
    assert sorted(names) == sorted(expected)
    if "o=" in queue.url:  # the queue's date column is in the list: oldest first
        assert names == expected


def test_the_other_links_list_their_queues(waiting, staff_user, staff_client) -> None:
    queues = _queues(staff_user)
    expected = {
        "certifications": {"pending"},
        "certifications-expired": {"verified"},
        "applications": {"submitted"},
        "reports": {"open"},
    }
    for key, statuses in expected.items():
        response = staff_client.get(queues[key].url)
        assert response.status_code == 200, key
        result = list(response.context["cl"].result_list)
        assert len(result) == queues[key].count, key
        assert {obj.status for obj in result} == statuses, key
    expired = staff_client.get(queues["certifications-expired"].url).context["cl"].result_list
    assert [c.type for c in expired] == ["bpom"]


def test_the_ikm_link_lists_submitted_profiles_oldest_first(waiting, staff_user, staff_client) -> None:
    queue = _queues(staff_user)["ikm"]
    if not queue.url:
        pytest.skip("the IKM admin is not registered yet")
    result = list(staff_client.get(queue.url).context["cl"].result_list)
    assert {ikm.status for ikm in result} == {"submitted"} and len(result) == 2
    if "o=" in queue.url:
        assert result[0].submitted_at < result[1].submitted_at


def test_the_index_shows_the_queues_with_their_links(waiting, staff_client) -> None:
    response = staff_client.get(reverse("admin:index"))
    assert response.status_code == 200
    html = response.content.decode()
    match = re.search(r'id="queue-products-new">\s*<a href="([^"]+)"><span class="galeri-queue-count">3</span>', html)
    assert match, html[:3000]
    assert 'href="/admin/statistik/"' in html
    assert 'href="/admin/ekspor/produk.csv"' in html


def test_a_user_sees_only_the_queues_of_what_they_may_view(waiting, make_user) -> None:
    from django.contrib.auth.models import Permission

    clerk = make_user("clerk@lampungprov.test", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_report"))
    assert list(_queues(clerk)) == ["reports"]


def test_a_queue_sorts_oldest_first_once_its_date_column_is_listed(
    waiting, staff_user, staff_client, monkeypatch
) -> None:
    """The products admin lists no submitted_at column yet; with one, the queue link sorts by it."""
    product_admin = admin.site._registry[Product]
    monkeypatch.setattr(product_admin, "list_display", [*product_admin.list_display, "submitted_at"])
    queue = _queues(staff_user)["products-new"]
    assert "o=" in queue.url
    names = [p.name for p in staff_client.get(queue.url).context["cl"].result_list]
    assert names == ["Baru Dua", "Baru Tiga", "Baru Satu"]
