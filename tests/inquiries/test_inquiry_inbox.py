"""The owner's inbox: who may see it, statuses and counts, replies, and the number of queries."""

import datetime as dt
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inquiries.models import Inquiry

pytestmark = pytest.mark.django_db

INBOX = reverse("inquiries:inbox")


def detail_url(inquiry: Inquiry) -> str:
    return reverse("inquiries:inbox-detail", kwargs={"pk": inquiry.pk})


def action_url(inquiry: Inquiry) -> str:
    return reverse("inquiries:inbox-action", kwargs={"pk": inquiry.pk})


@pytest.fixture
def inquiry(owner_ikm, product, make_inquiry):
    return make_inquiry(
        owner_ikm,
        product,
        name="Rina Susanti",
        email="rina@pengadaan.test",
        phone="+6281234567891",
        buyer_type="government",
        organization="Dinas Perindustrian",
        message="Bisa kirim 200 pack?\nTerima kasih.",
    )


# --- Permissions -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["inbox", "detail", "action"])
def test_anonymous_goes_to_login(visitor, inquiry, name) -> None:
    url = {"inbox": INBOX, "detail": detail_url(inquiry), "action": action_url(inquiry)}[name]
    response = visitor.post(url, {"action": "closed"}) if name == "action" else visitor.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    inquiry.refresh_from_db()
    assert inquiry.status == "new"


def test_another_owner_gets_404(other_ikm, other_owner_client, inquiry) -> None:
    assert other_owner_client.get(detail_url(inquiry)).status_code == 404
    assert other_owner_client.post(action_url(inquiry), {"action": "spam"}).status_code == 404
    inbox = other_owner_client.get(INBOX)
    assert inbox.status_code == 200
    assert "Rina Susanti" not in inbox.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.status == "new"


def test_a_user_without_an_ikm_is_sent_to_the_dashboard(make_user, inquiry) -> None:
    client = Client()
    client.force_login(make_user())
    assert client.get(INBOX).status_code == 302
    assert client.get(detail_url(inquiry)).status_code == 404


def test_staff_without_the_ikm_get_404_in_the_inbox_but_see_it_in_the_admin(staff_user, inquiry) -> None:
    client = Client()
    client.force_login(staff_user)
    assert client.get(detail_url(inquiry)).status_code == 404
    admin_page = client.get(reverse("admin:inquiries_inquiry_change", args=[inquiry.pk]))
    assert admin_page.status_code == 200
    assert "rina@pengadaan.test" in admin_page.content.decode()


# --- The list ----------------------------------------------------------------------------------


def test_inbox_lists_newest_first_without_spam(owner_client, owner_ikm, make_inquiry) -> None:
    now = timezone.now()
    old = make_inquiry(owner_ikm, name="Lama", created_at=now - dt.timedelta(days=3))
    new = make_inquiry(owner_ikm, name="Baru", created_at=now - dt.timedelta(hours=1))
    make_inquiry(owner_ikm, name="Penipu", status="spam")
    response = owner_client.get(INBOX)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [new, old]
    assert "Penipu" not in response.content.decode()


def test_inbox_filters_by_status_with_counts(owner_client, owner_ikm, make_inquiry) -> None:
    for status, n in [("new", 3), ("read", 2), ("replied", 1), ("spam", 1)]:
        for _ in range(n):
            make_inquiry(owner_ikm, status=status)
    response = owner_client.get(INBOX, {"status": "read"})
    assert [i.status for i in response.context["page"].object_list] == ["read", "read"]
    counts = {link["value"]: link["count"] for link in response.context["status_links"]}
    assert counts == {"": 6, "new": 3, "read": 2, "replied": 1, "closed": 0, "spam": 1}
    assert len(owner_client.get(INBOX, {"status": "spam"}).context["page"].object_list) == 1
    # An unknown status shows everything but spam, never a 500.
    assert len(owner_client.get(INBOX, {"status": "<script>"}).context["page"].object_list) == 6
    assert owner_client.get(INBOX, {"page": "999"}).status_code == 200


def test_inbox_query_count_stays_flat(
    owner_client, owner_ikm, make_product, make_inquiry, django_assert_max_num_queries
):
    products = [make_product(owner_ikm) for _ in range(10)]
    for n in range(30):
        make_inquiry(owner_ikm, products[n % 10] if n % 3 else None)
    with django_assert_max_num_queries(8):
        response = owner_client.get(INBOX)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 25


