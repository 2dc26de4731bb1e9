"""Reports from the public: the form (honeypot, rate limit, bad input), the link tag, and staff resolving them."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.core import mail
from django.template import Context, Template
from django.urls import reverse

from catalog.models import Product
from moderation.models import Decision, Report

pytestmark = pytest.mark.django_db

REPORTS = reverse("admin:moderation_report_changelist")


@pytest.fixture
def product(owner_ikm, make_product):
    return make_product(owner_ikm, name="Keripik Pisang Cokelat", slug="keripik-pisang-cokelat")


@pytest.fixture
def report_data() -> dict[str, str]:
    return {
        "reason": "fake_certificate",
        "details": "Nomor halal ID1871… tidak ada di situs BPJPH.",
        "contact_email": "warga@example.test",
    }


def _url(product) -> str:
    return reverse("moderation:report-product", kwargs={"slug": product.slug})


# --- The public form -----------------------------------------------------------------------------


def test_the_form_page_shows_labelled_fields_and_a_hidden_honeypot(visitor, product) -> None:
    response = visitor.get(_url(product))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>" in html and product.name in html
    assert 'for="report_details"' in html and 'id="report_details"' in html
    assert 'name="fax_number"' in html and 'tabindex="-1"' in html
    assert 'name="robots" content="noindex"' in html


def test_a_visitor_reports_a_product(visitor, product, report_data) -> None:
    response = visitor.post(_url(product), report_data, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    assert response["Location"] == product.get_absolute_url()
    report = Report.objects.get()
    assert report.product == product and report.ikm is None
    assert report.reason == "fake_certificate" and report.status == Report.Status.OPEN
    assert report.contact_email == "warga@example.test"
    assert len(report.ip_hash) == 64 and "203.0.113.7" not in report.ip_hash
    [message] = list(get_messages(response.wsgi_request))
    assert message.level_tag == "success"


def test_a_visitor_reports_an_ikm(visitor, owner_ikm, report_data) -> None:
    response = visitor.post(reverse("moderation:report-ikm", kwargs={"slug": owner_ikm.slug}), report_data)
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.ikm == owner_ikm and report.product is None
    assert visitor.get(reverse("moderation:report-ikm", kwargs={"slug": owner_ikm.slug})).status_code == 200


@pytest.mark.parametrize("status", [Product.Status.PENDING, Product.Status.DRAFT, Product.Status.NEEDS_CHANGES])
def test_only_public_products_can_be_reported(visitor, owner_ikm, make_product, report_data, status) -> None:
    hidden = make_product(owner_ikm, status=status, status_reason="Foto kurang jelas.")
    assert visitor.get(_url(hidden)).status_code == 404
    assert visitor.post(_url(hidden), report_data).status_code == 404
    assert not Report.objects.exists()


def test_a_suspended_ikm_cannot_be_reported(visitor, make_ikm, report_data) -> None:
    suspended = make_ikm(is_suspended=True)
    assert visitor.get(reverse("moderation:report-ikm", kwargs={"slug": suspended.slug})).status_code == 404


def test_the_honeypot_pretends_success_and_stores_nothing(visitor, product, report_data) -> None:
    response = visitor.post(_url(product), {**report_data, "fax_number": "+1 555 0100"})
    assert response.status_code == 302
    assert not Report.objects.exists()


def test_bad_input_is_explained_next_to_the_field_and_kept(visitor, product) -> None:
    response = visitor.post(_url(product), {"reason": "rumours", "details": "", "contact_email": "not-an-address"})
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"reason", "details", "contact_email"}
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'value="not-an-address"' in html
    assert not Report.objects.exists()


def test_details_longer_than_2000_characters_are_refused(visitor, product, report_data) -> None:
    response = visitor.post(_url(product), {**report_data, "details": "x" * 2001})
    assert response.status_code == 400 and "details" in response.context["form"].errors


def test_an_address_may_send_five_reports_an_hour(visitor, product, report_data) -> None:
    for _ in range(5):
        assert visitor.post(_url(product), report_data, REMOTE_ADDR="198.51.100.9").status_code == 302
    response = visitor.post(_url(product), {**report_data, "details": "Keenam"}, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 429
    assert "Keenam" in response.content.decode()
    assert Report.objects.count() == 5
    # Another address is not affected.
    assert visitor.post(_url(product), report_data, REMOTE_ADDR="198.51.100.10").status_code == 302


def test_the_report_link_shows_on_public_pages_only(owner_ikm, make_product) -> None:
    template = Template("{% load moderation_tags %}{% report_link product=product %}|{% report_link ikm=ikm %}")
    public = make_product(owner_ikm, slug="tampil")
    html = template.render(Context({"product": public, "ikm": owner_ikm}))
    assert 'href="/laporkan/produk/tampil/"' in html and f'href="/laporkan/ikm/{owner_ikm.slug}/"' in html
    assert 'rel="nofollow"' in html
    hidden = make_product(owner_ikm, status=Product.Status.DRAFT)
    owner_ikm.is_suspended = True
    assert "href" not in template.render(Context({"product": hidden, "ikm": owner_ikm}))


# --- Staff resolve them --------------------------------------------------------------------------


def test_staff_resolve_a_report_with_a_note(staff_client, staff_user, product, make_report) -> None:
    report = make_report(product=product)
    response = staff_client.post(
        REPORTS, {"action": "resolve_reports", ACTION_CHECKBOX_NAME: [report.pk], "apply": "1", "reason": "Dicek."}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED and report.resolution_note == "Dicek."
    assert report.resolved_by == staff_user and report.resolved_at is not None
    decision = Decision.objects.for_object(report).get()
    assert (decision.from_status, decision.to_status, decision.reason) == ("open", "resolved", "Dicek.")
    product.refresh_from_db()
    assert product.status == Product.Status.PUBLISHED  # resolving alone leaves the product as it is


def test_resolve_and_unpublish_sends_the_product_back_with_the_note(
    staff_client, product, owner, make_report, django_capture_on_commit_callbacks
) -> None:
    report = make_report(product=product, reason=Report.Reason.PROHIBITED_PRODUCT)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            REPORTS,
            {
                "action": "resolve_and_unpublish",
                ACTION_CHECKBOX_NAME: [report.pk],
                "apply": "1",
                "reason": "Produk ini mengandung bahan terlarang.",
            },
        )
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.status == Product.Status.NEEDS_CHANGES
    assert product.status_reason == "Produk ini mengandung bahan terlarang."
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED
    [message] = mail.outbox
    assert message.to == [owner.email] and "Produk ini mengandung bahan terlarang." in message.body
    assert reverse("catalog:product-detail", kwargs={"slug": product.slug})
    assert staff_client.get(product.get_absolute_url()).status_code in (200, 404)  # staff may preview
    from django.test import Client

    assert Client().get(product.get_absolute_url()).status_code == 404


def test_resolve_and_unpublish_suspends_a_reported_ikm(
    staff_client, owner_ikm, product, make_report, django_capture_on_commit_callbacks
) -> None:
    report = make_report(ikm=owner_ikm)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            REPORTS,
            {
                "action": "resolve_and_unpublish",
                ACTION_CHECKBOX_NAME: [report.pk],
                "apply": "1",
                "reason": "Usaha ini tidak ada.",
            },
        )
    owner_ikm.refresh_from_db()
    assert owner_ikm.is_suspended and owner_ikm.suspended_reason == "Usaha ini tidak ada."
    assert not Product.objects.published().filter(pk=product.pk).exists()


def test_no_decision_without_a_note(staff_client, product, make_report) -> None:
    report = make_report(product=product)
    page = staff_client.post(REPORTS, {"action": "dismiss_reports", ACTION_CHECKBOX_NAME: [report.pk]})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<textarea" in html and str(report) in html
    assert f'name="{ACTION_CHECKBOX_NAME}" value="{report.pk}"' in html
    assert 'name="action" value="dismiss_reports"' in html and "csrfmiddlewaretoken" in html
    response = staff_client.post(
        REPORTS, {"action": "dismiss_reports", ACTION_CHECKBOX_NAME: [report.pk], "apply": "1", "reason": "   "}
    )
    assert response.status_code == 200
    assert 'class="errornote"' in response.content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.OPEN
    assert not Decision.objects.exists()


def test_a_bulk_dismissal_decides_each_and_names_the_refused(staff_client, product, owner_ikm, make_report) -> None:
    from django.utils import timezone

    reports = [make_report(product=product) for _ in range(3)]
    closed = make_report(
        ikm=owner_ikm, status=Report.Status.RESOLVED, resolution_note="Sudah.", resolved_at=timezone.now()
    )
    response = staff_client.post(
        REPORTS,
        {
            "action": "dismiss_reports",
            ACTION_CHECKBOX_NAME: [r.pk for r in reports] + [closed.pk],
            "apply": "1",
            "reason": "Informasi sudah benar.",
        },
        follow=True,
    )
    statuses = set(Report.objects.filter(pk__in=[r.pk for r in reports]).values_list("status", flat=True))
    assert statuses == {Report.Status.DISMISSED}
    closed.refresh_from_db()
    assert closed.status == Report.Status.RESOLVED
    texts = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert ("success", "3 reports dismissed.") in texts or any(level == "success" for level, _ in texts)
    assert any(level == "warning" and str(closed) in text for level, text in texts)
    assert Decision.objects.count() == 3


def test_reports_cannot_be_added_or_deleted_in_the_admin(staff_client, product, make_report) -> None:
    report = make_report(product=product)
    assert staff_client.get(reverse("admin:moderation_report_add")).status_code == 403
    assert staff_client.get(reverse("admin:moderation_report_delete", args=[report.pk])).status_code == 403
    response = staff_client.get(reverse("admin:moderation_report_change", args=[report.pk]))
    assert response.status_code == 200
    assert report.details in response.content.decode()


def test_staff_filter_reports_by_what_was_reported(staff_client, product, owner_ikm, make_report) -> None:
    make_report(product=product)
    make_report(ikm=owner_ikm)
    on_products = staff_client.get(REPORTS, {"target": "product"}).context["cl"].result_list
    on_ikm = staff_client.get(REPORTS, {"target": "ikm"}).context["cl"].result_list
    assert [r.product for r in on_products] == [product]
    assert [r.ikm for r in on_ikm] == [owner_ikm]
