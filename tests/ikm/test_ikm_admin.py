"""The IKM admin: the queue, decisions as actions (with a reason page), ownership transfer, read-only regions."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse

from ikm.models import IKM
from moderation.models import Decision

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:ikm_ikm_changelist")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def submitted(owner_ikm):
    IKM.objects.filter(pk=owner_ikm.pk).update(status=IKM.Status.SUBMITTED, nib="1234567890123")
    owner_ikm.refresh_from_db()
    return owner_ikm


@pytest.mark.parametrize(
    "query", [{}, {"q": "1234567890123"}, {"q": "pemilik@ikm.test"}, {"status__exact": "submitted"}]
)
def test_changelist_filters_and_search(staff_client, submitted, other_ikm, query) -> None:
    response = staff_client.get(CHANGELIST, query)
    assert response.status_code == 200
    assert "Keripik Mak Ijah" in response.content.decode()


def test_change_page_has_view_on_site_and_links_inline(staff_client, submitted) -> None:
    html = staff_client.get(reverse("admin:ikm_ikm_change", args=[submitted.pk])).content.decode()
    assert "links-TOTAL_FORMS" in html
    assert "/r/" in html  # the admin's "view on site" redirect


def test_verify_action(staff_client, submitted, staff_user, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(CHANGELIST, {"action": "verify", ACTION_CHECKBOX_NAME: [submitted.pk]})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == IKM.Status.VERIFIED and submitted.verified_by == staff_user
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(("action", "field"), [("request_changes", "status_reason"), ("suspend", "suspended_reason")])
def test_reason_actions_ask_for_a_reason_first(
    staff_client, submitted, action, field, django_capture_on_commit_callbacks
) -> None:
    page = staff_client.post(CHANGELIST, {"action": action, ACTION_CHECKBOX_NAME: [submitted.pk]})
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    empty = staff_client.post(CHANGELIST, {"action": action, ACTION_CHECKBOX_NAME: [submitted.pk], "apply": "1"})
    assert empty.status_code == 200
    assert not Decision.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = staff_client.post(
            CHANGELIST,
            {"action": action, ACTION_CHECKBOX_NAME: [submitted.pk], "apply": "1", "reason": "Foto tidak jelas."},
        )
    assert done.status_code == 302
    submitted.refresh_from_db()
    assert getattr(submitted, field) == "Foto tidak jelas."
    assert "Foto tidak jelas." in mail.outbox[0].body


def test_staff_can_transfer_ownership(staff_client, submitted, make_user) -> None:
    new_owner = make_user("penerus@ikm.test")
    url = reverse("admin:ikm_ikm_change", args=[submitted.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {name: form[name].value() if form[name].value() is not None else "" for name in form.fields}
    data.update({"owner": new_owner.pk, "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0"})
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    submitted.refresh_from_db()
    assert submitted.owner == new_owner and submitted.status == IKM.Status.SUBMITTED


def test_regions_are_read_only(staff_client) -> None:
    assert staff_client.get(reverse("admin:ikm_region_changelist")).status_code == 200
    assert staff_client.get(reverse("admin:ikm_region_add")).status_code == 403


def test_only_a_superuser_may_transfer_ownership(client, make_user, submitted) -> None:
    from django.contrib.auth.models import Permission

    moderator = make_user("moderator@lampungprov.test", is_staff=True)
    moderator.user_permissions.add(*Permission.objects.filter(codename__in=["view_ikm", "change_ikm"]))
    client.force_login(moderator)
    response = client.get(reverse("admin:ikm_ikm_change", args=[submitted.pk]))
    assert response.status_code == 200
    assert "owner" not in response.context["adminform"].form.fields
