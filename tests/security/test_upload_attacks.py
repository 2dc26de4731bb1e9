"""Hostile uploads through every upload form: refused with a clear message, or stored safely; never a 500.

One table of attacks (``ATTACKS``), each sent through every place that takes a file (``POINTS``): product
photos, the IKM logo and the event banner (pictures), and certificate scans (a PDF or a picture). For each
pair the expected outcome is written down: refused with the message the person reads, or stored. What is
stored is checked too: re-encoded under a random name with an image extension (never the uploaded name or
bytes, so no script or polyglot survives), served as an image with ``X-Content-Type-Options: nosniff``;
scans are kept private and only ever downloaded as attachments under a sandboxing CSP.

The pipeline itself is unit-tested in tests/galeri/test_images.py and test_documents.py; this file proves
that each upload form uses it, end to end.
"""

import io
import mimetypes
import re
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

import pytest
from django.conf import settings
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.html import escape
from PIL import Image

from catalog.models import Certification, ProductPhoto
from exhibitions.models import Event
from galeri.documents import MESSAGES as DOCUMENT_MESSAGES
from galeri.images import MESSAGES as IMAGE_MESSAGES
from galeri.images import RENDITION_WIDTHS, rendition_name
from tests.security.html_forms import form_values, post_data

pytestmark = pytest.mark.django_db

RED, BLUE = (220, 20, 30), (20, 40, 220)


# --- The hostile files ----------------------------------------------------------------------------


