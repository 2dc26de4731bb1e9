"""Certificate types and the rules for their numbers: what is accepted, stored and shown.

Every rule is one row of ``RULES`` below, so a correction (a new BPOM prefix, a longer MUI
number) is a one-line change with its test. Where DOMAIN.md calls a format unverified the rule
accepts the plausible range; strict rules exist only where the format is well attested. The
rules, their sources and the canonical forms are explained in ``docs/identifiers.md``.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class CertificateType(models.TextChoices):
    """The papers a product may hold; the values are also the catalogue's URL filter values."""

    HALAL = "halal", _("Halal certificate (BPJPH)")
    BPOM = "bpom", _("BPOM distribution permit")
    PIRT = "pirt", _("SPP-IRT home-industry food permit")
    SNI = "sni", _("SNI certificate")
    TKDN = "tkdn", _("TKDN / TKDN-IK certificate")
    GI = "ig", _("Geographical indication")
    OTHER = "other", _("Other certificate")


# Default issuer shown beside a number; institution names are proper nouns, not translated.
ISSUERS: dict[CertificateType, str] = {
    CertificateType.HALAL: "BPJPH",
    CertificateType.BPOM: "BPOM",
    CertificateType.PIRT: "Dinas Kesehatan Kabupaten/Kota",
    CertificateType.SNI: "LSPro (KAN)",
    CertificateType.TKDN: "Kementerian Perindustrian",
    CertificateType.GI: "DJKI",
    CertificateType.OTHER: "",
}

# Public registers where a buyer can check a number. Fixed https pages: the number is never put
# into the URL, because none of these sites documents a stable search parameter.
# P-IRT has no national public register; SNI certificates are issued by many LSPro, with no
# single public register we could confirm; OTHER is unknown by definition.
VERIFICATION_URLS: dict[CertificateType, str] = {
    CertificateType.HALAL: "https://bpjph.halal.go.id/search/sertifikat",
    CertificateType.BPOM: "https://cekbpom.pom.go.id/",
    CertificateType.TKDN: "https://tkdn.kemenperin.go.id/",
    CertificateType.GI: "https://pdki-indonesia.dgip.go.id/",
}

# --- The rules -------------------------------------------------------------------------------

# Spaces, dots, colons and every kind of dash are typing noise in the strict numbers.
_NOISE = re.compile(r"[\s.:\-\u2010-\u2015\u2212]+")
_BLANK_MESSAGE = _("Enter the certificate number.")
_TYPE_MESSAGE = _("Choose a certificate type.")
_MAX_LENGTH = 100  # models should use at least this for the number field


@dataclass(frozen=True)
class NumberFormat:
    """One accepted shape of a strict number, matched against the compact upper-case text.

    The groups of ``pattern`` joined together are the stored form; ``display`` is a
    ``str.format`` template over the same groups.
    """

    pattern: re.Pattern[str]
    display: str


@dataclass(frozen=True)
class StrictRule:
    """A number with a known shape: noise and leading labels are dropped, then a format must match."""

    labels: re.Pattern[str]  # words typed before the number ("No.", "BPOM RI"), compact and upper-case
    formats: tuple[NumberFormat, ...]
    message: Promise
    # Numbers that look plausible but are the wrong paper: (pattern on the label-free text, message, code).
    refusals: tuple[tuple[re.Pattern[str], Promise, str], ...] = ()

    def normalize(self, value: str) -> str:
        compact = self.labels.sub("", _NOISE.sub("", value).upper())
        if not compact:
            raise ValidationError(_BLANK_MESSAGE, code="blank")
        for pattern, message, code in self.refusals:
            if pattern.match(compact):
                raise ValidationError(message, code=code)
        for number_format in self.formats:
            match = number_format.pattern.fullmatch(compact)
            if match:
                return "".join(match.groups())
        raise ValidationError(self.message, code="invalid_certificate_number")

    def format(self, normalized: str) -> str:
        for number_format in self.formats:
            match = number_format.pattern.fullmatch(normalized)
            if match:
                return number_format.display.format(*match.groups())
        return normalized  # an older or hand-entered value is shown as stored, not hidden


@dataclass(frozen=True)
class FreeRule:
    """A number whose shape is not known (each issuer has its own): only its characters are checked."""

    allowed: Callable[[str], bool]
    message: Promise
    max_length: int = _MAX_LENGTH

    def normalize(self, value: str) -> str:
        text = " ".join(value.split())
        if not text:
            raise ValidationError(_BLANK_MESSAGE, code="blank")
        if len(text) > self.max_length or not self.allowed(text):
            raise ValidationError(self.message, code="invalid_certificate_number")
        return text

    def format(self, normalized: str) -> str:
        return normalized


def _labels(*words: str) -> re.Pattern[str]:
    """Build the leading-label pattern; longer words first so "NOMOR" is not read as "NO" + "MOR"."""
    ordered = sorted(words, key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(map(re.escape, ordered)) + r")*")


_NUMBER_WORDS = ("NO", "NOMOR", "NOMER", "NUMBER")
_CODE_CHARS = re.compile(r"[A-Za-z0-9 ./:\-]+")
_NAME_CHARS = re.compile(r"[\w .,:/()'\-]+")
_CODE_MESSAGE = _(
    "Enter the certificate number as printed: letters, digits, spaces and - . : / only, at most 100 characters."
)

