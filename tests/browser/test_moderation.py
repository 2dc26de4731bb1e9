"""A moderator logs in to the admin, opens "new products to review" from the index and approves one: it goes public."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from playwright.sync_api import Browser, expect

from catalog.models import Product
from moderation import services

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "moderasi-lampung-2026"


def test_a_moderator_approves_a_pending_product_from_the_queue(
    live_server, browser: Browser, owner_ikm, make_product, csp_violations
) -> None:
    # A flush by an earlier transactional test recreated the content types under new ids.
    ContentType.objects.clear_cache()
    services.moderator_create(email="moderator@lampungprov.test", full_name="Sari Moderator", password=PASSWORD)
    product = make_product(
        owner_ikm, name="Lempok Durian Liwa", status=Product.Status.PENDING, submitted_at=timezone.now()
    )
    base = live_server.url
    page = browser.new_context(base_url=base).new_page()
    page.on("console", lambda msg: csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None)

    # The public does not see the product yet.
    assert page.goto(product.get_absolute_url()).status == 404

    # Log in through the admin; it may hand over to allauth's login page.
    page.goto("/admin/")
    if "/akun/login/" in page.url:
        page.locator("input[name=login]").fill("moderator@lampungprov.test")
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form").first.locator("button[type=submit]").click()
    else:
        page.locator("input[name=username]").fill("moderator@lampungprov.test")
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("input[type=submit]").click()
    expect(page).to_have_url(base + "/admin/")

    # The index shows the queue with its count; its link opens the filtered list.
    queue = page.locator("#queue-products-new")
    expect(queue.locator(".galeri-queue-count")).to_have_text("1")
    queue.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/admin/catalog/product/\?.*queue=new"))
    expect(page.get_by_role("link", name="Lempok Durian Liwa")).to_be_visible()

    # Approve it with the catalog admin's action.
    page.locator(f'input[name="_selected_action"][value="{product.pk}"]').check()
    page.locator('select[name="action"]').select_option("approve")
    page.locator('button[name="index"]').click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    product.refresh_from_db()
    assert product.status == Product.Status.PUBLISHED
    visitor = browser.new_context(base_url=base).new_page()
    assert visitor.goto(product.get_absolute_url()).status == 200
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Lempok Durian Liwa")

    # Back on the index, the queue is empty.
    page.goto("/admin/")
    expect(page.locator("#queue-products-new .galeri-queue-count")).to_have_text("0")
    assert csp_violations == []
