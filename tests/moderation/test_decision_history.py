"""The audit trail in the admin: each moderated object's decisions on its change and history pages, and the log."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from catalog import services as catalog_services
from catalog.models import Product
from exhibitions import services as exhibition_services
from exhibitions.models import Event, ExhibitorApplication
from moderation.admin_helpers import decision_history, decision_rows
from moderation.models import Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(owner_ikm):
    now = timezone.now()
    event = Event.objects.create(
        kind=Event.Kind.PAMERAN,
        title="Lampung Craft",
        slug="lampung-craft",
        starts_at=now + timezone.timedelta(days=30),
        ends_at=now + timezone.timedelta(days=31),
        venue_name="Graha Wangsa",
        region_id="18.71",
        organiser="Dekranasda",
        status=Event.Status.PUBLISHED,
        published_at=now,
    )
    return ExhibitorApplication.objects.create(event=event, ikm=owner_ikm)


def test_the_change_page_lists_decisions_with_who_when_and_why(staff_client, staff_user, application) -> None:
    exhibition_services.application_reject(application=application, actor=staff_user, reason="Kuota kriya penuh.")
    response = staff_client.get(reverse("admin:exhibitions_exhibitorapplication_change", args=[application.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="module galeri-decision-panel"' in html
    assert "Kuota kriya penuh." in html
    assert staff_user.get_full_name() in html
    assert "<strong>Rejected</strong>" in html or "<strong>Ditolak</strong>" in html


def test_a_page_that_shows_the_log_itself_does_not_repeat_it(staff_client, staff_user, owner_ikm, make_product) -> None:
    """The catalog's product admin has its own "history" field: the panel stays out of its way."""
    product = make_product(owner_ikm, status=Product.Status.PENDING)
    catalog_services.product_request_changes(product=product, actor=staff_user, reason="Foto buram.")
    html = staff_client.get(reverse("admin:catalog_product_change", args=[product.pk])).content.decode()
    assert html.count("Foto buram.") >= 1
    assert "galeri-decision-panel" not in html


def test_the_history_page_shows_decisions_above_the_edit_log(staff_client, staff_user, application) -> None:
    exhibition_services.application_waitlist(application=application, actor=staff_user)
    response = staff_client.get(reverse("admin:exhibitions_exhibitorapplication_history", args=[application.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "galeri-decisions" in html and html.index("galeri-decisions") < html.index('id="change-history"')


def test_decision_rows_label_statuses_and_owner_actions(owner_ikm, make_product, staff_user) -> None:
    product = make_product(owner_ikm, status=Product.Status.PENDING)
    Decision.objects.create(
        content_type_id=_ct(product), object_id=product.pk, actor=None, from_status="draft", to_status="pending"
    )
    catalog_services.product_approve(product=product, actor=staff_user)
    rows = decision_rows(product)
    assert [(r["from_label"], r["to_label"]) for r in rows] == [
        (str(Product.Status.PENDING.label), str(Product.Status.PUBLISHED.label)),
        (str(Product.Status.DRAFT.label), str(Product.Status.PENDING.label)),
    ]
    html = str(decision_history(product))
    assert "<table" in html and html.count("<tr>") == 3


def test_decision_history_is_a_ready_read_only_field(rf, staff_user, owner_ikm, make_product) -> None:
    """Owners add it to any ModelAdmin: ``readonly_fields = [..., decision_history]``."""

    class ProductWithLog(admin.ModelAdmin):
        fields = ["name", decision_history]
        readonly_fields = [decision_history]

    product = make_product(owner_ikm, status=Product.Status.PENDING)
    catalog_services.product_request_changes(product=product, actor=staff_user, reason="Harga belum diisi.")
    model_admin = ProductWithLog(Product, admin.AdminSite(name="test"))
    request = rf.get("/")
    request.user = staff_user
    form_class = model_admin.get_form(request, product)
    assert list(form_class.base_fields) == ["name"]
    assert decision_history.short_description == "decisions" or decision_history.short_description


def test_the_decision_log_lists_filters_and_searches(staff_client, staff_user, owner_ikm, make_product) -> None:
    for i in range(3):
        product = make_product(owner_ikm, status=Product.Status.PENDING)
        catalog_services.product_request_changes(product=product, actor=staff_user, reason=f"Alasan nomor {i}")
    url = reverse("admin:moderation_decision_changelist")
    response = staff_client.get(url)
    assert response.status_code == 200 and len(response.context["cl"].result_list) == 3
    assert len(staff_client.get(url, {"q": '"nomor 1"'}).context["cl"].result_list) == 1
    assert len(staff_client.get(url, {"to_status": "needs_changes"}).context["cl"].result_list) == 3


def test_the_decision_log_is_read_only(staff_client, staff_user, owner_ikm, make_product) -> None:
    product = make_product(owner_ikm, status=Product.Status.PENDING)
    catalog_services.product_request_changes(product=product, actor=staff_user, reason="Alasan.")
    decision = Decision.objects.get()
    assert staff_client.get(reverse("admin:moderation_decision_add")).status_code == 403
    assert staff_client.get(reverse("admin:moderation_decision_delete", args=[decision.pk])).status_code == 403
    change = reverse("admin:moderation_decision_change", args=[decision.pk])
    assert staff_client.get(change).status_code == 200  # view only
    staff_client.post(change, {"reason": "Diubah"})
    decision.refresh_from_db()
    assert decision.reason == "Alasan."


def test_the_decision_log_costs_a_fixed_number_of_queries(
    staff_client, staff_user, owner_ikm, make_product, django_assert_max_num_queries
) -> None:
    for _ in range(30):
        product = make_product(owner_ikm, status=Product.Status.PENDING)
        catalog_services.product_request_changes(product=product, actor=staff_user, reason="Alasan.")
    with django_assert_max_num_queries(12):
        assert staff_client.get(reverse("admin:moderation_decision_changelist")).status_code == 200


def _ct(obj) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk
