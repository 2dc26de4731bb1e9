"""Rules for the identifiers producers type: NIB, KBLI, phone numbers and web links.

Each rule lives here once, so a form, a model validator, an import script and a test all agree.
``normalize_*`` functions take what a person typed and return the one canonical form we store,
or raise ``ValidationError`` with a message that says what a valid value looks like.
Sources and the strict/permissive split are in ``docs/identifiers.md`` (facts from DOMAIN.md).
"""

import re
from urllib.parse import quote, urlsplit

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Hyphens and dashes that word processors and phone keyboards put in copied numbers.
_SEPARATORS = re.compile(r"[\s.:\-\u2010-\u2015\u2212]+")

# --- NIB and KBLI ----------------------------------------------------------------------------

# Labels typed before the number, compared after separators are removed and letters upper-cased.
_NIB_LABELS = re.compile(r"^(?:NOMORINDUKBERUSAHA|NOMOR|NOMER|NIB|NO)*")
_NIB = re.compile(r"[0-9]{13}")
_KBLI = re.compile(r"[0-9]{5}")

NIB_MESSAGE = _("A NIB has exactly 13 digits.")
KBLI_MESSAGE = _("A KBLI code has exactly 5 digits.")


def normalize_nib(value: str) -> str:
    """Return the 13 digits of a NIB typed as "NIB: 1234.5678.90123" or "No. 1234567890123"."""
    compact = _NIB_LABELS.sub("", _SEPARATORS.sub("", value).upper())
    if not _NIB.fullmatch(compact):
        raise ValidationError(NIB_MESSAGE, code="invalid_nib")
    return compact


def validate_nib(value: str) -> None:
    """Model field validator: the stored value must already be the normalised 13 digits."""
    if not _NIB.fullmatch(value or ""):
        raise ValidationError(NIB_MESSAGE, code="invalid_nib")


def normalize_kbli(value: str) -> str:
    """Return a KBLI 2020 code typed with spaces or dots ("10 794", "10.794") as 5 digits."""
    compact = re.sub(r"^KBLI", "", _SEPARATORS.sub("", value).upper())
    validate_kbli(compact)
    return compact


def validate_kbli(value: str) -> None:
    """Model field validator: a KBLI 2020 code is 5 digits (e.g. 10794, keripik and kerupuk)."""
    if not _KBLI.fullmatch(value or ""):
        raise ValidationError(KBLI_MESSAGE, code="invalid_kbli")


# --- Phone numbers ---------------------------------------------------------------------------

PHONE_INVALID_MESSAGE = _("Enter a valid Indonesian phone number, e.g. 0812-3456-7890 or (0721) 123456.")
PHONE_FOREIGN_MESSAGE = _("Enter an Indonesian phone number (+62). Numbers from other countries are not accepted.")
PHONE_NOT_MOBILE_MESSAGE = _(
    "WhatsApp needs a mobile number, starting with 08 or +62 8. This looks like a landline or service number."
)

# What people type around the digits. Letters are refused: phonenumbers would read "0812-CALL"
# as a keypad number, and "WA 0812..." is better fixed by the person than guessed by us.
_PHONE_CHARS = re.compile(r"\+?[0-9\s().\-\u2010-\u2015]+")
_MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")


