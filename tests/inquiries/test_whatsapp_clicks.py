"""The WhatsApp buttons: counted (not for bots or repeats), then a 302 to wa.me with the product's link."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse

from inquiries import services
from inquiries.models import ContactClick

pytestmark = pytest.mark.django_db


def wa_product(product) -> str:
    return reverse("inquiries:whatsapp-product", kwargs={"slug": product.slug})


def wa_ikm(ikm) -> str:
    return reverse("inquiries:whatsapp-ikm", kwargs={"slug": ikm.slug})


def total_clicks(**filters) -> int:
    return sum(ContactClick.objects.filter(**filters).values_list("count", flat=True))


def test_product_click_is_counted_and_redirected(visitor, product, browser_headers) -> None:
    response = visitor.get(wa_product(product), **browser_headers)
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert (target.scheme, target.netloc, target.path) == ("https", "wa.me", "/6281234567890")
    assert "%20" in target.query and " " not in response["Location"]  # URL-encoded
    text = parse_qs(target.query)["text"][0]
    assert "Keripik Pisang Cokelat" in text and "Keripik Mak Ijah" in text
    assert settings.SITE_URL + product.get_absolute_url() in text
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    click = ContactClick.objects.get()
    assert (click.ikm, click.product, click.count, click.channel) == (product.ikm, product, 1, "whatsapp")


def test_english_site_message_is_english(visitor, product, browser_headers) -> None:
    response = visitor.get(f"/en/wa/produk/{product.slug}/", **browser_headers)
    text = parse_qs(urlsplit(response["Location"]).query)["text"][0]
    assert text.startswith("Hello Keripik Mak Ijah, I am interested in Keripik Pisang Cokelat")
    assert "/en/produk/keripik-pisang-cokelat/" in text


def test_ikm_click_is_counted_without_a_product(visitor, owner_ikm, browser_headers) -> None:
    response = visitor.get(wa_ikm(owner_ikm), **browser_headers)
    assert response.status_code == 302
    assert response["Location"].startswith("https://wa.me/6281234567890?text=")
    assert ContactClick.objects.get(product=None).count == 1


def test_clicks_from_different_visitors_add_up_in_one_row_per_day(visitor, product, browser_headers) -> None:
    for n in range(3):
        visitor.get(wa_product(product), REMOTE_ADDR=f"198.51.100.{n}", **browser_headers)
    assert ContactClick.objects.count() == 1
    assert total_clicks(product=product) == 3


def test_a_repeated_click_within_30_minutes_counts_once(visitor, product, browser_headers) -> None:
    for _ in range(3):
        assert visitor.get(wa_product(product), **browser_headers).status_code == 302
    assert total_clicks() == 1


@pytest.mark.parametrize(
    "user_agent",
    [
        "",
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "facebookexternalhit/1.1",
        "WhatsApp/2.23.20.0",
        "curl/8.5.0",
        "python-requests/2.32",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
    ],
)
def test_bots_are_redirected_but_not_counted(visitor, product, user_agent) -> None:
    response = visitor.get(wa_product(product), HTTP_USER_AGENT=user_agent)
    assert response.status_code == 302
    assert total_clicks() == 0


def test_head_is_not_counted(visitor, product, browser_headers) -> None:
    assert visitor.head(wa_product(product), **browser_headers).status_code == 302
    assert total_clicks() == 0


def test_headless_chrome_counts(visitor, product) -> None:
    ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0 Safari/537.36"
    visitor.get(wa_product(product), HTTP_USER_AGENT=ua)
    assert total_clicks() == 1


def test_post_is_refused(visitor, product) -> None:
    assert visitor.post(wa_product(product)).status_code == 405


def test_no_whatsapp_number_is_404(visitor, make_ikm, make_product, browser_headers) -> None:
    ikm = make_ikm(whatsapp="")
    product = make_product(ikm)
    assert visitor.get(wa_product(product), **browser_headers).status_code == 404
    assert visitor.get(wa_ikm(ikm), **browser_headers).status_code == 404
    assert total_clicks() == 0


@pytest.mark.parametrize(
    "ikm_fields, product_fields",
    [({"status": "submitted"}, {"status": "draft"}), ({"is_suspended": True}, {}), ({}, {"status": "pending"})],
)
def test_not_public_is_404(visitor, make_ikm, make_product, browser_headers, ikm_fields, product_fields) -> None:
    ikm = make_ikm(**ikm_fields)
    product = make_product(ikm, **product_fields)
    assert visitor.get(wa_product(product), **browser_headers).status_code == 404
    if ikm_fields:
        assert visitor.get(wa_ikm(ikm), **browser_headers).status_code == 404
    assert total_clicks() == 0


def test_the_counter_survives_a_race_on_the_first_click(product, monkeypatch) -> None:
    """Two first clicks of the day: the loser of the INSERT race adds its click to the winner's row."""
    day = dt.date(2026, 6, 20)
    real_filter = ContactClick.objects.filter
    first = {"call": True}

    def filter_racing_once(*args, **kwargs):
        if first["call"]:
            first["call"] = False
            # Between our UPDATE (which finds no row) and our INSERT, another request inserts today's row.
            ContactClick.objects.create(ikm=product.ikm, product=product, day=day, count=1)
            return real_filter(pk=-1)
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(ContactClick.objects, "filter", filter_racing_once)
    services.contact_click_record(ikm=product.ikm, product=product, day=day)
    monkeypatch.undo()
    assert list(ContactClick.objects.values_list("count", flat=True)) == [2]


def test_whatsapp_button_tag(product, make_ikm, make_product) -> None:
    template = Template("{% load inquiries_tags %}{% whatsapp_button product=product %}")
    html = template.render(Context({"product": product}))
    assert f'href="{wa_product(product)}"' in html and 'rel="nofollow"' in html
    without = make_product(make_ikm(whatsapp=""))
    assert template.render(Context({"product": without})).strip() == ""
    ikm_html = Template("{% load inquiries_tags %}{% whatsapp_button ikm=ikm %}").render(Context({"ikm": product.ikm}))
    assert f'href="{wa_ikm(product.ikm)}"' in ikm_html
