"""The inquiry form: who may be asked, what is accepted, and how bad input, bots and floods are answered."""

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from inquiries.models import Inquiry

pytestmark = pytest.mark.django_db


def ask_url(product) -> str:
    return reverse("inquiries:ask-product", kwargs={"slug": product.slug})


def test_form_page_renders_for_a_published_product(visitor, product) -> None:
    response = visitor.get(ask_url(product))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Keripik Pisang Cokelat" in html
    assert 'name="csrfmiddlewaretoken"' in html
    for field in ["name", "email", "phone", "organization", "buyer_type", "quantity", "message"]:
        assert f'name="{field}"' in html
    # The honeypot: labelled, hidden from people and screen readers, out of the tab order.
    assert 'class="visually-hidden" aria-hidden="true"' in html
    assert 'name="fax_number"' in html and 'tabindex="-1"' in html
    with translation.override("id"):
        assert gettext("Leave this field empty") in html


def test_form_page_for_an_ikm(visitor, owner_ikm) -> None:
    response = visitor.get(reverse("inquiries:ask-ikm", kwargs={"slug": owner_ikm.slug}))
    assert response.status_code == 200
    assert owner_ikm.name in response.content.decode()


@pytest.mark.parametrize(
    "ikm_fields, product_fields",
    [
        ({"status": "submitted"}, {"status": "draft"}),
        ({"is_suspended": True}, {}),
        ({}, {"status": "pending"}),
        ({}, {"status": "archived"}),
    ],
)
def test_not_public_products_answer_404(visitor, make_ikm, make_product, buyer_data, ikm_fields, product_fields):
    ikm = make_ikm(**ikm_fields)
    product = make_product(ikm, **product_fields)
    assert visitor.get(ask_url(product)).status_code == 404
    assert visitor.post(ask_url(product), buyer_data).status_code == 404
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize("fields", [{"status": "draft"}, {"status": "needs_changes", "status_reason": "x"}])
def test_not_public_ikm_answers_404(visitor, make_ikm, buyer_data, fields) -> None:
    ikm = make_ikm(**fields)
    url = reverse("inquiries:ask-ikm", kwargs={"slug": ikm.slug})
    assert visitor.get(url).status_code == 404
    assert visitor.post(url, buyer_data).status_code == 404


