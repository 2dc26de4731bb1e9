import json
import re

import pytest
from django.conf import settings

from ikm.models import IKM, IKMLink

pytestmark = pytest.mark.django_db


def _json_ld(html: str) -> dict:
    block = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S).group(1)
    return json.loads(block)


def test_public_profile_shows_story_contact_links_and_products(visitor, owner_ikm, make_product) -> None:
    owner_ikm.story = "Kami mulai di dapur.\n\nSekarang sepuluh orang bekerja."
    owner_ikm.address = "Jl. Pagar Alam No. 5"
    owner_ikm.save()
    IKMLink.objects.create(ikm=owner_ikm, platform="tokopedia", url="https://www.tokopedia.com/makijah")
    make_product(owner_ikm, name="Keripik Pisang Coklat", slug="keripik-pisang-coklat")
    make_product(owner_ikm, name="Draf Rahasia", slug="draf-rahasia", status="draft")
    html = visitor.get("/ikm/keripik-mak-ijah/").content.decode()
    assert "<h1>Keripik Mak Ijah</h1>" in html
    assert "<p>Kami mulai di dapur.</p>" in html
    assert 'href="https://www.tokopedia.com/makijah"' in html
    assert 'href="/wa/ikm/keripik-mak-ijah/"' in html
    assert "openstreetmap.org/search?query=" in html
    assert "Keripik Pisang Coklat" in html and "Draf Rahasia" not in html
    data = _json_ld(html)
    assert data["@type"] == "LocalBusiness" and data["name"] == "Keripik Mak Ijah"


@pytest.mark.parametrize("fields", [{"status": IKM.Status.SUBMITTED}, {"is_suspended": True}])
def test_hidden_profiles_are_404_for_the_public_and_a_preview_for_the_owner(visitor, owner, owner_ikm, fields) -> None:
    IKM.objects.filter(pk=owner_ikm.pk).update(**fields)
    assert visitor.get("/ikm/keripik-mak-ijah/").status_code == 404
    visitor.force_login(owner)
    response = visitor.get("/ikm/keripik-mak-ijah/")
    assert response.status_code == 200
    assert "Pratinjau" in response.content.decode()


def test_another_owner_cannot_preview_a_hidden_profile(other_owner_client, owner_ikm) -> None:
    IKM.objects.filter(pk=owner_ikm.pk).update(status=IKM.Status.DRAFT)
    assert other_owner_client.get("/ikm/keripik-mak-ijah/").status_code == 404


def test_json_ld_cannot_be_broken_out_of(visitor, owner_ikm) -> None:
    owner_ikm.name = "</script><script>alert(1)</script>"
    owner_ikm.save()
    html = visitor.get("/ikm/keripik-mak-ijah/").content.decode()
    assert "<script>alert(1)" not in html
    assert _json_ld(html)["name"] == "</script><script>alert(1)</script>"


def test_profile_page_query_count_does_not_grow_with_products(
    visitor, owner_ikm, make_product, django_assert_max_num_queries
) -> None:
    for n in range(20):
        make_product(owner_ikm, slug=f"produk-{n}")
    for platform in ("tokopedia", "shopee", "instagram"):
        host = {"tokopedia": "www.tokopedia.com", "shopee": "shopee.co.id", "instagram": "www.instagram.com"}[platform]
        IKMLink.objects.create(ikm=owner_ikm, platform=platform, url=f"https://{host}/makijah")
    with django_assert_max_num_queries(10):
        assert visitor.get("/ikm/keripik-mak-ijah/").status_code == 200


def test_coordinates_link_to_the_map_and_head_has_canonical_and_opengraph(visitor, owner_ikm) -> None:
    owner_ikm.latitude, owner_ikm.longitude = "-5.397140", "105.266792"
    owner_ikm.tagline = "Renyah & gurih"
    owner_ikm.save()
    html = visitor.get("/ikm/keripik-mak-ijah/").content.decode()
    assert "https://www.openstreetmap.org/?mlat=-5.397140&amp;mlon=105.266792#map=16/-5.397140/105.266792" in html
    assert f'<link rel="canonical" href="{settings.SITE_URL}/ikm/keripik-mak-ijah/">' in html
    assert '<meta property="og:title" content="Keripik Mak Ijah">' in html
    data = _json_ld(html)
    assert data["geo"]["latitude"] == -5.39714
    assert data["description"] == "Renyah & gurih"
    block = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S).group(1)
    assert "&" not in block and "\\u0026" in block


