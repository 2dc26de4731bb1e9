"""The identifier rules: every accepted way of typing a value, and every refusal with its message."""

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ikm.identifiers import (
    PLATFORM_HOSTS,
    URL_MAX_LENGTH,
    Platform,
    host_matches,
    normalize_kbli,
    normalize_nib,
    normalize_phone,
    normalize_platform_url,
    normalize_website,
    validate_kbli,
    validate_nib,
    whatsapp_link,
)

# No example database: the suite must not leave a .hypothesis folder in the work tree.
PROPERTY = settings(
    database=None,
    deadline=None,
    max_examples=300,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are asserted in their English source form, whatever the default language."""
    with translation.override("en"):
        yield


def error_of(func: Callable[..., Any], *args: Any, **kwargs: Any) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        func(*args, **kwargs)
    return info.value


# --- NIB ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "1234567890123",
        " 1234567890123 ",
        "1234 5678 90123",
        "1234.5678.90123",
        "1234-5678-90123",
        "1234\u20135678\u201390123",  # en dash from a word processor
        "1234\u00a05678\u00a090123",  # no-break space from a PDF
        "NIB 1234567890123",
        "NIB: 1234567890123",
        "nib1234567890123",
        "No. 1234567890123",
        "No. NIB: 1234.5678.90123",
        "Nomor Induk Berusaha: 1234567890123",
    ],
)
def test_nib_typed_variants_normalise_to_13_digits(typed: str) -> None:
    assert normalize_nib(typed) == "1234567890123"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "NIB",
        "No.",
        "123456789012",  # 12 digits
        "12345678901234",  # 14 digits
        "12345678901A3",
        "+1234567890123",
        "1234567890123/1",
        "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660\u0661\u0662\u0663",  # Arabic-Indic digits
        "NPWP 1234567890123",
    ],
)
def test_nib_refuses_anything_but_13_digits(typed: str) -> None:
    error = error_of(normalize_nib, typed)
    assert error.code == "invalid_nib"
    assert error.messages == ["A NIB has exactly 13 digits."]


def test_validate_nib_accepts_only_the_normalised_form() -> None:
    validate_nib("1234567890123")
    for stored in ["1234 5678 90123", "NIB1234567890123", "", "123456789012"]:
        assert error_of(validate_nib, stored).code == "invalid_nib"


# --- KBLI --------------------------------------------------------------------------------------


def test_validate_kbli_accepts_five_digits() -> None:
    validate_kbli("10794")


@pytest.mark.parametrize("stored", ["", "1079", "107940", "1079A", "10 794", "10.794"])
def test_validate_kbli_refuses_other_values(stored: str) -> None:
    error = error_of(validate_kbli, stored)
    assert error.code == "invalid_kbli"
    assert error.messages == ["A KBLI code has exactly 5 digits."]


@pytest.mark.parametrize("typed", ["10794", "10 794", "10.794", "KBLI 10794", "kbli: 10794"])
def test_kbli_typed_variants_normalise(typed: str) -> None:
    assert normalize_kbli(typed) == "10794"


# --- Phone numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("081234567890", "+6281234567890"),
        ("0812 3456 7890", "+6281234567890"),
        ("0812.3456.7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("+62-812-3456-7890", "+6281234567890"),
        ("+6281234567890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),  # the wa.me habit: country code without "+"
        ("62 812 3456 7890", "+6281234567890"),
        ("+62 (0) 812 3456 7890", "+6281234567890"),  # trunk 0 kept after the country code
        ("+62 0812 3456 7890", "+6281234567890"),
        ("0062 812 3456 7890", "+6281234567890"),  # international call prefix
        ("81234567890", "+6281234567890"),  # mobile without its 0: no area code starts with 8
        ("812-3456-7890", "+6281234567890"),
        ("0811 123 456", "+62811123456"),
        ("0895-1234-5678", "+6289512345678"),
        (" 0812\u20133456\u20137890 ", "+6281234567890"),
    ],
)
def test_mobile_numbers_normalise_to_e164(typed: str, stored: str) -> None:
    assert normalize_phone(typed) == stored
    assert normalize_phone(typed, mobile_only=True) == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("(0721) 123456", "+62721123456"),  # Bandar Lampung
        ("0721-123456", "+62721123456"),
        ("0721 123 456", "+62721123456"),
        ("+62 721 123456", "+62721123456"),
        ("62721123456", "+62721123456"),
        ("(0725) 41234", "+6272541234"),  # Metro
        ("021 1234 5678", "+622112345678"),
    ],
)
def test_landlines_are_accepted_as_phone(typed: str, stored: str) -> None:
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize("typed", ["(0721) 123456", "+62 721 123456", "021 1234 5678", "0800 1234567"])
def test_whatsapp_refuses_landlines_and_service_numbers(typed: str) -> None:
    error = error_of(normalize_phone, typed, mobile_only=True)
    assert error.code == "not_mobile"
    assert error.messages == [
        "WhatsApp needs a mobile number, starting with 08 or +62 8. This looks like a landline or service number."
    ]


@pytest.mark.parametrize(
    "typed",
    [
        "+1 202 555 0143",
        "+60 12-345 6789",  # Malaysia
        "+65 8123 4567",  # Singapore
        "0060 12 345 6789",
        "+44 20 7946 0958",
    ],
)
def test_foreign_numbers_are_refused(typed: str) -> None:
    for mobile_only in (False, True):
        error = error_of(normalize_phone, typed, mobile_only=mobile_only)
        assert error.code == "foreign_phone"
        assert error.messages == [
            "Enter an Indonesian phone number (+62). Numbers from other countries are not accepted."
        ]


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "+",
        "-",
        "0812",  # too short
        "08123",
        "0812345678901234",  # too long
        "0812 CALL ME",  # letters would be read as a keypad by phonenumbers
        "WA 0812-3456-7890",
        "0812-3456-7890 / 0813-1111-2222",  # two numbers
        "721123456",  # landline without its 0: must start with 0 or +62
        "12345678",
        "0812+34567890",
        "++6281234567890",
        "+999 123456789",  # no such country
        "\u0660\u0668\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",  # Arabic-Indic digits
    ],
)
def test_invalid_phone_numbers_are_refused(typed: str) -> None:
    error = error_of(normalize_phone, typed)
    assert error.code == "invalid_phone"
    assert error.messages == ["Enter a valid Indonesian phone number, e.g. 0812-3456-7890 or (0721) 123456."]


def test_whatsapp_link_encodes_the_message() -> None:
    link = whatsapp_link("+6281234567890", "Halo, saya mau pesan keripik & kopi? #1\nTerima kasih/ya")
    assert link == (
        "https://wa.me/6281234567890?text="
        "Halo%2C%20saya%20mau%20pesan%20keripik%20%26%20kopi%3F%20%231%0ATerima%20kasih%2Fya"
    )


def test_whatsapp_link_encodes_non_ascii_as_utf8() -> None:
    assert whatsapp_link("+6281234567890", "kopi ☕") == "https://wa.me/6281234567890?text=kopi%20%E2%98%95"


def test_whatsapp_link_without_text_has_no_query() -> None:
    assert whatsapp_link("+6281234567890") == "https://wa.me/6281234567890"


@pytest.mark.parametrize("stored", ["081234567890", "6281234567890", "+62 812 3456 7890", "", "+0812"])
def test_whatsapp_link_needs_a_stored_e164_number(stored: str) -> None:
    with pytest.raises(ValueError):
        whatsapp_link(stored, "Halo")


# --- Marketplace and social links --------------------------------------------------------------


def test_every_platform_has_hosts() -> None:
    assert set(PLATFORM_HOSTS) == set(Platform)
    assert Platform.values == [
        "tokopedia",
        "shopee",
        "bukalapak",
        "lazada",
        "blibli",
        "tiktok_shop",
        "instagram",
        "facebook",
        "ekatalog",
    ]


@pytest.mark.parametrize(
    ("platform", "typed", "stored"),
    [
        ("tokopedia", "https://www.tokopedia.com/kopilampung", "https://www.tokopedia.com/kopilampung"),
        ("tokopedia", "tokopedia.com/kopilampung", "https://tokopedia.com/kopilampung"),
        ("tokopedia", "www.tokopedia.com/kopilampung", "https://www.tokopedia.com/kopilampung"),
        ("tokopedia", "//tokopedia.com/kopilampung", "https://tokopedia.com/kopilampung"),
        ("tokopedia", "http://tokopedia.com/kopilampung", "https://tokopedia.com/kopilampung"),  # upgraded
        ("tokopedia", "HTTPS://WWW.TOKOPEDIA.COM/KopiLampung", "https://www.tokopedia.com/KopiLampung"),
        ("tokopedia", "https://tokopedia.com./kopilampung", "https://tokopedia.com/kopilampung"),  # FQDN dot
        ("tokopedia", "https://tokopedia.com:443/kopilampung", "https://tokopedia.com/kopilampung"),
        ("tokopedia", "  https://tokopedia.com/kopilampung  ", "https://tokopedia.com/kopilampung"),
        ("tokopedia", "tokopedia.com:443/kopilampung", "https://tokopedia.com/kopilampung"),
        ("tokopedia", "https://tokopedia.link/AbCdEf12", "https://tokopedia.link/AbCdEf12"),
        ("shopee", "https://shopee.co.id/kopilampung", "https://shopee.co.id/kopilampung"),
        ("shopee", "https://id.shp.ee/Ab12Cd3", "https://id.shp.ee/Ab12Cd3"),
        (
            "shopee",
            "https://shopee.co.id/Kopi-Robusta-i.123.456?sp_atk=ab-cd&xptdk=ef#ulasan",
            "https://shopee.co.id/Kopi-Robusta-i.123.456?sp_atk=ab-cd&xptdk=ef#ulasan",
        ),
        ("bukalapak", "https://www.bukalapak.com/u/kopilampung", "https://www.bukalapak.com/u/kopilampung"),
        ("lazada", "https://www.lazada.co.id/shop/kopi-lampung/", "https://www.lazada.co.id/shop/kopi-lampung/"),
        ("lazada", "https://s.lazada.co.id/s.AbCd", "https://s.lazada.co.id/s.AbCd"),
        ("blibli", "https://www.blibli.com/merchant/kopi/KOP-60001", "https://www.blibli.com/merchant/kopi/KOP-60001"),
        ("tiktok_shop", "https://www.tiktok.com/@kopilampung", "https://www.tiktok.com/@kopilampung"),
        ("tiktok_shop", "https://vt.tiktok.com/ZSabc123/", "https://vt.tiktok.com/ZSabc123/"),
        ("tiktok_shop", "https://shop.tiktok.com/view/product/123", "https://shop.tiktok.com/view/product/123"),
        ("instagram", "instagram.com/kopilampung", "https://instagram.com/kopilampung"),
        ("instagram", "https://www.instagram.com/kopilampung/", "https://www.instagram.com/kopilampung/"),
        ("facebook", "https://m.facebook.com/kopilampung", "https://m.facebook.com/kopilampung"),
        ("facebook", "https://fb.com/kopilampung", "https://fb.com/kopilampung"),
        ("facebook", "https://fb.me/kopilampung", "https://fb.me/kopilampung"),
        (
            "facebook",
            "https://web.facebook.com/profile.php?id=100012345",
            "https://web.facebook.com/profile.php?id=100012345",
        ),
        (
            "ekatalog",
            "https://e-katalog.lkpp.go.id/katalog/produk/detail/123",
            "https://e-katalog.lkpp.go.id/katalog/produk/detail/123",
        ),
        ("ekatalog", "https://katalog.inaproc.id/kopi-lampung", "https://katalog.inaproc.id/kopi-lampung"),
        # Unsafe characters in the path are percent-encoded, already-encoded ones kept.
        ("tokopedia", "https://tokopedia.com/kopi%20ok/é", "https://tokopedia.com/kopi%20ok/%C3%A9"),
        ("tokopedia", 'https://tokopedia.com/toko"><script>', "https://tokopedia.com/toko%22%3E%3Cscript%3E"),
    ],
)
def test_platform_links_normalise(platform: str, typed: str, stored: str) -> None:
    assert normalize_platform_url(platform, typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "https://tokopedia.com.evil.com/kopilampung",
        "tokopedia.com.evil.com/kopilampung",
        "https://eviltokopedia.com/kopilampung",
        "https://evil-tokopedia.com/kopilampung",
        "https://tokopedia-com.evil.com/kopilampung",
        "https://tokopedia.co/kopilampung",
        "https://tokopedia.co.id/kopilampung",
        "https://tokopedіa.com/kopilampung",  # Cyrillic "і"
        "https://evil.com/tokopedia.com/kopilampung",
        "https://evil.com/?next=https://tokopedia.com/kopilampung",
        "https://evil.com#tokopedia.com",
        "https://shopee.co.id/kopilampung",  # another platform's link
        "https://tokopedia.com:8443/kopilampung",
        "http://tokopedia.com:80/kopilampung",
    ],
)
def test_lookalike_and_foreign_hosts_are_refused(typed: str) -> None:
    error = error_of(normalize_platform_url, "tokopedia", typed)
    assert error.code == "wrong_platform_host"
    assert error.messages == ["This link is not a Tokopedia address."]


@pytest.mark.parametrize(
    ("platform", "typed"),
    [
        ("instagram", "https://www.facebook.com/kopilampung"),
        ("facebook", "https://www.instagram.com/kopilampung"),
        ("tiktok_shop", "https://www.tiktok.com.co/@kopilampung"),
        ("ekatalog", "https://lpse.lkpp.go.id/eproc4"),  # LKPP, but not the catalogue
        ("ekatalog", "https://inaproc.id/kopi"),
        ("shopee", "https://shopee.com.my/kopilampung"),
        ("lazada", "https://www.lazada.com.my/shop/kopi"),
    ],
)
def test_links_from_elsewhere_are_refused(platform: str, typed: str) -> None:
    assert error_of(normalize_platform_url, platform, typed).code == "wrong_platform_host"


@pytest.mark.parametrize("platform", Platform.values)
def test_host_message_names_the_platform(platform: str) -> None:
    error = error_of(normalize_platform_url, platform, "https://example.com/kopilampung")
    assert error.messages == [f"This link is not a {Platform(platform).label} address."]


@pytest.mark.parametrize(
    "typed",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "  javascript:alert(1)",
        "javascript://tokopedia.com/%0Aalert(1)",
        "javascript:alert('https://tokopedia.com/x')",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://tokopedia.com/kopilampung",
        "mailto:toko@tokopedia.com",
        "intent://tokopedia.com/kopilampung#Intent;scheme=https;end",
    ],
)
def test_non_web_schemes_are_refused(typed: str) -> None:
    error = error_of(normalize_platform_url, "tokopedia", typed)
    assert error.code == "invalid_scheme"
    assert error.messages == ["Only web addresses starting with https:// or http:// are accepted."]


@pytest.mark.parametrize(
    "typed",
    [
        "https://user:pass@tokopedia.com/kopilampung",
        "https://user@tokopedia.com/kopilampung",
        "https://@tokopedia.com/kopilampung",
        "https://tokopedia.com@evil.com/kopilampung",
        "https://tokopedia.com:443@evil.com/kopilampung",
        "tokopedia.com@evil.com/kopilampung",
    ],
)
def test_credentials_in_links_are_refused(typed: str) -> None:
    error = error_of(normalize_platform_url, "tokopedia", typed)
    assert error.code == "url_userinfo"
    assert error.messages == ["A web address must not contain a user name or password."]


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "https://",
        "https:///kopilampung",
        "https://tokopedia/kopilampung",  # no top-level domain
        "https://tokopedia.com../kopilampung",
        "https://.tokopedia.com/kopilampung",
        "https://-tokopedia.com/kopilampung",
        "https://tokopedia.com%2eevil.com/kopilampung",
        "https://evil.com\\.tokopedia.com/",  # browsers read "\" as "/": this goes to evil.com
        "https://evil.com\\@tokopedia.com/",
        "https://tokopedia.com/kopi lampung",
        "https://tokopedia.com/kopi\tlampung",
        "java\tscript:alert(1)",
        "https://tokopedia.com/\x00",
        "https://tokopedia.com:abc/kopilampung",
        "https://tokopedia.com:99999/kopilampung",
        "https://[::1]/kopilampung",
        "https://[tokopedia.com/kopilampung",
        "https://127.0.0.1/kopilampung",
        "https://tokopedia.com\uff0f@evil.com/",  # a full-width solidus that NFKC turns into "/"
    ],
)
def test_malformed_links_are_refused(typed: str) -> None:
    error = error_of(normalize_platform_url, "tokopedia", typed)
    assert error.code == "invalid_url"
    assert error.messages == ["Enter a web address, e.g. https://www.contoh.co.id."]


@pytest.mark.parametrize(
    "typed", ["https://tokopedia.com", "https://www.tokopedia.com/", "tokopedia.com", "https://tokopedia.com/#top"]
)
def test_platform_home_page_is_refused(typed: str) -> None:
    error = error_of(normalize_platform_url, "tokopedia", typed)
    assert error.code == "platform_home_page"
    assert error.messages == ["This is the Tokopedia home page. Paste the link to your shop or page."]


def test_unknown_platform_is_refused() -> None:
    error = error_of(normalize_platform_url, "amazon", "https://amazon.com/kopi")
    assert error.code == "invalid_platform"


def test_overlong_link_is_refused() -> None:
    error = error_of(normalize_platform_url, "tokopedia", "https://tokopedia.com/" + "a" * URL_MAX_LENGTH)
    assert error.code == "url_too_long"
    assert error.messages == [f"This web address is too long (at most {URL_MAX_LENGTH} characters)."]


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("tokopedia.com", True),
        ("www.tokopedia.com", True),
        ("a.b.tokopedia.com", True),
        ("eviltokopedia.com", False),
        ("tokopedia.com.evil.com", False),
        ("com", False),
    ],
)
def test_host_matches_whole_labels_only(host: str, expected: bool) -> None:
    assert host_matches(host, ("tokopedia.com",)) is expected


# --- Websites ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("kopilampung.id", "https://kopilampung.id"),
        ("www.kopilampung.id/produk", "https://www.kopilampung.id/produk"),
        ("http://kopilampung.id/", "http://kopilampung.id/"),  # explicit http kept
        ("https://KopiLampung.ID/Produk", "https://kopilampung.id/Produk"),
        ("https://kopilampung.id./", "https://kopilampung.id/"),
        ("https://kopilampung.id:443/", "https://kopilampung.id/"),
        ("http://kopilampung.id:80/", "http://kopilampung.id/"),
        ("https://kopilampung.id:8443/toko", "https://kopilampung.id:8443/toko"),
        ("https://tapis.lampungprov.go.id/galeri?hal=2#foto", "https://tapis.lampungprov.go.id/galeri?hal=2#foto"),
        ("https://bücher.de/", "https://xn--bcher-kva.de/"),  # IDN stored as punycode
    ],
)
def test_websites_normalise(typed: str, stored: str) -> None:
    assert normalize_website(typed) == stored


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("javascript:alert(1)", "invalid_scheme"),
        ("data:text/html,<script>alert(1)</script>", "invalid_scheme"),
        ("ftp://kopilampung.id/", "invalid_scheme"),
        ("localhost:8000", "invalid_scheme"),
        ("https://admin:rahasia@kopilampung.id/", "url_userinfo"),
        ("https://kopilampung.id@evil.com/", "url_userinfo"),
        ("https://192.168.1.1/", "invalid_url"),
        ("https://kopilampung/", "invalid_url"),
        ("https://kopi lampung.id/", "invalid_url"),
        ("", "invalid_url"),
    ],
)
def test_unsafe_or_malformed_websites_are_refused(typed: str, code: str) -> None:
    assert error_of(normalize_website, typed).code == code


# --- Properties --------------------------------------------------------------------------------

NORMALIZERS: list[Callable[[str], str]] = [
    normalize_nib,
    normalize_kbli,
    normalize_phone,
    lambda value: normalize_phone(value, mobile_only=True),
    normalize_website,
    *[lambda value, platform=platform: normalize_platform_url(platform, value) for platform in Platform.values],
]


@pytest.mark.parametrize("normalize", NORMALIZERS)
@PROPERTY
@given(value=st.text())
def test_normalizers_raise_only_validation_errors_and_are_idempotent(
    normalize: Callable[[str], str], value: str
) -> None:
    try:
        stored = normalize(value)
    except ValidationError:
        return
    assert normalize(stored) == stored


_SEPARATOR = st.sampled_from(["", "", "", " ", "-", ".", "\u00a0"])


@st.composite
def typed_digits(draw: st.DrawFn, digits: str) -> str:
    """The digits as a person might type them: separators anywhere between them."""
    return "".join(char + draw(_SEPARATOR) for char in digits).strip(" -.\u00a0")


@PROPERTY
@given(data=st.data(), digits=st.from_regex(r"[0-9]{13}", fullmatch=True))
def test_any_typed_nib_normalises_to_its_digits(data: st.DataObject, digits: str) -> None:
    typed = data.draw(st.sampled_from(["", "NIB ", "NIB: ", "No. ", "nib"])) + data.draw(typed_digits(digits))
    assert normalize_nib(typed) == digits


@PROPERTY
@given(data=st.data(), subscriber=st.from_regex(r"8[1-9][0-9]{8,9}", fullmatch=True))
def test_any_way_of_typing_a_mobile_gives_the_same_e164(data: st.DataObject, subscriber: str) -> None:
    try:
        expected = normalize_phone("0" + subscriber, mobile_only=True)
    except ValidationError:
        return  # not every digit string is an allocated range
    prefix = data.draw(st.sampled_from(["0", "+62 ", "+62", "62", "+62 (0)", "0062 ", ""]))
    typed = prefix + data.draw(typed_digits(subscriber))
    assert normalize_phone(typed, mobile_only=True) == expected
    assert normalize_phone(expected) == expected


_URL_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)


@PROPERTY
@given(platform=st.sampled_from(Platform.values), path=_URL_TEXT, host_index=st.integers(0, 5))
def test_accepted_platform_links_are_https_on_an_allowed_host(platform: str, path: str, host_index: int) -> None:
    hosts = PLATFORM_HOSTS[Platform(platform)]
    url = f"https://{hosts[host_index % len(hosts)]}/{path}"
    try:
        stored = normalize_platform_url(platform, url)
    except ValidationError:
        return
    parts = urlsplit(stored)
    assert parts.scheme == "https"
    assert parts.hostname is not None and host_matches(parts.hostname, hosts)
    assert not any(char in stored for char in ' "<>\\`{}|^') and stored.isprintable()
    assert normalize_platform_url(platform, stored) == stored