def test_valid_inquiry_is_stored_and_the_buyer_thanked(
    visitor, product, buyer_data, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(ask_url(product), buyer_data)
    assert response.status_code == 302
    assert response["Location"] == reverse("inquiries:sent-product", kwargs={"slug": product.slug})
    inquiry = Inquiry.objects.get()
    assert inquiry.ikm == product.ikm and inquiry.product == product
    assert inquiry.phone == "+6281234567891"  # normalised to E.164
    assert inquiry.buyer_type == "government" and inquiry.quantity == 200
    assert inquiry.status == Inquiry.Status.NEW
    assert inquiry.language == "id"
    assert len(inquiry.ip_hash) == 64 and "127.0.0.1" not in inquiry.ip_hash
    thanks = visitor.get(response["Location"])
    assert thanks.status_code == 200
    assert "Keripik Mak Ijah" in thanks.content.decode()


def test_inquiry_about_an_ikm_has_no_product(visitor, owner_ikm, buyer_data) -> None:
    response = visitor.post(reverse("inquiries:ask-ikm", kwargs={"slug": owner_ikm.slug}), buyer_data)
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.ikm == owner_ikm and inquiry.product is None


def test_english_site_records_english(visitor, product, buyer_data) -> None:
    response = visitor.post(f"/en/tanya/produk/{product.slug}/", buyer_data)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/tanya/")
    assert Inquiry.objects.get().language == "en"


def test_only_the_required_fields(visitor, product) -> None:
    data = {"name": "Budi", "email": "budi@example.test", "buyer_type": "individual", "message": "Masih ada?"}
    assert visitor.post(ask_url(product), data).status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.phone == "" and inquiry.organization == "" and inquiry.quantity is None


def test_windows_line_ends_count_once(visitor, product, buyer_data) -> None:
    buyer_data["message"] = ("a" * 99 + "\r\n") * 20  # 2,000 characters with single line ends
    assert visitor.post(ask_url(product), buyer_data).status_code == 302
    assert len(Inquiry.objects.get().message) <= 2000


BAD_INPUT = [
    ("name", "", "name"),
    ("name", "Promo https://spam.example.com", "name"),
    ("email", "bukan-email", "email"),
    ("email", "", "email"),
    ("phone", "+1 202 555 0143", "phone"),
    ("phone", "0812-CALL-NOW", "phone"),
    ("phone", "12345", "phone"),
    ("buyer_type", "alien", "buyer_type"),
    ("quantity", "0", "quantity"),
    ("quantity", "-5", "quantity"),
    ("quantity", "banyak", "quantity"),
    ("quantity", "99999999999999999999", "quantity"),
    ("message", "", "message"),
    ("message", "   ", "message"),
    ("message", "x" * 2001, "message"),
    ("message", "murah http://a.example.com http://b.example.com www.c.example.com", "message"),
    ("message", "lihat\x00ini", "message"),
    ("organization", "o" * 151, "organization"),
]


@pytest.mark.parametrize("field, value, error_field", BAD_INPUT)
def test_bad_input_is_refused_with_typed_values_kept(visitor, product, buyer_data, field, value, error_field) -> None:
    buyer_data[field] = value
    response = visitor.post(ask_url(product), buyer_data)
    assert response.status_code == 200
    form = response.context["form"]
    assert error_field in form.errors
    html = response.content.decode()
    # The error summary at the top, and the error next to its field.
    assert 'class="error-summary"' in html
    assert f'id="inquiry_{error_field}_error"' in html
    # Everything else the buyer typed is still in the form.
    for other, typed in buyer_data.items():
        if other not in (field, "buyer_type"):
            assert typed in html, other
    assert not Inquiry.objects.exists()
    assert mail.outbox == []


def test_two_links_are_fine(visitor, product, buyer_data) -> None:
    buyer_data["message"] = "Seperti https://tokopedia.com/a dan shopee.co.id/b? Email saya budi@gmail.com."
    assert visitor.post(ask_url(product), buyer_data).status_code == 302


def test_link_limit_message_is_clear(visitor, product, buyer_data) -> None:
    buyer_data["message"] = "http://a.example.com http://b.example.com http://c.example.com"
    response = visitor.post(f"/en/tanya/produk/{product.slug}/", buyer_data)
    [error] = response.context["form"].errors.as_data()["message"]
    assert error.code == "too_many_links"
    assert "too many web addresses: at most 2 are allowed" in response.content.decode()


def test_missing_fields_never_500(visitor, product) -> None:
    for data in [{}, {"name": ["a", "b"]}, {"quantity": "1e9999"}, {"buyer_type": ""}]:
        assert visitor.post(ask_url(product), data).status_code == 200


def test_get_does_not_store(visitor, product, buyer_data) -> None:
    assert visitor.get(ask_url(product), buyer_data).status_code == 200
    assert not Inquiry.objects.exists()


def test_other_methods_are_refused(visitor, product) -> None:
    assert visitor.put(ask_url(product)).status_code == 405
    assert visitor.delete(ask_url(product)).status_code == 405


def test_csrf_is_required(product, buyer_data) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post(ask_url(product), buyer_data).status_code == 403
    assert not Inquiry.objects.exists()


def test_honeypot_pretends_success_and_stores_nothing(visitor, product, buyer_data, django_capture_on_commit_callbacks):
    buyer_data["fax_number"] = "http://spam.example.com"
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(ask_url(product), buyer_data)
    assert response.status_code == 302
    assert response["Location"] == reverse("inquiries:sent-product", kwargs={"slug": product.slug})
    assert not Inquiry.objects.exists()
    assert mail.outbox == []


# --- Rate limits ---------------------------------------------------------------------------------


def test_sixth_inquiry_from_one_address_in_an_hour_is_refused(visitor, product, buyer_data) -> None:
    for n in range(5):
        buyer_data["email"] = f"pembeli{n}@example.test"
        assert visitor.post(ask_url(product), buyer_data).status_code == 302
    buyer_data["email"] = "keenam@example.test"
    response = visitor.post(ask_url(product), buyer_data)
    assert response.status_code == 429
    html = response.content.decode()
    assert response.context["form"].non_field_errors()
    assert 'class="error-summary"' in html
    assert "keenam@example.test" in html and buyer_data["message"] in html  # typed values kept
    assert Inquiry.objects.count() == 5
    # Another address is not affected.
    other = visitor.post(ask_url(product), buyer_data, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302


def test_sixth_inquiry_from_one_email_in_an_hour_is_refused(visitor, product, buyer_data) -> None:
    for n in range(5):
        assert visitor.post(ask_url(product), buyer_data, REMOTE_ADDR=f"198.51.100.{n + 1}").status_code == 302
    buyer_data["email"] = buyer_data["email"].upper()  # the same address, typed differently
    response = visitor.post(ask_url(product), buyer_data, REMOTE_ADDR="198.51.100.99")
    assert response.status_code == 429
    assert Inquiry.objects.count() == 5


def test_the_limit_resets_in_the_next_hour(visitor, product, buyer_data, monkeypatch) -> None:
    import time

    from inquiries import ratelimit

    start = time.time()
    monkeypatch.setattr(ratelimit.time, "time", lambda: start)
    for n in range(5):
        buyer_data["email"] = f"a{n}@example.test"
        visitor.post(ask_url(product), buyer_data)
    assert visitor.post(ask_url(product), buyer_data).status_code == 429
    monkeypatch.setattr(ratelimit.time, "time", lambda: start + 3600)
    assert visitor.post(ask_url(product), buyer_data).status_code == 302


@override_settings(INQUIRY_TRUSTED_PROXIES=1)
def test_behind_a_proxy_the_forwarded_address_is_limited(visitor, product, buyer_data) -> None:
    for n in range(5):
        buyer_data["email"] = f"b{n}@example.test"
        response = visitor.post(ask_url(product), buyer_data, HTTP_X_FORWARDED_FOR=f"evil, 192.0.2.{n}")
        assert response.status_code == 302
    # Same proxy address (REMOTE_ADDR) for all, but each client counts on its own.
    assert Inquiry.objects.values("ip_hash").distinct().count() == 5


def test_the_ip_hash_is_keyed(visitor, product, buyer_data) -> None:
    import hashlib

    visitor.post(ask_url(product), buyer_data)
    assert Inquiry.objects.get().ip_hash != hashlib.sha256(b"127.0.0.1").hexdigest()


# --- The form placed on other pages --------------------------------------------------------------


def test_inquiry_form_tag_renders_the_form(rf, product) -> None:
    from django.template import Context, Template

    request = rf.get("/")
    html = Template("{% load inquiries_tags %}{% inquiry_form product=product %}").render(
        Context({"product": product, "request": request, "csrf_token": "tok"})
    )
    assert f'action="{ask_url(product)}"' in html
    assert 'name="message"' in html and 'value="tok"' in html


def test_inquiry_form_tag_says_why_on_a_page_that_is_not_public(make_ikm) -> None:
    from django.template import Context, Template

    ikm = make_ikm(status="draft")
    html = Template("{% load inquiries_tags %}{% inquiry_form ikm=ikm %}").render(Context({"ikm": ikm}))
    assert "<form" not in html


def test_product_must_belong_to_the_ikm(product, other_ikm) -> None:
    from django.core.exceptions import ValidationError

    inquiry = Inquiry(ikm=other_ikm, product=product, name="A", email="a@example.test", message="?")
    with pytest.raises(ValidationError) as exc:
        inquiry.full_clean()
    assert "product" in exc.value.message_dict


def test_database_refuses_impossible_values(owner_ikm) -> None:
    from django.db import IntegrityError, transaction

    base = {"ikm": owner_ikm, "name": "A", "email": "a@example.test", "message": "?"}
    for bad in [{"quantity": 0}, {"status": "lost"}, {"buyer_type": "alien"}, {"message": ""}, {"phone": "0812"}]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Inquiry.objects.create(**{**base, **bad})


def test_the_product_page_carries_the_form(visitor, product) -> None:
    html = visitor.get(product.get_absolute_url()).content.decode()
    assert f'action="{ask_url(product)}"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_the_remembered_empty_form_follows_language_and_unit(visitor, product, owner_ikm, make_product) -> None:
    """The empty form's fields are rendered once per process, per language and product unit, never mixed up."""
    kilo = make_product(owner_ikm, name="Kopi Bubuk", slug="kopi-bubuk", unit="kg")
    for _ in range(2):  # the second round is served from the remembered fields
        pack_id = visitor.get(f"/produk/{product.slug}/").content.decode()
        kilo_id = visitor.get(f"/produk/{kilo.slug}/").content.decode()
        kilo_en = visitor.get(f"/en/produk/{kilo.slug}/").content.decode()
        ikm_en = visitor.get(f"/en/ikm/{owner_ikm.slug}/").content.decode()
        assert "(dalam pak)." in pack_id and "(dalam kg)." in kilo_id
        assert "(in kg)." in kilo_en and "Your question" in kilo_en and "Pertanyaan Anda" not in kilo_en
        assert "How many you need, if you know." in ikm_en
        for html in (pack_id, kilo_id, kilo_en, ikm_en):
            assert html.count('name="csrfmiddlewaretoken"') == html.count('class="inquiry-form"') == 1
