"""Product search on both databases (catalog/search.py).

Each test runs on SQLite by default and on PostgreSQL with DATABASE_URL; assertions that hold only for
PostgreSQL's Indonesian stemmer and trigram typo tolerance are marked ``pg_only``, and the SQLite
fallback has its own cases.
"""

import pytest
from django.db import connection

from catalog.models import Category, Product
from catalog.search import parse_query, search_filter, search_rank, word_stem

pytestmark = pytest.mark.django_db

pg_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search and pg_trgm")
sqlite_only = pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite fallback")


@pytest.fixture
def shelf(make_ikm, make_product):
    """Named products of two IKM in several categories."""
    kopi = Category.objects.get(slug="kopi")
    keripik = Category.objects.get(slug="keripik-camilan")
    tapis = Category.objects.get(slug="kain-tapis")
    makmur = make_ikm(name="Kopi Makmur Jaya", slug="kopi-makmur-jaya")
    sai = make_ikm(name="Sanggar Sai Bumi", slug="sanggar-sai-bumi", sector="sandang")
    return {
        "robusta": make_product(makmur, name="Kopi Robusta Lampung Barat", slug="robusta", category=kopi),
        "bubuk": make_product(
            makmur,
            name="Bubuk Hitam Tanggamus",
            slug="bubuk",
            category=kopi,
            description="Biji pilihan yang kami jual dalam kemasan 250 gram.",
        ),
        "pisang": make_product(
            makmur,
            name="Keripik Pisang Coklat",
            slug="pisang",
            category=keripik,
            description="Pisang kepok yang digoreng renyah.",
        ),
        "singkong": make_product(makmur, name="Kripik Singkong Balado", slug="singkong", category=keripik),
        "tapis": make_product(
            sai,
            name="Kain Tapis Siger",
            slug="tapis",
            category=tapis,
            short_description="Tenun benang emas khas Lampung.",
        ),
        "sulam": make_product(
            sai, name="Selendang Sulam Usus", slug="sulam", category=Category.objects.get(slug="sulam")
        ),
    }


def found(text: str, *, typo_tolerant: bool = False) -> set[str]:
    queryset = search_filter(Product.objects.published(), parse_query(text), typo_tolerant=typo_tolerant)
    return set(queryset.values_list("slug", flat=True))


def ranked(text: str) -> list[str]:
    query = parse_query(text)
    queryset = search_rank(search_filter(Product.objects.published(), query), query)
    return list(queryset.order_by("-rank", "pk").values_list("slug", flat=True))


# --- Parsing: the same on both databases ------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("Kopi  Robusta", ("kopi", "robusta")),
        ("kopi & | ! :* ( ) robusta'", ("kopi", "robusta")),
        ("kopi\x00robusta", ("kopi", "robusta")),
        ("   ", ()),
        ("!!!", ()),
        (
            "satu dua tiga empat lima enam tujuh delapan sembilan",
            ("satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan"),
        ),
    ],
)
def test_parse_query_keeps_only_words(typed: str, words: tuple[str, ...]) -> None:
    assert parse_query(typed).words == words


def test_parse_query_cuts_what_was_typed_to_100_characters() -> None:
    parsed = parse_query("kopi " * 5000)
    assert len(parsed.text) <= 100
    assert parsed.words == ("kopi",) * 8


def test_an_empty_query_filters_nothing(shelf) -> None:
    assert found("") == set(shelf)
    assert found("&&&") == set(shelf)


# --- Both databases --------------------------------------------------------------------------


def test_a_word_finds_products_by_name_category_and_maker(shelf) -> None:
    assert found("kopi") == {"robusta", "bubuk", "pisang", "singkong"}  # "Kopi Makmur Jaya" made them all
    assert found("robusta") == {"robusta"}
    assert found("tapis") == {"tapis"}
    assert found("sanggar") == {"tapis", "sulam"}  # the IKM's name


def test_every_word_must_match(shelf) -> None:
    assert found("keripik pisang") == {"pisang"}
    assert found("kopi tapis") == set()


def test_the_last_word_is_a_prefix(shelf) -> None:
    assert found("robus") == {"robusta"}
    assert found("kain tap") == {"tapis"}


def test_inflected_word_finds_its_root(shelf) -> None:
    assert found("menjual") == {"bubuk"}  # description: "... yang kami jual ..."
    assert found("menggoreng") == {"pisang"}  # "digoreng"


def test_spelling_variant_kripik_finds_keripik_and_back(shelf) -> None:
    assert {"pisang", "singkong"} <= found("kripik")
    assert {"pisang", "singkong"} <= found("keripik")


def test_case_does_not_matter(shelf) -> None:
    assert found("KOPI ROBUSTA") == {"robusta"}


def test_a_name_match_ranks_above_a_description_match(make_ikm, make_product) -> None:
    ikm = make_ikm(name="Usaha Bersama", slug="usaha-bersama")
    make_product(ikm, name="Bubuk Jahe Merah", slug="jahe", description="Cocok dicampur dengan madu hutan.")
    make_product(ikm, name="Madu Hutan Way Kanan", slug="madu")
    assert ranked("madu")[0] == "madu"


def test_unpublished_products_are_never_found(shelf) -> None:
    Product.objects.filter(slug="robusta").update(status=Product.Status.DRAFT)
    assert "robusta" not in found("robusta")


# --- The SQLite fallback ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("menjual", "jual"),
        ("dijual", "jual"),
        ("berjualan", "jual"),
        ("membeli", "beli"),
        ("mengolah", "olah"),
        ("makanan", "makan"),
        ("minuman", "minum"),
        ("keripik", "ripik"),
        ("kripik", "ripik"),
        ("kerupuk", "rupuk"),
        # Too short to strip, or not an affix at all: left alone.
        ("merah", "merah"),
        ("meja", "meja"),
        ("ikan", "ikan"),
        ("kopi", "kopi"),
        ("krim", "krim"),
    ],
)
def test_word_stem(word: str, stem: str) -> None:
    assert word_stem(word) == stem
    assert stem in word  # always a substring: the stem finds everything the word itself would


@sqlite_only
def test_sqlite_searches_the_descriptions_and_the_parent_category(shelf) -> None:
    assert found("benang") == {"tapis"}  # short description
    assert found("busana") == {"tapis", "sulam"}  # parent category "Kain & Busana"


# --- PostgreSQL ------------------------------------------------------------------------------


@pg_only
def test_pg_typo_tapiz_finds_tapis_when_typo_tolerant(shelf) -> None:
    assert found("tapiz") == set()
    assert "tapis" in found("tapiz", typo_tolerant=True)


@pg_only
def test_pg_spelling_variant_in_a_longer_query(shelf) -> None:
    assert found("kripik pisang") == {"pisang"}


@pg_only
def test_pg_the_catalog_turns_typo_tolerance_on_when_few_products_match(visitor, shelf, monkeypatch) -> None:
    from catalog import facets

    monkeypatch.setattr(facets, "FEW_RESULTS", 3)
    response = visitor.get("/produk/?q=tapiz")
    assert 'href="/produk/tapis/"' in response.content.decode()
    assert response.context["total"] == 1
    assert response.context["filter"].typo_tolerant
    response = visitor.get("/produk/?q=kopi")  # four products: enough without the trigram test
    assert not response.context["filter"].typo_tolerant
    assert response.context["total"] == 4


@pg_only
def test_pg_indonesian_stemming(shelf) -> None:
    assert found("penjualan") == {"bubuk"}  # pe- … -an, stemmed to "jual"
    assert found("emas") == {"tapis"}


@pg_only
def test_pg_the_trigger_fills_the_vector_on_insert_and_bulk_create(shelf, make_ikm) -> None:
    ikm = make_ikm(name="Lada Putih Sejahtera", slug="lada")
    Product.objects.bulk_create(
        [
            Product(
                ikm=ikm,
                name="Lada Hitam Bubuk",
                slug="lada-hitam",
                category=Category.objects.get(slug="rempah-lada"),
                status=Product.Status.PUBLISHED,
                published_at=shelf["robusta"].published_at,
            )
        ]
    )
    assert found("lada hitam") == {"lada-hitam"}
    assert Product.objects.filter(search_vector__isnull=True).count() == 0


@pg_only
def test_pg_renaming_the_ikm_or_the_category_refreshes_the_vectors(shelf) -> None:
    ikm = shelf["tapis"].ikm
    ikm.name = "Galeri Siger Emas"
    ikm.save()
    assert found("siger galeri") == {"tapis", "sulam"}
    assert found("sanggar") == set()

    category = Category.objects.get(slug="sulam")
    category.name = "Sulaman Tangan"
    category.save()
    assert "sulam" in found("tangan")


@pg_only
def test_pg_a_view_count_update_does_not_rebuild_the_vector(shelf) -> None:
    from django.db.models import F

    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_product SET search_vector = NULL WHERE slug = 'robusta'")
    Product.objects.filter(slug="robusta").update(view_count=F("view_count") + 1)
    assert Product.objects.get(slug="robusta").search_vector is None


@pg_only
def test_pg_typo_robusa_finds_robusta(shelf) -> None:
    assert "robusta" in found("robusa", typo_tolerant=True)


@pytest.mark.parametrize(
    ("word", "variants"),
    [
        ("kripik", ["keripik", "kripik"]),
        ("keripik", ["keripik", "kripik"]),
        ("kerupuk", ["kerupuk", "krupuk"]),
        ("kopi", ["kopi"]),
        ("krim", ["krim"]),
    ],
)
def test_spellings(word: str, variants: list[str]) -> None:
    from catalog.search import spellings

    assert spellings(word) == variants


@pg_only
def test_pg_similarity_threshold_catches_one_letter_slips(make_ikm, make_product) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW pg_trgm.word_similarity_threshold")
        assert cursor.fetchone()[0] == "0.5"
    make_product(make_ikm(), name="Lempok Durian Asli", slug="lempok")
    assert found("lempuk", typo_tolerant=True) == {"lempok"}
    assert found("madu", typo_tolerant=True) == set()
