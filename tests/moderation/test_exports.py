"""CSV exports parsed back: BOM, columns, escaping against formula injection, streaming, selections."""

import csv
import io

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from catalog.models import Certification, Product
from ikm.models import IKM
from moderation import exports

pytestmark = pytest.mark.django_db

IKM_URL = reverse("admin:moderation-export-ikm")
PRODUCTS_URL = reverse("admin:moderation-export-products")


def _parse(response) -> tuple[str, list[dict[str, str]]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return body, list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


@pytest.fixture
def catalog(owner_ikm, other_ikm, make_product, make_certification):
    IKM.objects.filter(pk=owner_ikm.pk).update(email="halo@makijah.test", phone="+62721123456", nib="1234567890123")
    keripik = make_product(
        owner_ikm,
        name='=HYPERLINK("http://evil.test","klik")',
        price_min=25000,
        price_max=30000,
        capacity_per_month=500,
        capacity_unit="pack",
        tkdn_percent="45.50",
    )
    make_product(owner_ikm, name="-Sambal Seruit", status=Product.Status.PENDING)
    make_product(other_ikm, name="@Tapis\tEmas")
    make_certification(owner_ikm, [keripik], status=Certification.Status.VERIFIED)
    make_certification(owner_ikm, [keripik], type="pirt", number="206347101012325")  # pending: not listed
    return keripik


def test_escape_cell_neutralises_formula_starts_only() -> None:
    for dangerous in ["=1+1", "+62812", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]:
        assert exports.escape_cell(dangerous) == "'" + dangerous
    for safe in ["Keripik", "", "1+1", "a=b"]:
        assert exports.escape_cell(safe) == safe
    assert exports.escape_cell(-5) == -5


def test_the_product_export_has_the_columns_and_escapes_cells(staff_client, catalog, owner_ikm) -> None:
    response = staff_client.get("/en" + PRODUCTS_URL)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="galeri-produk-')
    _body, rows = _parse(response)
    assert len(rows) == 3
    row = rows[0]
    assert row["Product"] == '\'=HYPERLINK("http://evil.test","klik")'
    assert row["Status"] == "Published" and row["Public"] == "yes"
    assert row["Region code"] == "18.71" and row["Regency or city"] == "Kota Bandar Lampung"
    assert row["Sector"] == "Food and drink" and row["Main category"] == "Food & Drink"
    assert (row["Price from (Rp)"], row["Price up to (Rp)"]) == ("25000", "30000")
    assert (row["Capacity per month"], row["Capacity unit"]) == ("500", "pack")
    assert row["TKDN (%)"] == "45.5"
    assert row["Valid certificates"] == "Halal"  # the pending P-IRT is not listed
    assert row["Certificate numbers"].startswith("ID1871")
    assert row["WhatsApp"] == "'+6281234567890"  # text starting with + is escaped too
    assert (row["Phone"], row["Email"]) == ("'+62721123456", "halo@makijah.test")
    assert row["Public page"].endswith(f"/produk/{catalog.slug}/")
    assert row["Admin page"].endswith(f"/admin/catalog/product/{catalog.pk}/change/")
    assert [r["Product"] for r in rows[1:]] == ["'-Sambal Seruit", "'@Tapis\tEmas"]
    assert rows[1]["Public"] == "no"


def test_the_ikm_export_lists_every_ikm(staff_client, catalog, owner_ikm, other_ikm) -> None:
    _body, rows = _parse(staff_client.get("/en" + IKM_URL))
    assert [r["IKM"] for r in rows] == [owner_ikm.name, other_ikm.name]
    mine = rows[0]
    assert (mine["NIB"], mine["Phone"], mine["WhatsApp"]) == ("1234567890123", "'+62721123456", "'+6281234567890")
    assert mine["Highest TKDN (%)"] == "45.5"
    assert mine["Valid certificates"] == "Halal"
    assert (mine["Published products"], mine["All products"]) == ("1", "2")
    assert mine["Sector"] == "Food and drink" and rows[1]["Sector"] == "Textiles, clothing and leather"
    assert mine["Public page"].endswith(f"/ikm/{owner_ikm.slug}/")


def test_exports_cost_the_same_queries_for_many_rows(
    staff_client, owner_ikm, make_product, make_certification, django_assert_max_num_queries
) -> None:
    products = [make_product(owner_ikm, name=f"Produk {i}") for i in range(40)]
    make_certification(owner_ikm, products, status=Certification.Status.VERIFIED)
    with django_assert_max_num_queries(6):
        response = staff_client.get(PRODUCTS_URL)
        _body, rows = _parse(response)
    assert len(rows) == 40 and all("Halal" in r.values() for r in rows)
    with django_assert_max_num_queries(6):
        _parse(staff_client.get(IKM_URL))


def test_the_export_is_read_in_chunks(monkeypatch, staff_client, owner_ikm, make_product) -> None:
    """Rows come from .iterator(chunk_size=...): with a chunk of 2, five products take three fetches."""
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    for i in range(5):
        make_product(owner_ikm, name=f"Produk {i}")
    _body, rows = _parse(staff_client.get(PRODUCTS_URL))
    assert len(rows) == 5


def test_the_selection_actions_export_only_the_selected(staff_user, catalog, owner_ikm) -> None:
    request = RequestFactory().post("/")
    request.user = staff_user
    product_admin = admin.site._registry[Product]
    selected = Product.objects.filter(pk=catalog.pk)
    _body, rows = _parse(exports.export_products_csv(product_admin, request, selected))
    assert len(rows) == 1 and list(rows[0].values())[0] == str(catalog.pk)
    _body, rows = _parse(exports.export_ikm_csv(None, request, IKM.objects.filter(pk=owner_ikm.pk)))
    assert len(rows) == 1 and list(rows[0].values())[1] == owner_ikm.name


def test_headers_follow_the_language(staff_client, catalog) -> None:
    _body, rows = _parse(staff_client.get("/en" + PRODUCTS_URL))
    assert "Product" in rows[0] and "Regency or city" in rows[0]


def test_staff_without_the_view_permission_cannot_export(make_user, catalog) -> None:
    from django.test import Client

    clerk = make_user("clerk@lampungprov.test", is_staff=True)
    client = Client()
    client.force_login(clerk)
    assert client.get(PRODUCTS_URL).status_code == 403
    assert client.get(IKM_URL).status_code == 403
