"""Figures: per product and IKM for the owner, per month and buyer type for staff, aggregated in the database."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inquiries.figures import monthly_figures, owner_figures, top_ikm
from inquiries.models import ContactClick

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(owner_ikm, other_ikm, product, make_product, make_inquiry):
    """This month: 3 government inquiries (2 IKM), 1 business, 1 spam; 40 days ago: 1 individual; clicks."""
    now = timezone.now()
    other_product = make_product(other_ikm)
    make_inquiry(owner_ikm, product, buyer_type="government")
    make_inquiry(owner_ikm, product, buyer_type="government")
    make_inquiry(other_ikm, other_product, buyer_type="government")
    make_inquiry(owner_ikm, None, buyer_type="business")
    make_inquiry(owner_ikm, product, buyer_type="government", status="spam")
    make_inquiry(owner_ikm, product, buyer_type="individual", created_at=now - dt.timedelta(days=40))
    today = timezone.localdate()
    ContactClick.objects.create(ikm=owner_ikm, product=product, day=today, count=4)
    ContactClick.objects.create(ikm=owner_ikm, product=product, day=today - dt.timedelta(days=60), count=6)
    ContactClick.objects.create(ikm=owner_ikm, product=None, day=today, count=2)
    return {"product": product, "other_product": other_product}


def test_owner_figures_per_product(owner_ikm, activity, django_assert_num_queries) -> None:
    with django_assert_num_queries(2):
        figures = owner_figures(owner_ikm)
    rows = {row.product_id: row for row in figures.rows}
    product_row = rows[activity["product"].pk]
    assert (product_row.inquiries_recent, product_row.inquiries_total) == (2, 3)
    assert (product_row.clicks_recent, product_row.clicks_total) == (4, 10)
    assert product_row.product_name == "Keripik Pisang Cokelat"
    ikm_row = rows[None]
    assert (ikm_row.inquiries_recent, ikm_row.clicks_recent) == (1, 2)
    assert (figures.inquiries_recent, figures.inquiries_total, figures.clicks_recent, figures.clicks_total) == (
        3,
        4,
        6,
        12,
    )
    assert figures.recent_by_buyer_type == {"individual": 0, "business": 1, "government": 2}
    assert activity["other_product"].pk not in rows


def test_monthly_figures_for_staff(activity, django_assert_num_queries) -> None:
    today = timezone.localdate()
    with django_assert_num_queries(2):
        months = monthly_figures(months=12, today=today)
    assert len(months) == 12
    this_month = months[0]
    assert this_month.month == today.replace(day=1)
    # 40 days ago is always in an earlier month; spam never counts.
    assert this_month.government == 3
    assert this_month.ikm_reached_by_government == 2
    assert this_month.by_buyer_type["business"] == 1
    assert this_month.inquiries == 4 and this_month.ikm_reached == 2
    assert sum(m.inquiries for m in months) == 5
    assert sum(m.whatsapp_clicks for m in months) == 12
    assert this_month.whatsapp_clicks == 6


def test_top_ikm(owner_ikm, activity) -> None:
    rows = top_ikm(since=timezone.localdate().replace(day=1))
    assert rows[0]["ikm__name"] == owner_ikm.name
    assert (rows[0]["total"], rows[0]["bt_government"], rows[0]["bt_business"]) == (3, 2, 1)


def test_dashboard_include_renders_the_figures(rf, owner, owner_ikm, activity) -> None:
    request = rf.get("/dasbor/")
    request.user = owner
    html = render_to_string("inquiries/includes/dashboard_figures.html", {"ikm": owner_ikm}, request=request)
    assert "Keripik Pisang Cokelat" in html
    assert reverse("inquiries:inbox") in html
    assert "<tfoot>" in html


def test_dashboard_include_with_nothing_yet(rf, owner, owner_ikm) -> None:
    html = render_to_string("inquiries/includes/dashboard_figures.html", {"ikm": owner_ikm})
    assert "<table" not in html


def test_staff_figures_page(staff_user, activity, django_assert_max_num_queries) -> None:
    client = Client()
    client.force_login(staff_user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("admin:inquiries_inquiry_figures"))
    assert response.status_code == 200
    assert response.context["months"][0].government == 3
    assert "Keripik Mak Ijah" in response.content.decode()


def test_admin_changelist_summarises_by_buyer_type(staff_user, activity) -> None:
    client = Client()
    client.force_login(staff_user)
    month = timezone.localdate().strftime("%Y-%m")
    response = client.get(
        reverse("admin:inquiries_inquiry_changelist"), {"month": month, "buyer_type__exact": "government"}
    )
    assert response.status_code == 200
    counts = [(row["inquiries"], row["ikm"]) for row in response.context["buyer_type_summary"]]
    # Individual, business, government: the admin list includes spam, so 4 government inquiries, to 2 IKM.
    assert counts == [(0, 0), (0, 0), (4, 2)]


def test_admin_filters_do_not_500(staff_user, activity) -> None:
    client = Client()
    client.force_login(staff_user)
    url = reverse("admin:inquiries_inquiry_changelist")
    for params in [{"month": "bogus"}, {"email_state": "pending"}, {"email_state": "failed"}, {"email_state": "sent"}]:
        assert client.get(url, params).status_code == 200
    assert client.get(reverse("admin:inquiries_contactclick_changelist"), {"month": "2026-01"}).status_code == 200


def test_admin_action_sends_pending_mail(staff_user, owner_ikm, make_inquiry) -> None:
    from django.core import mail

    from inquiries.models import Inquiry

    inquiry = make_inquiry(owner_ikm, owner_notified_at=None, buyer_notified_at=None, notify_attempts=0)
    client = Client()
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:inquiries_inquiry_changelist"),
        {"action": "send_pending_mail", "_selected_action": [inquiry.pk]},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert Inquiry.objects.get().owner_notified_at is not None


def test_non_staff_cannot_see_figures(owner_client) -> None:
    response = owner_client.get(reverse("admin:inquiries_inquiry_figures"))
    assert response.status_code == 302


def test_staff_status_changes_are_recorded(staff_user, owner_ikm, make_inquiry) -> None:
    from moderation.models import Decision

    inquiry = make_inquiry(owner_ikm)
    other = make_inquiry(owner_ikm, status="read")
    client = Client()
    client.force_login(staff_user)
    changelist = reverse("admin:inquiries_inquiry_changelist")
    response = client.post(changelist, {"action": "mark_spam", "_selected_action": [inquiry.pk]})
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == "spam"
    [decision] = Decision.objects.for_object(inquiry)
    assert (decision.actor, decision.from_status, decision.to_status) == (staff_user, "new", "spam")

    response = client.post(reverse("admin:inquiries_inquiry_change", args=[other.pk]), {"status": "closed"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.status == "closed"
    assert Decision.objects.for_object(other).get().to_status == "closed"
