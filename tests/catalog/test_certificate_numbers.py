"""Certificate number rules: how each paper's number may be typed, stored, shown and checked."""

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.certificate_numbers import (
    ISSUERS,
    RULES,
    VERIFICATION_URLS,
    CertificateType,
    StrictRule,
    format_certificate_number,
    normalize_certificate_number,
    pirt_expiry_year,
    verification_url,
)

PROPERTY = settings(
    database=None,
    deadline=None,
    max_examples=300,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

HALAL_MESSAGE = (
    "A halal certificate number is ID followed by 17 digits (e.g. ID33110018517710724), "
    "or an older MUI number of 12 to 16 digits starting with 0."
)
BPOM_MESSAGE = (
    "A BPOM number is MD or ML followed by 12 or 15 digits (e.g. MD 224510107115), "
    "NA followed by 11 digits, TR followed by 9 digits, or SD or SI followed by 9 to 12 digits."
)
PIRT_MESSAGE = "A P-IRT number has 15 digits, e.g. P-IRT No. 2063471010123-25."


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are asserted in their English source form, whatever the default language."""
    with translation.override("en"):
        yield


def error_of(func: Callable[..., Any], *args: Any) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        func(*args)
    return info.value


def test_certificate_type_values_are_the_url_filter_values() -> None:
    assert CertificateType.values == ["halal", "bpom", "pirt", "sni", "tkdn", "ig", "other"]
    assert CertificateType.GI == "ig"


def test_every_type_has_a_rule_and_an_issuer() -> None:
    assert set(RULES) == set(CertificateType)
    assert ISSUERS == {
        CertificateType.HALAL: "BPJPH",
        CertificateType.BPOM: "BPOM",
        CertificateType.PIRT: "Dinas Kesehatan Kabupaten/Kota",
        CertificateType.SNI: "LSPro (KAN)",
        CertificateType.TKDN: "Kementerian Perindustrian",
        CertificateType.GI: "DJKI",
        CertificateType.OTHER: "",
    }


def test_unknown_type_is_refused() -> None:
    for func in (normalize_certificate_number, format_certificate_number):
        error = error_of(func, "iso9001", "123")
        assert error.code == "invalid_certificate_type"
        assert error.messages == ["Choose a certificate type."]


# --- Halal -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "ID33110018517710724",
        "id33110018517710724",
        " ID33110018517710724 ",
        "id 3311 0018 5177 10724",
        "ID 3311-0018-5177-10724",
        "ID.3311.0018.5177.10724",
        "No. ID33110018517710724",
        "No: ID33110018517710724",
        "no.id33110018517710724",
        "Nomor Sertifikat Halal: ID33110018517710724",
        "Sertifikat Halal No. ID 33110018517710724",
        "BPJPH ID33110018517710724",
    ],
)
def test_current_halal_numbers_normalise(typed: str) -> None:
    assert normalize_certificate_number("halal", typed) == "ID33110018517710724"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("00150012345678", "00150012345678"),  # about 14 digits: the usual MUI length
        ("001500123456", "001500123456"),  # 12: the shortest accepted
        ("0015001234567890", "0015001234567890"),  # 16: the longest accepted
        ("LPPOM MUI 00150012345678", "00150012345678"),
        ("No. 0015 0012 3456 78", "00150012345678"),
        ("MUI: 00150012345678", "00150012345678"),
    ],
)
def test_old_mui_halal_numbers_are_accepted_permissively(typed: str, stored: str) -> None:
    assert normalize_certificate_number("halal", typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "ID3311001851771072",  # 16 digits after ID
        "ID331100185177107245",  # 18 digits after ID
        "ID3311001851771072X",
        "IN33110018517710724",
        "33110018517710724",  # the digits without ID
        "00150012345",  # 11 digits
        "00150012345678901",  # 17 digits
        "15001234567890",  # MUI numbers start with 0
        "sudah halal",
        "ID 3311 0018 5177 10724 / ID 3311 0018 5177 10725",
    ],
)
def test_malformed_halal_numbers_are_refused(typed: str) -> None:
    error = error_of(normalize_certificate_number, "halal", typed)
    assert error.code == "invalid_certificate_number"
    assert error.messages == [HALAL_MESSAGE]


@pytest.mark.parametrize(
    "typed", ["KH.2023.12345", "kh-123/2023", "KH 0001234567", "No. KH 12345", "Ketetapan Halal No. 123/2023"]
)
def test_interim_kh_numbers_are_refused_with_a_pointer_to_the_certificate(typed: str) -> None:
    error = error_of(normalize_certificate_number, "halal", typed)
    assert error.code == "halal_kh_number"
    assert error.messages == [
        "This is a KH (Ketetapan Halal) number, not a certificate. "
        "Enter the halal certificate number from BPJPH, which starts with ID."
    ]


# --- BPOM --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("MD 224510107115", "MD224510107115"),
        ("MD224510107115", "MD224510107115"),
        ("BPOM RI MD 224510107115", "MD224510107115"),
        ("bpom ri md 224510107115", "MD224510107115"),
        ("BPOM RI MD 2245.1010.7115", "MD224510107115"),
        ("BPOM-RI MD 224-510-107-115", "MD224510107115"),
        ("POM MD 224510107115", "MD224510107115"),
        ("POM RI MD 224510107115", "MD224510107115"),
        ("No. BPOM: MD 224510107115", "MD224510107115"),
        ("Izin edar: BPOM RI MD 224510107115", "MD224510107115"),
        ("ML 224510107115", "ML224510107115"),
        ("BPOM RI MD 224510107115001", "MD224510107115001"),  # the newer 15 digits
        ("NA18201200123", "NA18201200123"),
        ("na 18201200123", "NA18201200123"),
        ("BPOM NA18201200123", "NA18201200123"),
        ("Notifikasi NA18201200123", "NA18201200123"),
        ("NC14191300159", "NC14191300159"),
        ("NKIT123456789", "NKIT123456789"),
        ("TR092699241", "TR092699241"),
        ("POM TR 092 699 241", "TR092699241"),
        ("TI 123456789", "TI123456789"),
        ("SD051234567", "SD051234567"),
        ("POM SD. 051 234 567", "SD051234567"),
        ("SI 123456789012", "SI123456789012"),
    ],
)
def test_bpom_numbers_normalise(typed: str, stored: str) -> None:
    assert normalize_certificate_number("bpom", typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "MD 22451010711",  # 11 digits
        "MD 2245101071151",  # 13 digits
        "MD 22451010711500",  # 14 digits
        "MD 2245101071150012",  # 16 digits
        "MX 224510107115",
        "224510107115",  # digits without the prefix
        "NA1820120012",  # 10 digits
        "NA182012001234",  # 12 digits
        "NF18201200123",
        "TR09269924",  # 8 digits
        "TR0926992411",
        "SD12345678",  # 8 digits
        "SD1234567890123",  # 13 digits
        "P-IRT No. 2063471010123-25",
        "MD 22451O107115",  # letter O for zero
    ],
)
def test_malformed_bpom_numbers_are_refused(typed: str) -> None:
    error = error_of(normalize_certificate_number, "bpom", typed)
    assert error.code == "invalid_certificate_number"
    assert error.messages == [BPOM_MESSAGE]


# --- P-IRT -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "P-IRT No. 2063471010123-25",
        "p-irt no. 2063471010123-25",
        "P-IRT No 2063471010123-25",
        "PIRT 206347101012325",
        "PIRT-2063471010123-25",
        "SPP-IRT No. 2063471010123-25",
        "No. P-IRT: 2063471010123-25",
        "2063471010123-25",
        "206347101012325",
        "206 3471 01 0123 25",
        "206.3471.01.0123.25",
    ],
)
def test_pirt_numbers_normalise(typed: str) -> None:
    assert normalize_certificate_number("pirt", typed) == "206347101012325"


@pytest.mark.parametrize("region", ["1871", "1803", "0000", "9999", "3471"])
def test_pirt_region_digits_are_not_checked(region: str) -> None:
    """The region scheme in digits 4-7 is unconfirmed (DOMAIN.md), so no code is refused."""
    assert normalize_certificate_number("pirt", f"P-IRT No. 206{region}010123-25") == f"206{region}01012325"


@pytest.mark.parametrize(
    "typed",
    [
        "P-IRT No. 206347101012-25",  # 14 digits
        "P-IRT No. 20634710101234-25",  # 16 digits
        "P-IRT No. 20634710101A3-25",
        "P-IRT No. 2063471010123-2S",
        "MD 224510107115",
        "2063471010123/25",
    ],
)
def test_malformed_pirt_numbers_are_refused(typed: str) -> None:
    error = error_of(normalize_certificate_number, "pirt", typed)
    assert error.code == "invalid_certificate_number"
    assert error.messages == [PIRT_MESSAGE]


@pytest.mark.parametrize(
    ("number", "year"),
    [
        ("P-IRT No. 2063471010123-25", 2025),
        ("206347101012330", 2030),
        ("2063471010123-09", 2009),
        ("2063471010123-00", 2000),
    ],
)
def test_pirt_expiry_year_comes_from_the_last_two_digits(number: str, year: int) -> None:
    assert pirt_expiry_year(number) == year


def test_pirt_expiry_year_refuses_a_malformed_number() -> None:
    assert error_of(pirt_expiry_year, "2063471010123").code == "invalid_certificate_number"


# --- Blank numbers, for every type -------------------------------------------------------------


@pytest.mark.parametrize("cert_type", CertificateType.values)
@pytest.mark.parametrize("typed", ["", "   ", "\t\n"])
def test_blank_numbers_are_refused(cert_type: str, typed: str) -> None:
    error = error_of(normalize_certificate_number, cert_type, typed)
    assert error.code == "blank"
    assert error.messages == ["Enter the certificate number."]


@pytest.mark.parametrize(("cert_type", "typed"), [("halal", "No."), ("bpom", "BPOM RI"), ("pirt", "P-IRT No.")])
def test_a_label_without_a_number_is_blank(cert_type: str, typed: str) -> None:
    assert error_of(normalize_certificate_number, cert_type, typed).code == "blank"


# --- Permissive types: SNI, TKDN, GI, other ----------------------------------------------------


@pytest.mark.parametrize(
    ("cert_type", "typed", "stored"),
    [
        ("sni", "SNI 3553:2015", "SNI 3553:2015"),
        ("sni", "  No. 123/LSPro-BBIA/2023 ", "No. 123/LSPro-BBIA/2023"),
        ("sni", "01-2891-1992", "01-2891-1992"),
        ("sni", "SNI  3553 :  2015", "SNI 3553 : 2015"),  # runs of spaces collapse
        ("tkdn", "0001/TKDN-IK/2023", "0001/TKDN-IK/2023"),
        ("tkdn", "TKDN-IK No. 12.345/IKMA/2024", "TKDN-IK No. 12.345/IKMA/2024"),
        ("ig", "Kopi Robusta Lampung", "Kopi Robusta Lampung"),
        ("ig", "Lada Hitam Lampung", "Lada Hitam Lampung"),
        ("ig", "IDG 000000021", "IDG 000000021"),
        ("ig", "Kopi Robusta Lampung (IDG000000021)", "Kopi Robusta Lampung (IDG000000021)"),
        ("other", "Sertifikat #12/A & B", "Sertifikat #12/A & B"),
        ("other", "x" * 100, "x" * 100),
    ],
)
def test_permissive_numbers_keep_what_was_typed(cert_type: str, typed: str, stored: str) -> None:
    assert normalize_certificate_number(cert_type, typed) == stored


@pytest.mark.parametrize("cert_type", ["sni", "tkdn"])
@pytest.mark.parametrize("typed", ["<script>alert(1)</script>", "123#45", "No. 123_45", "Sertifikat é", "1" * 101])
def test_sni_and_tkdn_refuse_other_characters_and_long_text(cert_type: str, typed: str) -> None:
    error = error_of(normalize_certificate_number, cert_type, typed)
    assert error.code == "invalid_certificate_number"
    assert error.messages == [
        "Enter the certificate number as printed: letters, digits, spaces and - . : / only, at most 100 characters."
    ]


@pytest.mark.parametrize("typed", ["<b>Kopi</b>", "Kopi; DROP TABLE", "k" * 101])
def test_geographical_indication_refuses_markup_and_long_text(typed: str) -> None:
    error = error_of(normalize_certificate_number, "ig", typed)
    assert error.messages == [
        "Enter the registered name or number of the geographical indication, at most 100 characters."
    ]


@pytest.mark.parametrize("typed", ["x" * 101, "abc\x00def", "abc\u200bdef"])
def test_other_refuses_control_characters_and_long_text(typed: str) -> None:
    error = error_of(normalize_certificate_number, "other", typed)
    assert error.messages == ["Enter the certificate number as printed, at most 100 characters."]


# --- Display -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cert_type", "stored", "shown"),
    [
        ("halal", "ID33110018517710724", "ID33110018517710724"),
        ("halal", "00150012345678", "00150012345678"),
        ("bpom", "MD224510107115", "BPOM RI MD 224510107115"),
        ("bpom", "ML224510107115001", "BPOM RI ML 224510107115001"),
        ("bpom", "NA18201200123", "BPOM RI NA18201200123"),
        ("bpom", "NKIT123456789", "BPOM RI NKIT123456789"),
        ("bpom", "TR092699241", "BPOM RI TR 092699241"),
        ("bpom", "SD051234567", "BPOM RI SD 051234567"),
        ("pirt", "206347101012325", "P-IRT No. 2063471010123-25"),
        ("sni", "SNI 3553:2015", "SNI 3553:2015"),
        ("ig", "Kopi Robusta Lampung", "Kopi Robusta Lampung"),
        # A legacy value that does not fit any rule is shown as stored, never dropped.
        ("bpom", "MD 12345", "MD 12345"),
        ("pirt", "P-IRT lama", "P-IRT lama"),
    ],
)
def test_format_shows_numbers_as_printed_on_labels(cert_type: str, stored: str, shown: str) -> None:
    assert format_certificate_number(cert_type, stored) == shown


# --- Verification ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cert_type", "url"),
    [
        ("halal", "https://bpjph.halal.go.id/search/sertifikat"),
        ("bpom", "https://cekbpom.pom.go.id/"),
        ("tkdn", "https://tkdn.kemenperin.go.id/"),
        ("ig", "https://pdki-indonesia.dgip.go.id/"),
        ("pirt", None),
        ("sni", None),
        ("other", None),
    ],
)
def test_verification_url_points_to_the_public_register(cert_type: str, url: str | None) -> None:
    assert verification_url(cert_type, "ID33110018517710724") == url


def test_verification_urls_are_fixed_https_government_pages() -> None:
    for url in VERIFICATION_URLS.values():
        parts = urlsplit(url)
        assert parts.scheme == "https"
        assert parts.hostname is not None and parts.hostname.endswith(".go.id")
        assert not parts.query and not parts.fragment


def test_verification_url_never_carries_the_number() -> None:
    url = verification_url("halal", 'ID331"><script>alert(1)</script>?x=//evil.com')
    assert url == "https://bpjph.halal.go.id/search/sertifikat"


@pytest.mark.parametrize(("cert_type", "number"), [("halal", ""), ("halal", "  "), ("unknown", "123")])
def test_no_verification_url_without_a_number_or_a_known_type(cert_type: str, number: str) -> None:
    assert verification_url(cert_type, number) is None


# --- Properties --------------------------------------------------------------------------------


@pytest.mark.parametrize("cert_type", CertificateType.values)
@PROPERTY
@given(value=st.text())
def test_normalize_raises_only_validation_errors_and_is_idempotent(cert_type: str, value: str) -> None:
    try:
        stored = normalize_certificate_number(cert_type, value)
    except ValidationError:
        return
    assert normalize_certificate_number(cert_type, stored) == stored
    assert len(stored) <= 100  # Certification.number's max_length


_SEPARATOR = st.sampled_from(["", "", "", " ", "-", ".", "\u00a0"])


@st.composite
def typed_like_a_person(draw: st.DrawFn, canonical: str, labels: list[str]) -> str:
    """The canonical number with a label, random case and separators between characters."""
    body = "".join(char + draw(_SEPARATOR) for char in canonical).strip(" -.\u00a0")
    if draw(st.booleans()):
        body = body.lower()
    return draw(st.sampled_from(labels)) + body


STRICT_CASES = [
    ("halal", r"ID[0-9]{17}", ["", "No. ", "Sertifikat Halal: ", "nomor "]),
    ("halal", r"0[0-9]{11,15}", ["", "No. ", "LPPOM MUI "]),
    ("bpom", r"M[DL]([0-9]{12}|[0-9]{15})", ["", "BPOM RI ", "POM ", "No. BPOM: "]),
    ("bpom", r"N[A-E][0-9]{11}", ["", "BPOM ", "Notifikasi: "]),
    ("bpom", r"T[RIL][0-9]{9}", ["", "POM ", "BPOM RI "]),
    ("bpom", r"S[DI][0-9]{9,12}", ["", "POM ", "BPOM RI "]),
    ("pirt", r"[0-9]{15}", ["", "P-IRT No. ", "PIRT ", "SPP-IRT: "]),
]


@pytest.mark.parametrize(("cert_type", "shape", "labels"), STRICT_CASES)
@PROPERTY
@given(data=st.data())
def test_any_typed_variant_normalises_to_the_canonical_form(
    cert_type: str, shape: str, labels: list[str], data: st.DataObject
) -> None:
    canonical = data.draw(st.from_regex(shape, fullmatch=True))
    typed = data.draw(typed_like_a_person(canonical, labels))
    assert normalize_certificate_number(cert_type, typed) == canonical


@pytest.mark.parametrize(("cert_type", "shape", "labels"), STRICT_CASES)
@PROPERTY
@given(data=st.data())
def test_the_displayed_form_reads_back_as_the_stored_form(
    cert_type: str, shape: str, labels: list[str], data: st.DataObject
) -> None:
    """A buyer or staff member copying the number from the page gets the same certificate."""
    canonical = data.draw(st.from_regex(shape, fullmatch=True))
    assert normalize_certificate_number(cert_type, format_certificate_number(cert_type, canonical)) == canonical


def test_strict_rules_are_the_three_well_attested_formats() -> None:
    strict = {cert_type for cert_type, rule in RULES.items() if isinstance(rule, StrictRule)}
    assert strict == {CertificateType.HALAL, CertificateType.BPOM, CertificateType.PIRT}
