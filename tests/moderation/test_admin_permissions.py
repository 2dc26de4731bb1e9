"""Every admin page this app adds, for each actor: anonymous and owners go to the login, moderators get in."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _urls(report_pk: int) -> list[str]:
    return [
        reverse("admin:index"),
        reverse("admin:moderation-statistics"),
        reverse("admin:moderation-export-ikm"),
        reverse("admin:moderation-export-products"),
        reverse("admin:moderation_report_changelist"),
        reverse("admin:moderation_report_change", args=[report_pk]),
        reverse("admin:moderation_report_history", args=[report_pk]),
        reverse("admin:moderation_decision_changelist"),
        reverse("admin:moderation_certificationreminder_changelist"),
    ]


@pytest.fixture
def report(owner_ikm, make_report):
    return make_report(ikm=owner_ikm)


def test_anonymous_visitors_are_sent_to_the_login(visitor, report) -> None:
    for url in _urls(report.pk):
        response = visitor.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"], url


def test_owners_are_sent_to_the_login_too(owner_client, report) -> None:
    for url in _urls(report.pk):
        response = owner_client.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"], url
        # The admin's login itself refuses a signed-in account that is not staff.
        assert owner_client.get(response["Location"]).status_code in (302, 403)


def test_moderators_get_every_page(moderator_client, report) -> None:
    for url in _urls(report.pk):
        response = moderator_client.get(url)
        assert response.status_code == 200, url
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)


def test_pages_refuse_other_methods(moderator_client) -> None:
    for url in [reverse("admin:moderation-statistics"), reverse("admin:moderation-export-products")]:
        assert moderator_client.post(url).status_code == 405


def test_the_report_form_needs_no_account(owner_ikm, make_product) -> None:
    product = make_product(owner_ikm)
    assert Client().get(reverse("moderation:report-product", kwargs={"slug": product.slug})).status_code == 200