def normalize_phone(value: str, *, mobile_only: bool = False) -> str:
    """Return an Indonesian number in E.164 ("+6281234567890"), however it was typed.

    Digits without "+" are read by their start, never guessed from their length:
    "0..." is a national number ("0812-3456-7890", "(0721) 123456"), "62..." already carries the
    country code ("6281234567890": the wa.me habit), "8..." is a mobile number missing its 0 (no
    Indonesian area code starts with 8). Anything else must start with 0 or +62. "+62 0812..."
    (a 0 kept after the country code) is accepted. ``mobile_only`` is for WhatsApp.
    """
    text = value.strip()
    if not _PHONE_CHARS.fullmatch(text):
        raise ValidationError(PHONE_INVALID_MESSAGE, code="invalid_phone")
    digits = re.sub(r"[^0-9]", "", text)
    if text.startswith("+"):
        candidate = "+" + digits
    elif digits.startswith("00"):  # international call prefix typed instead of "+"
        candidate = "+" + digits[2:]
    elif digits.startswith("62"):
        candidate = "+" + digits
    elif digits.startswith("0"):
        candidate = digits
    elif digits.startswith("8"):
        candidate = "0" + digits
    else:
        raise ValidationError(PHONE_INVALID_MESSAGE, code="invalid_phone")
    try:
        number = phonenumbers.parse(candidate, "ID")
    except phonenumbers.NumberParseException:
        raise ValidationError(PHONE_INVALID_MESSAGE, code="invalid_phone") from None
    if number.country_code != 62:
        raise ValidationError(PHONE_FOREIGN_MESSAGE, code="foreign_phone")
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(PHONE_INVALID_MESSAGE, code="invalid_phone")
    if mobile_only and phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise ValidationError(PHONE_NOT_MOBILE_MESSAGE, code="not_mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def whatsapp_link(e164: str, text: str = "") -> str:
    """Return the wa.me link that opens a chat with a stored (E.164) number, message pre-filled."""
    if not _E164.fullmatch(e164):
        raise ValueError(f"Not an E.164 phone number: {e164!r}")
    link = f"https://wa.me/{e164[1:]}"
    if text:
        link += "?text=" + quote(text, safe="")
    return link


# --- Web links -------------------------------------------------------------------------------


class Platform(models.TextChoices):
    """Where IKM sell and show themselves online; the values are stored and used in URLs."""

    # Brand names are proper nouns, the same in every language, so they are not translated.
    TOKOPEDIA = "tokopedia", "Tokopedia"
    SHOPEE = "shopee", "Shopee"
    BUKALAPAK = "bukalapak", "Bukalapak"
    LAZADA = "lazada", "Lazada"
    BLIBLI = "blibli", "Blibli"
    TIKTOK_SHOP = "tiktok_shop", "TikTok Shop"
    INSTAGRAM = "instagram", "Instagram"
    FACEBOOK = "facebook", "Facebook"
    EKATALOG = "ekatalog", "e-Katalog LKPP"


# Each host also allows its subdomains (www., m., shop., vt., s., id.): a link matches when its
# host is one of these or ends with "." + one of these, never by substring.
PLATFORM_HOSTS: dict[Platform, tuple[str, ...]] = {
    Platform.TOKOPEDIA: ("tokopedia.com", "tokopedia.link"),  # tokopedia.link: the app's share links
    Platform.SHOPEE: ("shopee.co.id", "shp.ee"),  # id.shp.ee: the app's share links
    Platform.BUKALAPAK: ("bukalapak.com",),
    Platform.LAZADA: ("lazada.co.id",),  # s.lazada.co.id: share links
    Platform.BLIBLI: ("blibli.com",),
    # A TikTok Shop is reached through the seller's TikTok profile or a vt./vm. share link.
    Platform.TIKTOK_SHOP: ("tiktok.com",),
    Platform.INSTAGRAM: ("instagram.com",),
    Platform.FACEBOOK: ("facebook.com", "fb.com", "fb.me"),
    # Only the catalogue hosts, not every LKPP or INAPROC service.
    Platform.EKATALOG: ("e-katalog.lkpp.go.id", "katalog.inaproc.id"),
}

# Long enough for marketplace product links with tracking parameters; models should match it.
URL_MAX_LENGTH = 2000

URL_INVALID_MESSAGE = _("Enter a web address, e.g. https://www.contoh.co.id.")
URL_SCHEME_MESSAGE = _("Only web addresses starting with https:// or http:// are accepted.")
URL_USERINFO_MESSAGE = _("A web address must not contain a user name or password.")
URL_TOO_LONG_MESSAGE = _("This web address is too long (at most %(limit)d characters).")
PLATFORM_UNKNOWN_MESSAGE = _("Choose a marketplace or social network from the list.")
PLATFORM_HOST_MESSAGE = _("This link is not a %(platform)s address.")
PLATFORM_HOME_MESSAGE = _("This is the %(platform)s home page. Paste the link to your shop or page.")

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_FORBIDDEN_URL_CHARS = re.compile(r"[\x00-\x20\x7f-\x9f\\\s]")
_HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_TLD = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")
# Characters kept as they are in a path, query or fragment; everything else is percent-encoded,
# which makes the result safe to put in an href and normalising it again a no-op.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = _PATH_SAFE + "?"


def _clean_host(hostname: str) -> str:
    """Return a lower-case ASCII host name (IDN in punycode, no trailing dot), or raise."""
    host = hostname.removesuffix(".")
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise ValidationError(URL_INVALID_MESSAGE, code="invalid_url") from None
    labels = host.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.fullmatch(label) for label in labels):
        raise ValidationError(URL_INVALID_MESSAGE, code="invalid_url")
    if not _TLD.fullmatch(labels[-1]):  # refuses IP addresses and made-up hosts
        raise ValidationError(URL_INVALID_MESSAGE, code="invalid_url")
    return host