RULES: dict[CertificateType, StrictRule | FreeRule] = {
    # Current BPJPH certificates: ID + 17 digits (e.g. ID33110018517710724). Old LPPOM MUI
    # certificates: about 14 digits starting with 0 (unverified, so 12 to 16 are accepted).
    # The interim KH (Ketetapan Halal) number is not a certificate and must not be shown.
    CertificateType.HALAL: StrictRule(
        labels=_labels(*_NUMBER_WORDS, "SERTIFIKAT", "HALAL", "LPPOM", "MUI", "BPJPH"),
        formats=(
            NumberFormat(re.compile(r"(ID)([0-9]{17})"), "{0}{1}"),
            NumberFormat(re.compile(r"(0[0-9]{11,15})"), "{0}"),
        ),
        message=_(
            "A halal certificate number is ID followed by 17 digits (e.g. ID33110018517710724), "
            "or an older MUI number of 12 to 16 digits starting with 0."
        ),
        refusals=(
            (
                re.compile(r"KH|KETETAPAN"),
                _(
                    "This is a KH (Ketetapan Halal) number, not a certificate. "
                    "Enter the halal certificate number from BPJPH, which starts with ID."
                ),
                "halal_kh_number",
            ),
        ),
    ),
    # BPOM: MD/ML processed food (12 digits, newer 15), NA-NE cosmetics notification
    # (N + region letter + 11 digits; NKIT + 9 for kits), TR/TI/TL traditional medicine (9),
    # SD/SI supplements (9 to 12, unverified). Stored compact ("MD224510107115").
    CertificateType.BPOM: StrictRule(
        labels=_labels(*_NUMBER_WORDS, "BPOM", "POM", "RI", "BADAN", "IZIN", "EDAR", "NIE", "REG", "NOTIFIKASI"),
        formats=(
            NumberFormat(re.compile(r"(M[DL])([0-9]{12}|[0-9]{15})"), "BPOM RI {0} {1}"),
            NumberFormat(re.compile(r"(N[A-E])([0-9]{11})"), "BPOM RI {0}{1}"),
            NumberFormat(re.compile(r"(NKIT)([0-9]{9})"), "BPOM RI {0}{1}"),
            NumberFormat(re.compile(r"(T[RIL])([0-9]{9})"), "BPOM RI {0} {1}"),
            NumberFormat(re.compile(r"(S[DI])([0-9]{9,12})"), "BPOM RI {0} {1}"),
        ),
        message=_(
            "A BPOM number is MD or ML followed by 12 or 15 digits (e.g. MD 224510107115), "
            "NA followed by 11 digits, TR followed by 9 digits, or SD or SI followed by 9 to 12 digits."
        ),
    ),
    # SPP-IRT: 15 digits, written "P-IRT No. 2063471010123-25". Digits 4-7 are a region code in
    # an unconfirmed scheme, so they are not checked; digits 14-15 are the year of expiry.
    CertificateType.PIRT: StrictRule(
        labels=_labels(*_NUMBER_WORDS, "SPP", "PIRT", "SPPIRT"),
        formats=(NumberFormat(re.compile(r"([0-9]{13})([0-9]{2})"), "P-IRT No. {0}-{1}"),),
        message=_("A P-IRT number has 15 digits, e.g. P-IRT No. 2063471010123-25."),
    ),
    # Issued by many LSPro (SNI) or through SIINas (TKDN), each with its own numbering.
    CertificateType.SNI: FreeRule(
        allowed=_CODE_CHARS.fullmatch,
        message=_CODE_MESSAGE,
    ),
    CertificateType.TKDN: FreeRule(
        allowed=_CODE_CHARS.fullmatch,
        message=_CODE_MESSAGE,
    ),
    # A registered name ("Kopi Robusta Lampung") or its DJKI number ("IDG 000000021").
    CertificateType.GI: FreeRule(
        allowed=_NAME_CHARS.fullmatch,
        message=_("Enter the registered name or number of the geographical indication, at most 100 characters."),
    ),
    CertificateType.OTHER: FreeRule(
        allowed=str.isprintable,
        message=_("Enter the certificate number as printed, at most 100 characters."),
    ),
}


def _rule(cert_type: str) -> StrictRule | FreeRule:
    if cert_type not in CertificateType.values:
        raise ValidationError(_TYPE_MESSAGE, code="invalid_certificate_type")
    return RULES[CertificateType(cert_type)]


# --- Public functions ------------------------------------------------------------------------


def normalize_certificate_number(cert_type: str, value: str) -> str:
    """Return the stored form of a number typed for ``cert_type``, or raise a message that says why not.

    Strict types (halal, bpom, pirt) store a compact upper-case form ("ID33110018517710724",
    "MD224510107115", "206347101012325"); the others store the text with spaces collapsed.
    """
    return _rule(cert_type).normalize(value)


def format_certificate_number(cert_type: str, normalized: str) -> str:
    """Return a stored number the way it is printed on labels ("BPOM RI MD 224510107115")."""
    return _rule(cert_type).format(normalized)


def pirt_expiry_year(number: str) -> int:
    """Return the year a P-IRT number expires, from its last two digits ("...-25" is 2025).

    The last two digits are the year of expiry (DOMAIN.md), so a listing can warn before the
    home-industry permit lapses even when the producer did not type an end date.
    """
    normalized = normalize_certificate_number(CertificateType.PIRT, number)
    return 2000 + int(normalized[-2:])


def verification_url(cert_type: str, number: str) -> str | None:
    """Return the public register where a buyer can check this kind of certificate, if one exists.

    ``number`` is accepted so that a register with a stable per-number link can use it later;
    today every register is a fixed search page.
    """
    if cert_type not in CertificateType.values or not number.strip():
        return None
    return VERIFICATION_URLS.get(CertificateType(cert_type))
