"""/ikm/: the public directory, its filters, sort, pagination and query count."""

import html
import re

import pytest
from django.urls import reverse

from ikm.models import IKM

pytestmark = pytest.mark.django_db

URL = reverse("ikm:ikm-list")


CARD = re.compile(r'<li class="card ikm-card">.*?</li>', re.S)
CARD_NAME = re.compile(r'<h2 class="card-title"><a href="[^"]+">([^<]+)</a>')


def _cards(response) -> dict[str, str]:
    """Each card's IKM name and the card's HTML, in the page's order (the cards are cached HTML)."""
    return {html.unescape(CARD_NAME.search(card)[1]): card for card in CARD.findall(response.content.decode())}


def _names(response) -> list[str]:
    return list(_cards(response))


def _product_count(card: str) -> int:
    return int(re.search(r'<p class="meta">(\d+) (?:produk|products?)</p>', card)[1])


@pytest.fixture
def directory(make_ikm, make_product):
    kopi = make_ikm(name="Kopi Liwa", slug="kopi-liwa", region_id="18.04")
    tapis = make_ikm(name="Tapis Sai Bumi", slug="tapis-sai-bumi", sector="sandang")
    keripik = make_ikm(name="Keripik Mak Ijah", slug="keripik-mak-ijah")
    make_product(keripik)
    make_product(keripik)
    make_product(keripik, status="draft")
    make_ikm(name="Menunggu", slug="menunggu", status=IKM.Status.SUBMITTED)
    make_ikm(name="Ditangguhkan", slug="ditangguhkan", is_suspended=True)
    return kopi, tapis, keripik


def test_lists_only_public_ikm_newest_first_with_product_counts(visitor, directory) -> None:
    response = visitor.get(URL)
    assert _names(response) == ["Keripik Mak Ijah", "Tapis Sai Bumi", "Kopi Liwa"]
    counts = {name: _product_count(card) for name, card in _cards(response).items()}
    assert counts == {"Keripik Mak Ijah": 2, "Tapis Sai Bumi": 0, "Kopi Liwa": 0}
    html = response.content.decode()
    assert "Menunggu" not in html and "Ditangguhkan" not in html
    assert 'href="/ikm/kopi-liwa/"' in html and "Lampung Barat" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"region": "18.04"}, ["Kopi Liwa"]),
        ({"sector": "sandang"}, ["Tapis Sai Bumi"]),
        ({"q": "ijah"}, ["Keripik Mak Ijah"]),
        ({"sort": "name"}, ["Keripik Mak Ijah", "Kopi Liwa", "Tapis Sai Bumi"]),
        ({"region": "18.71", "sort": "name"}, ["Keripik Mak Ijah", "Tapis Sai Bumi"]),
    ],
)
def test_filters_and_sort(visitor, directory, query, expected) -> None:
    assert _names(visitor.get(URL, query)) == expected


@pytest.mark.parametrize(
    "query",
    [
        {"region": "99.99"},
        {"region": "<script>"},
        {"sector": "nope"},
        {"sort": "-pk"},
        {"page": "abc"},
        {"page": "999"},
        {"page": "-1"},
        {"q": "x" * 500},
        {"q": "\x00"},
    ],
)
def test_bad_parameters_never_fail(visitor, directory, query) -> None:
    assert visitor.get(URL, query).status_code == 200


def test_pages_of_24_keep_the_filters(visitor, make_ikm) -> None:
    for n in range(30):
        make_ikm(name=f"Kerajinan {n:02}", slug=f"kerajinan-{n}", sector="kerajinan")
    first = visitor.get(URL, {"sector": "kerajinan", "sort": "name"})
    assert len(_names(first)) == 24
    assert 'href="?sector=kerajinan&amp;sort=name&amp;page=2"' in first.content.decode()
    second = visitor.get(URL, {"sector": "kerajinan", "sort": "name", "page": 2})
    assert _names(second) == [f"Kerajinan {n:02}" for n in range(24, 30)]


def test_query_count_does_not_grow_with_the_page(
    visitor, make_ikm, make_product, django_assert_max_num_queries
) -> None:
    for n in range(30):
        ikm = make_ikm(
            name=f"IKM {n}", slug=f"ikm-{n}", logo=f"ikm/logos/{n:032x}/original.jpg", logo_width=100, logo_height=100
        )
        make_product(ikm)
    with django_assert_max_num_queries(8):
        response = visitor.get(URL)
    assert len(_names(response)) == 24


def test_english_directory(visitor, directory) -> None:
    assert visitor.get("/en/ikm/").status_code == 200


def test_cards_show_a_halal_badge_only_for_a_valid_halal_certificate(visitor, directory) -> None:
    import datetime as dt

    from catalog.models import Certification

    kopi, tapis, keripik = directory
    Certification.objects.create(ikm=keripik, type="halal", number="ID18110000000000124", status="verified")
    Certification.objects.create(ikm=tapis, type="halal", number="ID18110000000000224", status="pending")
    Certification.objects.create(
        ikm=kopi,
        type="halal",
        number="ID18110000000000324",
        status="verified",
        expires_on=dt.date(2020, 1, 1),
    )
    badges = {name: ">Halal</span>" in card for name, card in _cards(visitor.get("/en/ikm/")).items()}
    assert badges == {"Keripik Mak Ijah": True, "Tapis Sai Bumi": False, "Kopi Liwa": False}


def test_cached_directory_follows_every_change(
    settings, visitor, directory, make_product, django_assert_max_num_queries
) -> None:
    """The order and the cards are cached with the catalog: a change shows on the next request."""
    settings.PAGE_CACHE_SECONDS = 0  # rendered every time: the fragments are under test, not the page cache
    kopi, tapis, keripik = directory
    visitor.get(URL)
    with django_assert_max_num_queries(2):  # the session-less visitor: the regions of the filter form, nothing else
        assert _names(visitor.get(URL)) == ["Keripik Mak Ijah", "Tapis Sai Bumi", "Kopi Liwa"]
    make_product(kopi)
    assert _product_count(_cards(visitor.get(URL))["Kopi Liwa"]) == 1
    tapis.name = "Tapis Sai Bumi Baru"
    tapis.save()
    assert "Tapis Sai Bumi Baru" in _names(visitor.get(URL))
    keripik.is_suspended = True
    keripik.save()
    assert _names(visitor.get(URL)) == ["Tapis Sai Bumi Baru", "Kopi Liwa"]
    assert _names(visitor.get("/en/ikm/")) == ["Tapis Sai Bumi Baru", "Kopi Liwa"]