def _parse_web_url(value: str) -> tuple[str, str, int | None, str, str, str]:
    """Split a typed link into (scheme, host, port, path, query, fragment), refusing unsafe ones.

    A link without a scheme ("tokopedia.com/toko") gets https. Any scheme other than http(s)
    (javascript:, data:, file:, mailto:) is refused, as are credentials ("user@host"),
    backslashes (which browsers read as "/", so "https://evil.com\\.tokopedia.com" would go to
    evil.com) and whitespace.
    """
    url = value.strip()
    if not url:
        raise ValidationError(URL_INVALID_MESSAGE, code="invalid_url")
    if len(url) > URL_MAX_LENGTH:
        raise ValidationError(URL_TOO_LONG_MESSAGE, code="url_too_long", params={"limit": URL_MAX_LENGTH})
    if _FORBIDDEN_URL_CHARS.search(url):
        raise ValidationError(URL_INVALID_MESSAGE, code="invalid_url")
    if url.startswith("//"):
        url = "https:" + url
    elif "://" not in url:
        scheme = _SCHEME.match(url)
        # "tokopedia.com:443/x" looks like a scheme too; a real scheme has no dot.
        if scheme and "." not in scheme.group(1):
            raise ValidationError(URL_SCHEME_MESSAGE, code="invalid_scheme")
        url = "https://" + url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a bad port, or a netloc that NFKC-normalises into "/", "?", "#" or "@"
        raise ValidationError(URL_INVALID_MESSAGE, code="invalid_url") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ValidationError(URL_SCHEME_MESSAGE, code="invalid_scheme")
    if "@" in parts.netloc:
        raise ValidationError(URL_USERINFO_MESSAGE, code="url_userinfo")
    if not parts.hostname:
        raise ValidationError(URL_INVALID_MESSAGE, code="invalid_url")
    host = _clean_host(parts.hostname)
    path = quote(parts.path, safe=_PATH_SAFE)
    return scheme, host, port, path, quote(parts.query, safe=_QUERY_SAFE), quote(parts.fragment, safe=_QUERY_SAFE)


def _join_url(scheme: str, host: str, port: int | None, path: str, query: str, fragment: str) -> str:
    """Rebuild a URL from its checked parts, leaving out a default port."""
    netloc = host if port is None or port == {"https": 443, "http": 80}[scheme] else f"{host}:{port}"
    url = f"{scheme}://{netloc}{path}"
    if query:
        url += "?" + query
    if fragment:
        url += "#" + fragment
    return url


def host_matches(host: str, allowed: tuple[str, ...]) -> bool:
    """True when ``host`` is one of ``allowed`` or a subdomain of one (never a mere substring)."""
    return any(host == base or host.endswith("." + base) for base in allowed)


def normalize_platform_url(platform: str, url: str) -> str:
    """Return the https link to a shop or page on ``platform``, refusing any other host.

    Every listed platform serves https only, so an http:// link is upgraded rather than refused;
    a port other than 443 is refused. A bare home page ("https://tokopedia.com/") is refused
    because it tells a buyer nothing.
    """
    if platform not in Platform.values:
        raise ValidationError(PLATFORM_UNKNOWN_MESSAGE, code="invalid_platform")
    platform = Platform(platform)
    label = str(platform.label)
    _scheme, host, port, path, query, fragment = _parse_web_url(url)
    if not host_matches(host, PLATFORM_HOSTS[platform]) or port not in (None, 443):
        raise ValidationError(PLATFORM_HOST_MESSAGE, code="wrong_platform_host", params={"platform": label})
    if path in ("", "/") and not query:
        raise ValidationError(PLATFORM_HOME_MESSAGE, code="platform_home_page", params={"platform": label})
    return _join_url("https", host, None, path, query, fragment)


def normalize_website(url: str) -> str:
    """Return a producer's own website link: http or https, any public host name.

    A link typed without a scheme gets https (almost every host serves it); an explicit
    http:// is kept, since some small sites still have no certificate.
    """
    return _join_url(*_parse_web_url(url))
