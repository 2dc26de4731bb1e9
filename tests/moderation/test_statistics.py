"""The statistics page: figures checked against known data, at most 15 queries, accessible SVG charts."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import Certification, Product
from ikm.models import IKM
from inquiries.models import ContactClick, Inquiry
from moderation import statistics

pytestmark = pytest.mark.django_db

URL = reverse("admin:moderation-statistics")


@pytest.fixture
def known(owner_ikm, other_ikm, make_ikm, make_product, make_certification):
    """Public IKM: Keripik Mak Ijah (pangan, 18.71), Tapis Sai Bumi (sandang, 18.71), Kopi Liwa (pangan, 18.04).
    Not public: one submitted (18.04), one suspended (18.72)."""
    kopi = make_ikm(name="Kopi Liwa", slug="kopi-liwa", region_id="18.04")
    make_ikm(name="Baru Daftar", slug="baru-daftar", region_id="18.04", status=IKM.Status.SUBMITTED)
    suspended = make_ikm(name="Ditangguhkan", slug="ditangguhkan", region_id="18.72", is_suspended=True)
    keripik = make_product(owner_ikm, name="Keripik", view_count=50, tkdn_percent=40)
    sambal = make_product(owner_ikm, name="Sambal", view_count=10)
    make_product(owner_ikm, name="Menunggu", status=Product.Status.PENDING)
    tapis = make_product(other_ikm, name="Tapis", view_count=80, category=_category("kain-tapis"))
    kopi_bubuk = make_product(kopi, name="Kopi Bubuk", view_count=5, category=_category("kopi"))
    make_product(suspended, name="Tersembunyi", view_count=999)
    make_certification(owner_ikm, [keripik], status=Certification.Status.VERIFIED)  # halal, valid
    make_certification(
        owner_ikm,
        [sambal],
        status=Certification.Status.VERIFIED,
        expires_on=timezone.localdate() - dt.timedelta(days=1),
    )  # halal, expired: does not count
    make_certification(kopi, [kopi_bubuk], type="pirt", number="206347101012325", status=Certification.Status.VERIFIED)
    make_certification(kopi, [kopi_bubuk])  # halal, pending: does not count
    make_certification(other_ikm, [tapis], type="tkdn", number="TKDN-001", status=Certification.Status.VERIFIED)
    Inquiry.objects.create(
        ikm=owner_ikm, product=keripik, name="A", email="a@x.test", message="?", buyer_type="government"
    )
    Inquiry.objects.create(ikm=owner_ikm, name="B", email="b@x.test", message="?")
    Inquiry.objects.create(ikm=owner_ikm, name="S", email="s@x.test", message="?", status="spam")
    ContactClick.objects.create(ikm=other_ikm, product=tapis, day=timezone.localdate(), count=7)
    ContactClick.objects.create(ikm=owner_ikm, product=keripik, day=timezone.localdate(), count=3)
    return {"keripik": keripik, "tapis": tapis}


def _category(slug: str):
    from catalog.models import Category

    return Category.objects.get(slug=slug)


def test_the_figures_match_the_known_data(known) -> None:
    stats = statistics.compute()
    data = stats.data
    assert data["ikm_registered"] == 5 and data["ikm_public"] == 3
    assert data["ikm_by_region"]["18.71"] == {"registered": 2, "public": 2}
    assert data["ikm_by_region"]["18.04"] == {"registered": 2, "public": 1}
    assert data["ikm_by_region"]["18.72"] == {"registered": 1, "public": 0}
    assert data["ikm_by_sector"]["pangan"] == {"registered": 4, "public": 2}
    assert data["ikm_by_sector"]["sandang"] == {"registered": 1, "public": 1}
    assert data["products_by_status"]["published"] == 5 and data["products_by_status"]["pending"] == 1
    assert data["products_public"] == 4 and data["products_total"] == 6
    assert data["papers"] == {"total": 4, "halal": 1, "izin": 1, "tkdn": 1, "food": 3, "food_halal": 1}
    assert data["ikm_papers"] == {"total": 3, "tkdn_products": 1, "tkdn_certificate": 1}
    this_month = timezone.localdate().replace(day=1)
    assert data["new_ikm"][this_month] == 5 and data["new_products"][this_month] == 6
    assert data["inquiries"][this_month] == 2  # spam excluded
    assert data["inquiries_by_buyer_type"] == {"individual": 1, "business": 0, "government": 1}
    assert data["whatsapp_clicks"][this_month] == 10
    assert [p.name for p in stats.most_viewed] == ["Tapis", "Keripik", "Sambal", "Kopi Bubuk"]
    assert [row["product__name"] for row in stats.most_contacted] == ["Tapis", "Keripik"]
    food = _category("makanan-minuman").pk
    fabrics = _category("kain-busana").pk
    # Food: keripik, sambal and kopi public; "Menunggu" pending; the suspended IKM's product is not public.
    assert data["products_by_category"][food] == {"published": 4, "pending": 1, "public": 3}
    assert data["products_by_category"][fabrics] == {"published": 1, "public": 1}


def test_the_shares_chart_reads_in_percent(known) -> None:
    chart = statistics.compute().chart("papers")
    assert chart.bars[0].display.startswith("25") and chart.bars[0].display.endswith("%")
    assert chart.table_rows[0][1:3] == ["1", "4"]


def test_the_page_costs_at_most_15_queries(staff_client, known, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(15 + 3):  # + session, user and the admin's own sidebar checks
        response = staff_client.get(URL)
    assert response.status_code == 200


def test_the_figures_cost_14_queries_whatever_the_data(known, make_product, owner_ikm, django_assert_num_queries):
    with django_assert_num_queries(14):
        statistics.compute()
    for i in range(20):
        make_product(owner_ikm, name=f"Lagi {i}", view_count=i)
    with django_assert_num_queries(14):
        statistics.compute()


def test_the_charts_are_accessible_svg_with_their_numbers(staff_client, known) -> None:
    html = staff_client.get(URL).content.decode()
    svgs = re.findall(r"<svg [^>]*>", html)
    charts = [svg for svg in svgs if "galeri-svg" in svg]
    assert len(charts) >= 10
    for svg in charts:
        assert 'role="img"' in svg
        ids = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
        for element_id in ids:
            assert f'id="{element_id}"' in html
    assert html.count('class="galeri-chart-data"') == len(charts)
    assert "style=" not in html.split('id="content-main"')[1].split("</main>")[0]
    assert "<script>" not in html
    assert "Tapis" in html and "Kota Bandar Lampung" in html


def test_the_page_works_in_english(staff_client, known) -> None:
    response = staff_client.get("/en" + URL)
    assert response.status_code == 200
    assert "IKM by sector" in response.content.decode()


def test_an_empty_database_shows_empty_charts(staff_client) -> None:
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert "galeri-chart-empty" in response.content.decode()
