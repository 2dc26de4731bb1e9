"""The one image pipeline every upload goes through: check, decode once, clean, store eagerly.

``prepare_image()`` runs in the form (so a bad file is a form error, not a 500) and returns a
decoded, upright, metadata-free picture no larger than the stored original; ``store_image()`` runs
in the service and writes the original plus a WebP rendition for every width in
``RENDITION_WIDTHS``::

    products/<32 hex>/original.jpg   (or original.png when the picture has real transparency)
    products/<32 hex>/w320.webp
    products/<32 hex>/w640.webp
    products/<32 hex>/w1280.webp

Why each step is there, and the measured cost, is in docs/images.md.
"""

import functools
import io
import math
import posixpath
import re
import struct
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
ORIGINAL_MAX_SIDE = 2000
RENDITION_WIDTHS = (320, 640, 1280)

# Content, not file names, decides the format; Pillow only ever tries these decoders.
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
# What Pillow may report for them: phones sometimes write a JPEG with a second picture (MPO).
_OPENED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP"})
ACCEPT = "image/jpeg,image/png,image/webp"

JPEG_QUALITY = 85
WEBP_QUALITY = 80
# libwebp's effort, 0 (fast) to 6 (small); 4 is its default and fits the CPU budget (docs/images.md).
WEBP_METHOD = 4
PNG_COMPRESS_LEVEL = 6

# Errors Pillow raises on damaged or hostile files, while parsing headers or decoding.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)

# Signatures of image-like formats we refuse, so their owners learn why instead of "damaged file".
_OTHER_FORMAT_SIGNATURES = (
    b"GIF87a",
    b"GIF89a",
    b"BM",  # BMP
    b"II*\x00",  # TIFF
    b"MM\x00*",
    b"%!PS",  # PostScript / EPS
    b"\xc5\xd0\xd3\xc6",  # DOS EPS
    b"%PDF-",
    b"8BPS",  # Photoshop
    b"\x00\x00\x01\x00",  # ICO
    b"\xff\x0a",  # JPEG XL
    b"\x00\x00\x00\x0cJXL ",
)
# HEIC, HEIF and AVIF (iPhones, recent Android) are ISO boxes: "ftyp" then the brand.
_FTYP_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis")
_SVG = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!doctype svg|<svg)", re.I | re.S)
_OURS = re.compile(r"^(?P<dir>.+/[0-9a-f]{32})/original\.(jpg|png)$")
_FOLDER = re.compile(r"^[a-z0-9_-]+(/[a-z0-9_-]+)*$")


MESSAGES = {
    "empty": _("The file is empty."),
    "too_large": _("The file is larger than %(size)d MB."),
    "too_many_pixels": _("The image is larger than %(megapixels)d megapixels. Make it smaller and upload it again."),
    "unsupported_format": _("This type of file is not accepted. Upload a JPEG, PNG or WebP image."),
    "invalid_image": _("The file is not an image or it is damaged. Upload a JPEG, PNG or WebP image."),
}


def _error(code: str, **params: Any) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params or None)


@dataclass(frozen=True)
class PreparedImage:
    """A decoded picture ready to store: upright, sRGB, RGB or RGBA, no metadata, longest side ≤ 2000 px."""

    image: Image.Image
    source_format: str  # "JPEG", "PNG" or "WEBP": what the upload really was

    @property
    def width(self) -> int:
        return self.image.width

    @property
    def height(self) -> int:
        return self.image.height

    @property
    def has_alpha(self) -> bool:
        return self.image.mode == "RGBA"


@dataclass(frozen=True)
class StoredImage:
    name: str  # storage name of the normalised original
    width: int
    height: int


# --- Reading and checking -------------------------------------------------------------------------