def test_preview_banner_tells_the_owner_the_staff_reason(client, owner, owner_ikm) -> None:
    IKM.objects.filter(pk=owner_ikm.pk).update(status=IKM.Status.NEEDS_CHANGES, status_reason="Logo buram.")
    client.force_login(owner)
    html = client.get("/ikm/keripik-mak-ijah/").content.decode()
    assert "Logo buram." in html
    assert 'href="https://wa.me/6281234567890?text=' in html  # the preview links straight to WhatsApp


def test_staff_see_a_preview(client, staff_user, owner_ikm) -> None:
    IKM.objects.filter(pk=owner_ikm.pk).update(status=IKM.Status.DRAFT)
    client.force_login(staff_user)
    assert client.get("/ikm/keripik-mak-ijah/").status_code == 200


def test_unknown_slug_is_404(visitor) -> None:
    assert visitor.get("/ikm/tidak-ada/").status_code == 404


def test_story_is_escaped(visitor, owner_ikm) -> None:
    owner_ikm.story = "<b>tebal</b>\n\nparagraf dua"
    owner_ikm.save()
    html = visitor.get("/ikm/keripik-mak-ijah/").content.decode()
    assert "<p>&lt;b&gt;tebal&lt;/b&gt;</p>" in html and "<p>paragraf dua</p>" in html


def test_profile_shows_at_most_12_products(visitor, owner_ikm, make_product) -> None:
    for n in range(14):
        make_product(owner_ikm, slug=f"p-{n}")
    assert len(visitor.get("/ikm/keripik-mak-ijah/").context["products"]) == 12


def test_without_coordinates_the_map_searches_the_address_kecamatan_and_region(visitor, owner_ikm) -> None:
    owner_ikm.address = "Jl. Pagar Alam No. 5"
    owner_ikm.kecamatan = "Kedaton"
    owner_ikm.save()
    html = visitor.get("/ikm/keripik-mak-ijah/").content.decode()
    assert (
        "https://www.openstreetmap.org/search?query=Jl.+Pagar+Alam+No.+5%2C+Kedaton%2C+Kota+Bandar+Lampung%2C+Lampung"
        in html
    )


def test_cached_profile_follows_edits_links_products_and_suspension(
    settings, visitor, client, owner, owner_ikm, make_product
) -> None:
    """A public profile's main part and product ids are cached under the page version: changes show at once."""
    settings.PAGE_CACHE_SECONDS = 0  # rendered every time: the fragments are under test, not the page cache
    url = f"/ikm/{owner_ikm.slug}/"
    assert "Kripik sejak 1998" not in visitor.get(url).content.decode()
    owner_ikm.story = "Kripik sejak 1998"
    owner_ikm.save()
    assert "Kripik sejak 1998" in visitor.get(url).content.decode()
    IKMLink.objects.create(ikm=owner_ikm, platform="shopee", url="https://shopee.co.id/makijah")
    assert 'href="https://shopee.co.id/makijah"' in visitor.get(url).content.decode()
    product = make_product(owner_ikm, name="Kemplang Baru")
    assert "Kemplang Baru" in visitor.get(url).content.decode()
    english = visitor.get("/en" + url).content.decode()
    assert ">Our story</h2>" in english and "Kemplang Baru" in english
    owner_ikm.is_suspended = True
    owner_ikm.save()
    assert visitor.get(url).status_code == 404
    client.force_login(owner)
    preview = client.get(url).content.decode()  # the owner's preview is rendered, never the cached public part
    assert "ikm-preview-banner" in preview and "Kripik sejak 1998" in preview
    assert product.name not in preview  # a suspended IKM's products are not public, so not on its page either