def encode(image: Image.Image, format: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


def picture(width: int = 400, height: int = 300) -> Image.Image:
    return Image.linear_gradient("L").resize((width, height)).convert("RGB")


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def handmade_png(width: int, height: int, *, bit_depth: int, color_type: int, row: bytes) -> bytes:
    """A valid PNG whose every row is ``row``, compressed as it goes: 20000 × 20000 pixels in ~50 KB."""
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(b"\x00" + row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def bomb() -> bytes:
    return handmade_png(20_000, 20_000, bit_depth=1, color_type=0, row=bytes(2_500))


def eps() -> bytes:
    return encode(Image.new("RGB", (50, 50), RED), "EPS")


def truncated_jpeg() -> bytes:
    data = encode(picture(), "JPEG")
    return data[: len(data) // 2]


def gif_js_polyglot() -> bytes:
    # A valid GIF that is also a valid script: "GIF89a" parses as an identifier, the rest after /* */ runs.
    return (
        b"GIF89a/*\x01\x00\x01\x00\x00\xff\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x00;"
        b"*/=1;alert(document.domain);"
    )


def animated(format: str) -> bytes:
    frames = [Image.new("RGB", (200, 100), colour) for colour in (RED, BLUE, (20, 200, 40))]
    return encode(frames[0], format, save_all=True, append_images=frames[1:], duration=100, loop=0)


def cmyk_jpeg() -> bytes:
    return encode(Image.new("CMYK", (300, 200), (0, 255, 255, 0)), "JPEG")


def png_16_bit() -> bytes:
    return handmade_png(300, 200, bit_depth=16, color_type=2, row=b"\xf0\x00\x10\x00\x10\x00" * 300)


def over(megabytes: int) -> Callable[[], bytes]:
    def data() -> bytes:
        head = encode(picture(), "JPEG")
        return head + bytes(megabytes * 1024 * 1024 - len(head))

    return data


FAKE_PDF = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"
# A well-formed PDF that is also an HTML page with a script (browsers sniff HTML in the first bytes).
PDF_HTML_POLYGLOT = (
    b"%PDF-1.4\n<html><script>alert(document.cookie)</script>\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass(frozen=True)
class Attack:
    name: str
    filename: str
    content: Callable[[], bytes]
    # What happens at an image point and at the scan point: "stored", or the message the owner reads.
    as_picture: str
    as_scan: str


def _image(code: str, **params: object) -> str:
    return str(IMAGE_MESSAGES[code]) % params if params else str(IMAGE_MESSAGES[code])


def _document(code: str) -> str:
    return str(DOCUMENT_MESSAGES[code])


STORED = "stored"
EMPTY = "empty"  # "The file is empty." from our pipeline, or "The submitted file is empty." from Django's FileField

ATTACKS = [
    Attack("decompression bomb (20000 × 20000 PNG, 50 KB)", "bom.png", bomb, "too_many_pixels", "too_many_pixels"),
    Attack("EPS / PostScript named .jpg", "foto.jpg", eps, "unsupported_format", "invalid_document"),
    Attack("truncated JPEG", "foto.jpg", truncated_jpeg, "invalid_image", "invalid_document"),
    Attack(
        "HTML named .jpg",
        "foto.jpg",
        lambda: b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        "invalid_image",
        "invalid_document",
    ),
    Attack(
        "SVG with a script named .jpg",
        "foto.jpg",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
        "unsupported_format",
        "invalid_document",
    ),
    Attack("PHP named .jpg", "foto.jpg", lambda: b"<?php system($_GET['c']); ?>", "invalid_image", "invalid_document"),
    Attack(
        "PHP behind a JPEG signature",
        "foto.php.jpg",
        lambda: b"\xff\xd8\xff\xe0<?php system($_GET['c']); ?>",
        "invalid_image",
        "invalid_document",
    ),
    Attack("GIF/JavaScript polyglot", "foto.jpg", gif_js_polyglot, "unsupported_format", "invalid_document"),
    Attack("empty file", "foto.jpg", lambda: b"", EMPTY, EMPTY),
    Attack("11 MB file", "besar.jpg", over(11), "too_large", "too_large"),
    Attack("CMYK JPEG", "cmyk.jpg", cmyk_jpeg, STORED, STORED),
    Attack("16-bit RGB PNG", "scan16.png", png_16_bit, STORED, STORED),
    Attack("animated GIF", "animasi.gif", lambda: animated("GIF"), "unsupported_format", "invalid_document"),
    Attack("animated WebP", "animasi.webp", lambda: animated("WEBP"), STORED, STORED),
    Attack(
        "JPEG with a script appended",
        "foto.jpg",
        lambda: encode(picture(), "JPEG") + b"<script>alert(document.cookie)</script>",
        STORED,
        STORED,
    ),
    Attack("a path in the file name", "../../../../etc/passwd.jpg", lambda: encode(picture(), "JPEG"), STORED, STORED),
    Attack("PDF that is not a PDF", "sertifikat.pdf", lambda: FAKE_PDF, "unsupported_format", "invalid_pdf"),
    Attack(
        "PDF/HTML polyglot with PDF JavaScript",
        "sertifikat.pdf",
        lambda: PDF_HTML_POLYGLOT,
        "unsupported_format",
        STORED,
    ),
    Attack(
        "6 MB PDF",
        "sertifikat.pdf",
        lambda: b"%PDF-1.4\n" + bytes(6 * 1024 * 1024) + b"\n%%EOF\n",
        "unsupported_format",
        "too_large",
    ),
]


def expected_message(attack: Attack, *, scan: bool) -> str:
    outcome = attack.as_scan if scan else attack.as_picture
    if outcome == "too_many_pixels":
        return _image(outcome, megapixels=40)
    if outcome == "too_large":
        return _image(outcome, size=5 if scan else 10)
    if outcome in DOCUMENT_MESSAGES and scan:
        return _document(outcome)
    return _image(outcome)


# --- Where files are uploaded ---------------------------------------------------------------------


@dataclass
class Sent:
    """What one upload did: the response, and the stored file names (empty when refused)."""

    response: object
    stored: list[str]
    errors: list[str]


def _errors(response: object, form_key: str, field: str) -> list[str]:
    context = response.context
    form = context[form_key] if form_key in context else None
    if form is None:
        return []
    if form_key == "adminform":
        form = form.form
    return [str(e) for e in form.errors.get(field, [])]


def send_photo(clients: dict[str, Client], objects: dict[str, object], upload: SimpleUploadedFile) -> Sent:
    product = objects["product"]
    before = set(ProductPhoto.objects.filter(product=product).values_list("image", flat=True))
    response = clients["owner"].post(
        f"/en/dasbor/produk/{product.pk}/foto/", {"upload-images": upload, "upload-alt_text": ""}
    )
    after = set(ProductPhoto.objects.filter(product=product).values_list("image", flat=True))
    errors = _errors(response, "upload_form", "images") if response.status_code == 200 else []
    return Sent(response, sorted(after - before), errors)


def send_logo(clients: dict[str, Client], objects: dict[str, object], upload: SimpleUploadedFile) -> Sent:
    ikm = objects["ikm"]
    data = form_values(clients["owner"].get("/en/dasbor/profil/").content.decode(), css_class="ikm-form")
    response = clients["owner"].post("/en/dasbor/profil/", {**post_data(data), "logo": upload})
    ikm.refresh_from_db()
    errors = _errors(response, "form", "logo") if response.status_code == 200 else []
    return Sent(response, [ikm.logo] if ikm.logo else [], errors)


def send_banner(clients: dict[str, Client], objects: dict[str, object], upload: SimpleUploadedFile) -> Sent:
    event = objects["event"]
    with translation.override("en"):
        change = reverse("admin:exhibitions_event_change", args=[event.pk])
    data = form_values(clients["staff"].get(change).content.decode(), form_id="event_form")
    response = clients["staff"].post(change, {**post_data(data), "banner_upload": upload, "_save": "Save"})
    event.refresh_from_db()
    errors = _errors(response, "adminform", "banner_upload") if response.status_code == 200 else []
    return Sent(response, [event.banner] if event.banner else [], errors)


def send_scan(clients: dict[str, Client], objects: dict[str, object], upload: SimpleUploadedFile) -> Sent:
    before = set(Certification.objects.values_list("pk", flat=True))
    response = clients["owner"].post(
        "/en/dasbor/sertifikat/baru/", {"type": "sni", "number": f"SNI {len(before)}", "document": upload}
    )
    new = Certification.objects.exclude(pk__in=before)
    errors = _errors(response, "form", "document") if response.status_code == 200 else []
    return Sent(response, [c.document for c in new], errors)


POINTS: dict[str, tuple[Callable[..., Sent], bool]] = {
    "product photo": (send_photo, False),
    "IKM logo": (send_logo, False),
    "event banner": (send_banner, False),
    "certificate scan": (send_scan, True),
}


@pytest.fixture
def objects(make_ikm, make_product, owner, staff_user) -> dict[str, object]:
    from django.utils import timezone

    ikm = make_ikm(owner=owner, name="Keripik Mak Ijah", slug="keripik-mak-ijah", verified_at=timezone.now())
    product = make_product(ikm, name="Keripik Pisang", slug="keripik-pisang")
    now = timezone.now()
    event = Event.objects.create(
        kind=Event.Kind.PAMERAN,
        title="Pameran Unggah",
        slug="pameran-unggah",
        starts_at=now + timezone.timedelta(days=20),
        ends_at=now + timezone.timedelta(days=20, hours=6),
        venue_name="Graha Wangsa",
        region_id="18.71",
        organiser="Disperindag Provinsi Lampung",
        status=Event.Status.PUBLISHED,
        published_at=now,
    )
    return {"ikm": ikm, "product": product, "event": event}


@pytest.fixture
def clients(owner, staff_user) -> dict[str, Client]:
    made = {}
    for name, user in (("owner", owner), ("staff", staff_user)):
        made[name] = Client(raise_request_exception=False)
        made[name].force_login(user)
    return made


def served(path: str) -> object | None:
    """GET a stored public file through Galeri's own media URL, or None when SERVE_MEDIA is off (production:
    the proxy serves media, with the same nosniff header: docs/security.md)."""
    try:
        resolve(settings.MEDIA_URL + path)
    except Resolver404:
        return None
    return Client().get(settings.MEDIA_URL + path)


# --- The table: every attack through every upload point -------------------------------------------


CASES = [(attack, point) for attack in ATTACKS for point in POINTS]


@pytest.mark.parametrize(("attack", "point"), CASES, ids=[f"{a.name} → {p}" for a, p in CASES])
def test_an_upload_is_refused_with_a_clear_message_or_stored_safely(
    objects, clients, attack: Attack, point: str
) -> None:
    send, is_scan = POINTS[point]
    upload = SimpleUploadedFile(attack.filename, attack.content(), content_type="image/jpeg")

    with translation.override("en"):
        sent = send(clients, objects, upload)
        outcome = attack.as_scan if is_scan else attack.as_picture
        message = "" if outcome in (STORED, EMPTY) else expected_message(attack, scan=is_scan)

    assert sent.response.status_code < 500, getattr(sent.response, "exc_info", None)
    if outcome != STORED:
        assert sent.response.status_code == 200, "refused: the form is shown again"
        assert sent.stored == [], "nothing is stored"
        if outcome == EMPTY:
            assert any("empty" in error for error in sent.errors), sent.errors
        else:
            assert any(message in error for error in sent.errors), (message, sent.errors)
            assert escape(message) in sent.response.content.decode()
        return
    assert sent.response.status_code == 302, sent.errors
    [name] = sent.stored
    if is_scan:
        check_private_scan(clients, name, attack)
    else:
        check_public_picture(name)


def check_public_picture(name: str) -> None:
    """Re-encoded under a random name with an image extension; nothing of the upload's bytes or name survives."""
    assert re.fullmatch(r"(products|ikm/logos|events)/[0-9a-f]{32}/original\.(jpg|png)", name), name
    for stored in [name, *(rendition_name(name, width) for width in RENDITION_WIDTHS)]:
        with default_storage.open(stored) as handle:
            data = handle.read()
        assert b"<script" not in data and b"<?php" not in data and b"alert(" not in data
        with Image.open(io.BytesIO(data)) as image:
            assert image.format in ("JPEG", "PNG", "WEBP") and image.mode in ("RGB", "RGBA")
            assert getattr(image, "n_frames", 1) == 1
        content_type = mimetypes.guess_type(stored)[0]
        assert content_type in ("image/jpeg", "image/png", "image/webp")
        response = served(stored)
        if response is None:
            continue
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["X-Content-Type-Options"] == "nosniff"
        response.close()


def check_private_scan(clients: dict[str, Client], name: str, attack: Attack) -> None:
    """Private (not under MEDIA_ROOT), random name, downloaded only as an attachment that cannot run anything."""
    assert re.fullmatch(r"certificates/[0-9a-f]{32}\.(pdf|jpg|png)", name), name
    assert storages["private"].exists(name) and not default_storage.exists(name)
    certification = Certification.objects.get(document=name)
    response = clients["owner"].get(f"/dasbor/sertifikat/{certification.pk}/dokumen/")
    body = b"".join(response.streaming_content)
    suffix = PurePosixPath(name).suffix
    assert response.status_code == 200
    assert response["Content-Type"] == {".pdf": "application/pdf", ".jpg": "image/jpeg", ".png": "image/png"}[suffix]
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response["Cache-Control"]
    if suffix == ".pdf":
        assert body == attack.content()  # a PDF is kept byte for byte: it is only ever downloaded
    else:
        assert b"<script" not in body  # a picture is re-encoded
    assert Client().get(f"/dasbor/sertifikat/{certification.pk}/dokumen/").status_code in (302, 404)


def test_every_attack_of_the_issue_is_in_the_table() -> None:
    names = " ".join(attack.name for attack in ATTACKS)
    for required in [
        "decompression bomb",
        "EPS",
        "truncated JPEG",
        "HTML named .jpg",
        "SVG",
        "PHP",
        "GIF/JavaScript polyglot",
        "empty file",
        "11 MB",
        "CMYK",
        "16-bit",
        "animated GIF",
        "animated WebP",
        "PDF that is not a PDF",
    ]:
        assert required in names, required
