"""The image pipeline: hostile and odd uploads are refused or normalised, and what is stored is clean.

Every file is made here with Pillow (or, for the bombs, with zlib): no binary fixtures.
"""

import io
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.utils import translation
from PIL import ExifTags, Image, ImageCms, ImageFile

from galeri.images import (
    MAX_UPLOAD_BYTES,
    ORIGINAL_MAX_SIDE,
    RENDITION_WIDTHS,
    ImageUploadField,
    PreparedImage,
    delete_image,
    prepare_image,
    rendition_name,
    rendition_url,
    store_image,
)

RED, BLUE = (220, 20, 30), (20, 40, 220)


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> Iterator[Path]:
    """Stored files go to a fresh folder per test; messages are compared in English."""
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_URL = "/media/"
    with translation.override("en"):
        yield tmp_path


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def encode(image: Image.Image, format: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


def photo(width: int = 800, height: int = 600, mode: str = "RGB") -> Image.Image:
    """A picture with some structure (so encoders and resamplers have work to do)."""
    image = Image.linear_gradient("L").resize((width, height)).convert(mode)
    return Image.blend(image, Image.new(mode, (width, height), RED[: len(mode)] if mode != "L" else 90), 0.5)


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def handmade_png(width: int, height: int, *, bit_depth: int, color_type: int, row: bytes) -> bytes:
    """A valid PNG whose every row is ``row``, compressed as it goes: a 20000 × 20000 one is ~50 KB."""
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(b"\x00" + row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def open_stored(name: str) -> Image.Image:
    with default_storage.open(name) as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def stored_bytes(name: str) -> bytes:
    with default_storage.open(name) as handle:
        return handle.read()


def all_names(name: str) -> list[str]:
    return [name] + [rendition_name(name, width) for width in RENDITION_WIDTHS]


def rejected(data: bytes, name: str = "photo.jpg") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        prepare_image(upload(data, name))
    return caught.value


@pytest.fixture
def no_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if any pixel data is decoded."""

    def refuse(self: ImageFile.ImageFile) -> None:
        raise AssertionError("decoded an image that should have been refused from its header")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


# --- What is stored -------------------------------------------------------------------------------


def test_a_large_jpeg_is_stored_as_a_2000_px_original_and_three_webp_renditions() -> None:
    stored = store_image(prepare_image(upload(encode(photo(4000, 3000), "JPEG"))), folder="products")

    assert stored.name.startswith("products/") and stored.name.endswith("/original.jpg")
    assert (stored.width, stored.height) == (ORIGINAL_MAX_SIDE, 1500)
    original = open_stored(stored.name)
    assert (original.format, original.size) == ("JPEG", (2000, 1500))
    for width in RENDITION_WIDTHS:
        rendition = open_stored(rendition_name(stored.name, width))
        assert rendition.format == "WEBP"
        assert rendition.size == (width, width * 3 // 4)


def test_a_small_image_is_never_upscaled_but_every_rendition_name_exists() -> None:
    stored = store_image(prepare_image(upload(encode(photo(500, 250), "JPEG"))), folder="products")

    sizes = {width: open_stored(rendition_name(stored.name, width)).size for width in RENDITION_WIDTHS}
    assert sizes == {320: (320, 160), 640: (500, 250), 1280: (500, 250)}


def test_two_uploads_of_the_same_file_get_different_random_names() -> None:
    data = encode(photo(), "JPEG")
    first = store_image(prepare_image(upload(data)), folder="products")
    second = store_image(prepare_image(upload(data)), folder="products")

    assert first.name != second.name
    assert Path(first.name).parent.name != Path(second.name).parent.name
    assert len(Path(first.name).parent.name) == 32


def test_rendition_names_and_urls_follow_from_the_original_name() -> None:
    name = "products/" + "a" * 32 + "/original.jpg"

    assert rendition_name(name, 640) == "products/" + "a" * 32 + "/w640.webp"
    assert rendition_url(name, 320) == "/media/products/" + "a" * 32 + "/w320.webp"
    with pytest.raises(ValueError):
        rendition_name(name, 500)


def test_delete_image_removes_the_original_and_every_rendition() -> None:
    stored = store_image(prepare_image(upload(encode(photo(), "JPEG"))), folder="products")
    assert all(default_storage.exists(name) for name in all_names(stored.name))

    delete_image(stored.name)
    delete_image(stored.name)  # a second call (a retry) is harmless

    assert not any(default_storage.exists(name) for name in all_names(stored.name))


@pytest.mark.parametrize("folder", ["../etc", "Products", "", "products/../x", "a b"])
def test_store_image_refuses_a_folder_that_is_not_plain_segments(folder: str) -> None:
    with pytest.raises(ValueError):
        store_image(prepare_image(upload(encode(photo(), "JPEG"))), folder=folder)


# --- Metadata and orientation ---------------------------------------------------------------------


def gps_exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Galeri test camera"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "S"
    gps[ExifTags.GPS.GPSLatitude] = (5.0, 25.0, 47.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (105.0, 15.0, 58.0)
    return exif


@pytest.mark.parametrize("format", ["JPEG", "PNG", "WEBP"])
def test_gps_exif_and_icc_profiles_are_not_in_any_stored_file(format: str) -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(photo(), format, exif=gps_exif(), icc_profile=srgb)
    with Image.open(io.BytesIO(data)) as sent:
        assert sent.getexif().get_ifd(ExifTags.IFD.GPSInfo), "the upload must carry GPS for this test to mean anything"

    stored = store_image(prepare_image(upload(data)), folder="products")

    for name in all_names(stored.name):
        image = open_stored(name)
        assert not image.getexif()
        assert "exif" not in image.info and "icc_profile" not in image.info
        assert b"Exif" not in stored_bytes(name) and b"Galeri test camera" not in stored_bytes(name)


def test_a_photo_with_exif_orientation_6_is_stored_upright() -> None:
    # Stored sideways by the camera: 400 × 200, red on the left; orientation 6 means "turn 90° clockwise".
    image = Image.new("RGB", (400, 200), BLUE)
    image.paste(RED, (0, 0, 200, 200))
    data = encode(image, "JPEG", exif=gps_exif(orientation=6))

    stored = store_image(prepare_image(upload(data)), folder="products")

    assert (stored.width, stored.height) == (200, 400)
    original = open_stored(stored.name)
    assert original.size == (200, 400)
    top, bottom = original.getpixel((100, 50)), original.getpixel((100, 350))
    assert top[0] > 180 and top[2] < 80, "the camera's left edge is the picture's top"
    assert bottom[2] > 180 and bottom[0] < 80
    assert open_stored(rendition_name(stored.name, 320)).size == (200, 400)


def test_a_script_appended_to_a_jpeg_is_not_stored() -> None:
    data = encode(photo(), "JPEG") + b"<script>alert(document.cookie)</script>"

    stored = store_image(prepare_image(upload(data)), folder="products")

    assert all(b"<script>" not in stored_bytes(name) for name in all_names(stored.name))


# --- Modes and formats that are accepted ----------------------------------------------------------


def test_a_cmyk_jpeg_is_stored_as_rgb() -> None:
    data = encode(Image.new("CMYK", (300, 200), (0, 255, 255, 0)), "JPEG")

    stored = store_image(prepare_image(upload(data)), folder="products")

    original = open_stored(stored.name)
    assert original.mode == "RGB"
    red, green, blue = original.getpixel((150, 100))
    assert red > 200 and green < 60 and blue < 60


def test_a_non_srgb_colour_profile_is_converted_through_and_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    # No wide-gamut profile ships with Pillow: an sRGB one that calls itself something else takes the same path.
    monkeypatch.setattr(ImageCms, "getProfileDescription", lambda profile: "Display P3")
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(Image.new("RGB", (300, 200), RED), "PNG", icc_profile=srgb)

    stored = store_image(prepare_image(upload(data, "photo.png", "image/png")), folder="products")

    original = open_stored(stored.name)
    assert "icc_profile" not in original.info
    assert all(abs(a - b) <= 6 for a, b in zip(original.getpixel((150, 100)), RED, strict=True))


def test_a_broken_colour_profile_does_not_lose_the_photo() -> None:
    data = encode(Image.new("RGB", (300, 200), RED), "JPEG", icc_profile=b"not a profile" * 20)

    stored = store_image(prepare_image(upload(data)), folder="products")

    assert "icc_profile" not in open_stored(stored.name).info


def test_a_16_bit_grey_png_is_scaled_not_clipped_to_white() -> None:
    data = encode(Image.new("I;16", (300, 200), 40000), "PNG")

    stored = store_image(prepare_image(upload(data, "scan.png", "image/png")), folder="products")

    original = open_stored(stored.name)
    assert original.mode == "RGB"
    assert abs(original.getpixel((150, 100))[0] - 40000 // 256) <= 2


def test_a_16_bit_rgb_png_is_accepted() -> None:
    # Pillow cannot write 16-bit RGB, so the file is built by hand: every pixel (0xF000, 0x1000, 0x1000).
    data = handmade_png(300, 200, bit_depth=16, color_type=2, row=b"\xf0\x00\x10\x00\x10\x00" * 300)

    prepared = prepare_image(upload(data, "scan.png", "image/png"))

    assert prepared.image.mode == "RGB"
    assert prepared.image.getpixel((10, 10)) == (0xF0, 0x10, 0x10)


def test_a_png_with_transparency_keeps_it_in_the_original_and_the_renditions() -> None:
    image = Image.new("RGBA", (400, 300), (*RED, 255))
    image.paste((0, 0, 0, 0), (0, 0, 200, 300))
    data = encode(image, "PNG")

    stored = store_image(prepare_image(upload(data, "logo.png", "image/png")), folder="logos")

    assert stored.name.endswith("/original.png")
    for name in all_names(stored.name):
        stored_image = open_stored(name)
        assert stored_image.mode == "RGBA"
        assert stored_image.getpixel((5, 5))[3] == 0
        assert stored_image.getpixel((stored_image.width - 5, 5))[3] == 255


def test_a_palette_png_with_a_transparent_colour_keeps_transparency() -> None:
    image = Image.new("P", (200, 100), 1)
    image.putpalette([0, 0, 0, *RED] + [0] * 762)
    image.paste(0, (0, 0, 100, 100))
    data = encode(image, "PNG", transparency=0)

    prepared = prepare_image(upload(data, "logo.png", "image/png"))

    assert prepared.image.mode == "RGBA"
    assert prepared.image.getpixel((10, 10))[3] == 0 and prepared.image.getpixel((150, 10)) == (*RED, 255)


def test_a_fully_opaque_rgba_png_is_stored_as_jpeg() -> None:
    data = encode(photo(mode="RGBA"), "PNG")

    stored = store_image(prepare_image(upload(data, "photo.png", "image/png")), folder="products")

    assert stored.name.endswith("/original.jpg")


@pytest.mark.parametrize("format", ["WEBP", "PNG"])
def test_an_animation_is_stored_as_its_first_frame(format: str) -> None:
    frames = [Image.new("RGB", (200, 100), colour) for colour in (RED, BLUE, (20, 200, 40))]
    data = encode(frames[0], format, save_all=True, append_images=frames[1:], duration=100, loop=0)
    with Image.open(io.BytesIO(data)) as sent:
        assert getattr(sent, "n_frames", 1) == 3

    stored = store_image(prepare_image(upload(data, "animation.webp", "image/webp")), folder="products")

    red, green, blue = open_stored(stored.name).getpixel((100, 50))
    assert red > 180 and blue < 80


def test_a_two_picture_mpo_from_a_camera_is_accepted_as_its_first_picture() -> None:
    first, second = Image.new("RGB", (300, 200), RED), Image.new("RGB", (300, 200), BLUE)
    data = encode(first, "MPO", save_all=True, append_images=[second])

    prepared = prepare_image(upload(data))

    assert prepared.source_format == "JPEG"
    assert prepared.image.getpixel((150, 100))[0] > 180


# --- What is refused ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (10_000, 5_000),  # 50 MP: over our 40 MP limit, under Pillow's own warning
        (10_000, 10_000),  # 100 MP: where Pillow only warns
        (20_000, 20_000),  # 400 MP: where Pillow itself refuses
    ],
)
def test_a_decompression_bomb_is_refused_without_being_decoded(width: int, height: int, no_decoding: None) -> None:
    data = handmade_png(width, height, bit_depth=1, color_type=0, row=bytes((width + 7) // 8))
    assert len(data) < 200_000

    error = rejected(data, "bomb.png")

    assert error.code == "too_many_pixels"
    assert error.messages == ["The image is larger than 40 megapixels. Make it smaller and upload it again."]


def test_a_file_over_10_mb_is_refused_before_it_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed a file that should have been refused by its size")

    monkeypatch.setattr(Image, "open", refuse)
    data = encode(photo(), "JPEG")
    data += bytes(11 * 1024 * 1024 - len(data))
    assert len(data) > MAX_UPLOAD_BYTES

    error = rejected(data)

    assert error.code == "too_large"
    assert error.messages == ["The file is larger than 10 MB."]


def test_a_stream_without_a_size_is_still_capped() -> None:
    with pytest.raises(ValidationError) as caught:
        prepare_image(io.BytesIO(bytes(MAX_UPLOAD_BYTES + 1)))
    assert caught.value.code == "too_large"


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        prepare_image(io.BytesIO(b""))
    assert caught.value.code == "empty"
    assert caught.value.messages == ["The file is empty."]


def test_a_truncated_jpeg_is_refused() -> None:
    data = encode(photo(), "JPEG")

    error = rejected(data[: len(data) // 2])

    assert error.code == "invalid_image"
    assert error.messages == ["The file is not an image or it is damaged. Upload a JPEG, PNG or WebP image."]


def test_an_eps_named_jpg_is_refused_and_never_reaches_ghostscript() -> None:
    data = encode(Image.new("RGB", (50, 50), RED), "EPS")
    assert data.startswith(b"%!PS")

    error = rejected(data, "photo.jpg")

    assert error.code == "unsupported_format"
    assert error.messages == ["This type of file is not accepted. Upload a JPEG, PNG or WebP image."]


def test_a_gif_is_refused() -> None:
    error = rejected(encode(Image.new("RGB", (50, 50), RED), "GIF"), "photo.gif")

    assert error.code == "unsupported_format"


def test_a_gif_with_a_script_appended_is_refused() -> None:
    data = encode(Image.new("RGB", (50, 50), RED), "GIF") + b"\n/*\x00*/=1;alert(document.domain);//"

    assert rejected(data, "photo.jpg").code == "unsupported_format"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "invalid_image"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "unsupported_format"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "unsupported_format"),
        (b"<?php system($_GET['c']); ?>", "invalid_image"),
        (b"\xff\xd8\xff<?php system($_GET['c']); ?>", "invalid_image"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "unsupported_format"),
    ],
    ids=["html", "svg-xml", "svg", "php", "php-behind-jpeg-magic", "heic"],
)
def test_a_file_that_is_not_a_jpeg_png_or_webp_is_refused_whatever_its_name(data: bytes, code: str) -> None:
    assert rejected(data, "photo.jpg").code == code


# --- The form field -------------------------------------------------------------------------------


class PhotoForm(forms.Form):
    photo = ImageUploadField()
    optional = ImageUploadField(required=False)


def test_the_form_field_returns_a_prepared_image() -> None:
    form = PhotoForm(data={}, files={"photo": upload(encode(photo(), "JPEG"))})

    assert form.is_valid(), form.errors
    assert isinstance(form.cleaned_data["photo"], PreparedImage)
    assert form.cleaned_data["optional"] is None


def test_the_form_field_shows_why_a_file_was_refused() -> None:
    form = PhotoForm(data={}, files={"photo": upload(b"<html></html>", "photo.jpg")})

    assert not form.is_valid()
    assert form.errors["photo"] == ["The file is not an image or it is damaged. Upload a JPEG, PNG or WebP image."]


def test_the_form_field_asks_the_browser_for_images_only() -> None:
    assert 'accept="image/jpeg,image/png,image/webp"' in str(PhotoForm()["photo"])


# --- The template tag -----------------------------------------------------------------------------


def render(source: str, **context: object) -> str:
    return Template("{% load galeri_images %}" + source).render(Context(context))


def test_the_template_tag_renders_srcset_size_and_escaped_alt() -> None:
    name = "products/" + "b" * 32 + "/original.jpg"
    base = "/media/products/" + "b" * 32

    html = render("{% responsive_image name 2000 1500 alt %}", name=name, alt='"><script>alert(1)</script>')

    assert html.startswith("<img ") and html.endswith(">")
    assert f'src="{base}/w640.webp"' in html
    assert f'srcset="{base}/w320.webp 320w, {base}/w640.webp 640w, {base}/w1280.webp 1280w"' in html
    assert 'sizes="(min-width: 40em) 33vw, 100vw"' in html
    assert 'width="640" height="480"' in html
    assert 'alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert "<script>" not in html
    assert 'loading="lazy"' in html and 'decoding="async"' in html
    assert "fetchpriority" not in html and "class=" not in html


def test_the_template_tag_for_the_first_large_image_loads_eagerly_with_priority() -> None:
    html = render(
        '{% responsive_image name 900 1200 "" sizes="100vw" loading="" fetchpriority="high" css_class="hero" %}',
        name="products/" + "c" * 32 + "/original.jpg",
    )

    assert "loading=" not in html
    assert 'fetchpriority="high"' in html and 'class="hero"' in html and 'alt=""' in html
    assert 'width="640" height="853"' in html


def test_the_template_tag_describes_a_small_image_truthfully() -> None:
    html = render("{% responsive_image name 500 250 'Keripik' %}", name="p/" + "d" * 32 + "/original.jpg")

    assert "w320.webp 320w, " in html and "w640.webp 500w" in html and "1280" not in html
    assert 'width="500" height="250"' in html


def test_the_template_tag_renders_nothing_without_an_image() -> None:
    assert render("{% responsive_image '' None None 'x' %}") == ""