def read_upload(fileobj: IO[bytes], *, max_bytes: int) -> bytes:
    """The whole upload, refusing an empty or oversized one before anything parses it.

    The declared size (Django's ``UploadedFile.size``) is checked first, and the read is capped as
    well, so a lying or sizeless stream cannot make us hold more than ``max_bytes + 1`` bytes.
    """
    too_large = ValidationError(MESSAGES["too_large"], code="too_large", params={"size": max_bytes // (1024 * 1024)})
    declared = getattr(fileobj, "size", None)
    if isinstance(declared, int) and declared > max_bytes:
        raise too_large
    try:
        fileobj.seek(0)
    except (AttributeError, OSError):
        pass  # a stream that cannot rewind is read from where it is
    data = fileobj.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large
    if not data:
        raise _error("empty")
    return data


def _is_other_format(data: bytes) -> bool:
    """Whether the bytes look like an image-like format we refuse (GIF, TIFF, HEIC, SVG, EPS, PDF...)."""
    if data.startswith(_OTHER_FORMAT_SIGNATURES):
        return True
    if data[4:8] == b"ftyp" and data[8:12] in _FTYP_BRANDS:
        return True
    return bool(_SVG.match(data[:4096]))


@contextmanager
def _strict_pillow() -> Iterator[None]:
    """Pillow only warns between 89 and 179 megapixels; here that warning is an error like the bomb error.

    Pillow's complaints about broken metadata (corrupt EXIF, odd chunks) are silenced: we throw the
    metadata away, and a phone's sloppy EXIF must not fail an upload or a test run.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def _draft_size(width: int, height: int) -> tuple[int, int] | None:
    """The size to ask the JPEG decoder for: the stored original's, so libjpeg scales by 1/2, 1/4 or 1/8
    in the DCT (several times cheaper than decoding every pixel and resizing) but never below it."""
    longest = max(width, height)
    if longest <= ORIGINAL_MAX_SIDE:
        return None
    return (
        math.ceil(width * ORIGINAL_MAX_SIDE / longest),
        math.ceil(height * ORIGINAL_MAX_SIDE / longest),
    )


def _decode(data: bytes) -> tuple[Image.Image, str]:
    """Open with the allow-list, check the pixel count from the header, and only then decode the first frame."""
    try:
        source = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _error("too_many_pixels", megapixels=MAX_PIXELS // 1_000_000) from error
    except UnidentifiedImageError as error:
        raise _error("unsupported_format" if _is_other_format(data) else "invalid_image") from error
    except _DECODE_ERRORS as error:
        raise _error("invalid_image") from error
    with source:
        if source.format not in _OPENED_FORMATS:
            raise _error("unsupported_format")
        width, height = source.size
        if width < 1 or height < 1:
            raise _error("invalid_image")
        if width * height > MAX_PIXELS:
            raise _error("too_many_pixels", megapixels=MAX_PIXELS // 1_000_000)
        try:
            if source.format in ("JPEG", "MPO") and (size := _draft_size(width, height)):
                source.draft("RGB", size)
            # The first frame of an animation is the one loaded by default; nothing else is decoded.
            source.load()
            icc = source.info.get("icc_profile")
            image = _upright(source)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _error("too_many_pixels", megapixels=MAX_PIXELS // 1_000_000) from error
        except _DECODE_ERRORS as error:
            raise _error("invalid_image") from error
        return _to_rgb(image, icc), ("JPEG" if source.format == "MPO" else source.format)


def _upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation, so a phone photo taken upright is stored upright."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # broken EXIF is metadata we drop anyway: keep the picture as it is stored
        return image.copy()


# --- Colours and modes ----------------------------------------------------------------------------


@functools.cache
def _srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _icc_to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image | None:
    """Convert through the embedded ICC profile (CMYK scans, Display P3 phone photos), or None when there is
    none, it is already sRGB, or it is broken: then the plain conversion is the best we can do."""
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if image.mode != "CMYK" and "srgb" in ImageCms.getProfileDescription(profile).lower():
            return None
        alpha = image.getchannel("A") if image.mode == "RGBA" else None
        base = image.convert("RGB") if alpha is not None else image
        converted = ImageCms.profileToProfile(base, profile, _srgb_profile(), outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None
    if converted is None:
        return None
    if alpha is not None:
        converted.putalpha(alpha)
    return converted


def _to_rgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """RGB, or RGBA when some pixel is not fully opaque; 16-bit greys scaled, not clipped to white."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        # Pillow's I;16 → L conversion clips at 255 instead of scaling: a 16-bit grey PNG would turn white.
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    elif image.mode == "F":
        image = image.convert("L")
    target = "RGBA" if image.has_transparency_data else "RGB"
    converted = _icc_to_srgb(image, icc)
    image = (converted if converted is not None else image).convert(target)
    if target == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")
    return image


def _fit(image: Image.Image, width: int, height: int) -> Image.Image:
    if image.size == (width, height):
        return image
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def prepare_image(fileobj: IO[bytes]) -> PreparedImage:
    """Check and decode an upload; raise ``ValidationError`` with a message for the person who sent it.

    Codes: ``empty``, ``too_large`` (over 10 MB, before parsing), ``too_many_pixels`` (over 40 MP, from
    the header, before decoding), ``unsupported_format`` (GIF, HEIC, SVG, EPS...), ``invalid_image``.
    """
    data = read_upload(fileobj, max_bytes=MAX_UPLOAD_BYTES)
    with _strict_pillow():
        image, source_format = _decode(data)
    longest = max(image.size)
    if longest > ORIGINAL_MAX_SIDE:
        scale = ORIGINAL_MAX_SIDE / longest
        image = _fit(image, max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    # New images copy ``info``; the encoders read the ICC profile and JPEG comment from it, so empty it.
    image.info.clear()
    return PreparedImage(image=image, source_format=source_format)


# --- Encoding and storing -------------------------------------------------------------------------


def encode_original(prepared: PreparedImage) -> tuple[bytes, str]:
    """The normalised original's bytes and extension: JPEG when opaque, PNG when transparency matters."""
    buffer = io.BytesIO()
    if prepared.has_alpha:
        prepared.image.save(buffer, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
        return buffer.getvalue(), "png"
    prepared.image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue(), "jpg"


def _encode_webp(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    return buffer.getvalue()


def _renditions(image: Image.Image) -> Iterator[tuple[int, Image.Image]]:
    """Each rendition from the previous, largest first (cheaper than each from the original); never upscaled."""
    current = image
    for width in sorted(RENDITION_WIDTHS, reverse=True):
        if current.width > width:
            current = _fit(current, width, max(1, round(current.height * width / current.width)))
        yield width, current


def clean_folder(folder: str) -> str:
    """A caller's folder prefix, refused unless plain lowercase segments (no `..`, no user input by mistake)."""
    folder = folder.strip("/")
    if not _FOLDER.match(folder):
        raise ValueError(f"Image folder must be lowercase path segments, not {folder!r}")
    return folder


def store_image(prepared: PreparedImage, *, folder: str, storage: Storage | None = None) -> StoredImage:
    """Write the original and every rendition under a fresh random directory; on failure, remove what was written.

    Every rendition name exists even for a small picture (then it is the original's width), so URLs
    are predictable from the original's name alone.
    """
    storage = storage or default_storage
    directory = f"{clean_folder(folder)}/{uuid.uuid4().hex}"
    content, extension = encode_original(prepared)
    original = f"{directory}/original.{extension}"
    written: list[str] = []
    try:
        written.append(storage.save(original, ContentFile(content)))
        if written[0] != original:
            raise RuntimeError(f"Storage renamed {original!r} to {written[0]!r}; renditions would not be found")
        for width, image in _renditions(prepared.image):
            written.append(storage.save(rendition_name(original, width), ContentFile(_encode_webp(image))))
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    return StoredImage(name=original, width=prepared.width, height=prepared.height)


def rendition_name(name: str, width: int) -> str:
    """``products/ab12…/original.jpg`` → ``products/ab12…/w640.webp``."""
    if width not in RENDITION_WIDTHS:
        raise ValueError(f"No rendition is {width} px wide; widths are {RENDITION_WIDTHS}")
    return posixpath.join(posixpath.dirname(name), f"w{width}.webp")


def rendition_url(name: str, width: int, *, storage: Storage | None = None) -> str:
    return (storage or default_storage).url(rendition_name(name, width))


def delete_image(name: str, *, storage: Storage | None = None) -> None:
    """Remove the original and its renditions; missing files are fine (a retry, or a half-failed store).

    Renditions are only looked for beside a name this module made, so a stray name never deletes neighbours.
    """
    if not name:
        return
    storage = storage or default_storage
    names = [name]
    if _OURS.match(name):
        names += [rendition_name(name, width) for width in RENDITION_WIDTHS]
    for each in names:
        storage.delete(each)


# --- Forms ----------------------------------------------------------------------------------------


class ImageUploadField(forms.FileField):
    """Form field: ``clean()`` runs ``prepare_image()`` and returns a ``PreparedImage``.

    Empty and not required gives ``None`` (``False`` when the "clear" box of an existing image is ticked),
    as Django's ``FileField`` does.
    """

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs.setdefault("accept", ACCEPT)
        return attrs

    def to_python(self, data: Any) -> PreparedImage | None:
        upload = super().to_python(data)
        if upload is None:
            return None
        return prepare_image(upload)
