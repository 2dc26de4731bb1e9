"""An owner adds a product with two photos and a halal certificate, submits it; staff approve; it is public."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, reverse
from PIL import Image
from playwright.sync_api import Page, expect

from catalog import services
from catalog.models import Certification, Product

pytestmark = pytest.mark.django_db(transaction=True)

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _jpeg(path: Path, colour: tuple[int, int, int]) -> Path:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), colour).save(buffer, format="JPEG", quality=85)
    path.write_bytes(buffer.getvalue())
    return path


def _log_in(page: Page, live_server, user) -> None:
    """Reuse a session made by the test client: the login page has its own browser test."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_owner_adds_a_product_with_photos_and_a_certificate_and_staff_publish_it(
    live_server, page: Page, owner, owner_ikm, staff_user, tmp_path: Path, csp_violations: list[str]
) -> None:
    _log_in(page, live_server, owner)
    base = live_server.url + "/en"

    # 1. The product, priced the way Indonesians type it.
    page.goto(base + "/dasbor/produk/baru/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a product")
    page.get_by_label("Product name").fill("Keripik Pisang Cokelat Lampung")
    page.get_by_label("Category").select_option(label="Chips & Snacks")
    page.get_by_label("Short description").fill("Renyah, manis, dari pisang kepok pilihan.")
    page.get_by_label("Fixed price").check()
    page.get_by_label("Price or lowest price (Rp)").fill("25.000")
    page.get_by_label(re.compile(r"^Unit")).select_option("pack")
    page.get_by_role("button", name="Save and add photos").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Photos of Keripik Pisang Cokelat Lampung")
    product = Product.objects.get(ikm=owner_ikm)
    assert product.price_min == 25000 and product.status == Product.Status.DRAFT

    # 2. Two photos in one go; the first is the cover.
    page.get_by_label("Choose photos").set_input_files(
        [_jpeg(tmp_path / "depan.jpg", (200, 140, 40)), _jpeg(tmp_path / "kemasan.jpg", (120, 60, 20))]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".owner-photo")).to_have_count(2)
    expect(page.locator(".owner-photo img").first).to_have_attribute("alt", "Keripik Pisang Cokelat Lampung")
    page.get_by_role("button", name="Move up (photo 2)").click()
    expect(page.locator(".owner-photo")).to_have_count(2)

    # 3. A halal certificate covering it, with its scan.
    (tmp_path / "halal.pdf").write_bytes(PDF)
    page.goto(base + "/dasbor/sertifikat/baru/")
    page.get_by_label("Type").select_option("halal")
    page.get_by_label("Number").fill("ID 3311 0018 5177 10724")
    page.get_by_label("Scan of the certificate").set_input_files(tmp_path / "halal.pdf")
    page.get_by_label("Keripik Pisang Cokelat Lampung").check()
    page.get_by_role("button", name="Save certificate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My certificates")
    expect(page.locator(".owner-cert-number")).to_have_text("ID33110018517710724")
    certification = Certification.objects.get(ikm=owner_ikm)
    assert list(certification.products.all()) == [product]

    # 4. Send the product for review.
    page.goto(base + f"/dasbor/produk/{product.pk}/ubah/")
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator(".owner-status-panel")).to_contain_text("Waiting for review")
    product.refresh_from_db()
    assert product.status == Product.Status.PENDING

    # 5. Staff approve both; the owner's list shows it published.
    services.product_approve(product=product, actor=staff_user)
    services.certification_verify(certification=certification, actor=staff_user)
    assert Product.objects.published().filter(pk=product.pk).exists()
    assert Certification.objects.valid().filter(pk=certification.pk, products=product).exists()
    page.goto(base + "/dasbor/produk/")
    expect(page.locator(f"#product-{product.pk}")).to_contain_text("Published")

    # 6. The public page answers (its content is the public catalogue's own browser test). It links the
    # IKM page, so it is checked once the IKM app serves that page.
    if _ikm_page_exists(owner_ikm):
        response = page.goto(live_server.url + f"/produk/{product.slug}/")
        assert response is not None and response.status == 200
        expect(page.get_by_role("heading", level=1)).to_contain_text("Keripik Pisang Cokelat Lampung")
    assert csp_violations == []


def _ikm_page_exists(ikm) -> bool:
    try:
        reverse("ikm:ikm-detail", kwargs={"slug": ikm.slug})
    except NoReverseMatch:
        return False
    return True