def test_detail_query_count(owner_client, inquiry, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(8):
        assert owner_client.get(detail_url(inquiry)).status_code == 200


# --- One inquiry --------------------------------------------------------------------------------


def test_opening_marks_new_as_read(owner_client, inquiry) -> None:
    response = owner_client.get(detail_url(inquiry))
    assert response.status_code == 200
    html = response.content.decode()
    for shown in [
        "Rina Susanti",
        "rina@pengadaan.test",
        "+6281234567891",
        "Dinas Perindustrian",
        "Bisa kirim 200 pack?",
    ]:
        assert shown in html
    inquiry.refresh_from_db()
    assert inquiry.status == "read"
    # HEAD does not change anything.
    inquiry.status = "new"
    inquiry.save()
    owner_client.head(detail_url(inquiry))
    inquiry.refresh_from_db()
    assert inquiry.status == "new"


def test_reply_links(owner_client, inquiry) -> None:
    response = owner_client.get(detail_url(inquiry))
    mailto = urlsplit(response.context["mailto"])
    assert mailto.scheme == "mailto" and unquote(mailto.path) == "rina@pengadaan.test"
    query = parse_qs(mailto.query)
    assert "Keripik Pisang Cokelat" in query["subject"][0]
    assert "> Bisa kirim 200 pack?\n> Terima kasih." in query["body"][0]
    whatsapp = urlsplit(response.context["whatsapp"])
    assert whatsapp.netloc == "wa.me" and whatsapp.path == "/6281234567891"
    assert "Rina Susanti" in parse_qs(whatsapp.query)["text"][0]
    assert response.context["mailto"].replace("&", "&amp;") in response.content.decode()


def test_no_whatsapp_reply_without_a_mobile_number(owner_client, owner_ikm, make_inquiry) -> None:
    landline = make_inquiry(owner_ikm, phone="+62721123456")
    assert owner_client.get(detail_url(landline)).context["whatsapp"] == ""
    nothing = make_inquiry(owner_ikm)
    assert owner_client.get(detail_url(nothing)).context["whatsapp"] == ""


def test_english_buyer_gets_an_english_reply_subject(owner_client, owner_ikm, make_inquiry) -> None:
    inquiry = make_inquiry(owner_ikm, language="en")
    mailto = owner_client.get(detail_url(inquiry)).context["mailto"]
    assert "Re%3A%20your%20inquiry%20about%20Keripik%20Mak%20Ijah" in mailto


@pytest.mark.parametrize(
    "start, action, end",
    [
        ("read", "replied", "replied"),
        ("new", "replied", "replied"),
        ("replied", "closed", "closed"),
        ("read", "spam", "spam"),
        ("closed", "reopen", "read"),
        ("spam", "reopen", "read"),
    ],
)
def test_status_actions(owner_client, owner_ikm, make_inquiry, start, action, end) -> None:
    inquiry = make_inquiry(owner_ikm, status=start)
    response = owner_client.post(action_url(inquiry), {"action": action})
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == end


@pytest.mark.parametrize("start, action", [("new", "reopen"), ("closed", "replied"), ("spam", "closed"), ("new", "x")])
def test_actions_that_do_not_apply_are_refused_with_a_message(owner_client, owner_ikm, make_inquiry, start, action):
    inquiry = make_inquiry(owner_ikm, status=start)
    response = owner_client.post(action_url(inquiry), {"action": action})
    assert response.status_code == 302
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
    inquiry.refresh_from_db()
    assert inquiry.status == start


def test_actions_need_post(owner_client, inquiry) -> None:
    assert owner_client.get(action_url(inquiry), {"action": "spam"}).status_code == 405


def test_detail_shows_only_the_actions_that_apply(owner_client, owner_ikm, make_inquiry) -> None:
    closed = make_inquiry(owner_ikm, status="closed")
    html = owner_client.get(detail_url(closed)).content.decode()
    assert 'value="reopen"' in html and 'value="replied"' not in html and 'value="closed"' not in html


# --- The count in the navigation ----------------------------------------------------------------


def render_inbox_link(user, request=None) -> str:
    return Template("{% load inquiries_tags %}{% inbox_link %}").render(Context({"user": user, "request": request}))


def test_nav_shows_the_count_of_new_inquiries_to_owners(owner, owner_ikm, make_inquiry, django_assert_num_queries):
    for status in ["new", "new", "read", "spam"]:
        make_inquiry(owner_ikm, status=status)
    with django_assert_num_queries(1):
        html = render_inbox_link(owner)
    assert INBOX in html and '<span class="badge" aria-hidden="true">2</span>' in html


def test_nav_shows_nothing_to_users_without_an_ikm(make_user, django_assert_num_queries) -> None:
    user = make_user()
    with django_assert_num_queries(1):
        assert render_inbox_link(user).strip() == ""
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        assert render_inbox_link(AnonymousUser()).strip() == ""


def test_nav_count_is_computed_once_per_request(rf, owner, owner_ikm, django_assert_num_queries) -> None:
    request = rf.get("/")
    request.user = owner
    with django_assert_num_queries(1):
        render_inbox_link(owner, request)
        render_inbox_link(owner, request)


def test_owner_with_no_new_inquiries_sees_the_link_without_a_badge(owner, owner_ikm) -> None:
    html = render_inbox_link(owner)
    assert INBOX in html and "badge" not in html
