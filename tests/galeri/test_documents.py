"""Certificate scans: a real PDF or image is accepted by its content; anything else is refused."""

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from galeri.documents import (
    MAX_DOCUMENT_BYTES,
    DocumentUploadField,
    PreparedDocument,
    prepare_document,
    store_document,
    validate_document,
)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are compared in English (the msgids)."""
    with translation.override("en"):
        yield


@pytest.fixture
def private_storage(tmp_path: Path) -> FileSystemStorage:
    return FileSystemStorage(location=tmp_path / "private")


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def pillow_file(format: str, size: tuple[int, int] = (600, 400)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (240, 235, 220)).save(buffer, format=format)
    return buffer.getvalue()


def test_a_real_pdf_is_accepted_and_stored_byte_for_byte(private_storage: FileSystemStorage) -> None:
    data = pillow_file("PDF")

    document = prepare_document(upload(data, "sertifikat.pdf"))
    name = store_document(document, folder="certificates", storage=private_storage)

    assert document.kind == "pdf"
    assert name.startswith("certificates/") and name.endswith(".pdf")
    with private_storage.open(name) as handle:
        assert handle.read() == data


@pytest.mark.parametrize(("format", "kind"), [("JPEG", "jpeg"), ("PNG", "png"), ("WEBP", "webp")])
def test_a_scanned_image_is_accepted_and_re_encoded(format: str, kind: str, private_storage: FileSystemStorage) -> None:
    document = prepare_document(upload(pillow_file(format), f"scan.{kind}"))
    name = store_document(document, folder="certificates", storage=private_storage)

    assert document.kind == kind
    assert name.endswith(".jpg")  # opaque scans are stored as JPEG, whatever came in
    with private_storage.open(name) as handle, Image.open(handle) as stored:
        assert (stored.format, stored.size) == ("JPEG", (600, 400))


def test_validate_document_names_the_kind() -> None:
    assert validate_document(upload(pillow_file("PDF"), "a.pdf")) == "pdf"
    assert validate_document(upload(pillow_file("PNG"), "a.pdf")) == "png"


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        b"<?php system($_GET['c']); ?>",
        b"PK\x03\x04 a zip or an office file",
    ],
    ids=["html", "php", "zip"],
)
def test_a_file_that_is_neither_pdf_nor_image_is_refused_whatever_its_name(data: bytes) -> None:
    with pytest.raises(ValidationError) as caught:
        prepare_document(upload(data, "sertifikat.pdf"))

    assert caught.value.code == "invalid_document"
    assert caught.value.messages == [
        "The file is not a PDF or an image, or it is damaged. Upload a PDF, JPEG, PNG or WebP file."
    ]


def test_a_truncated_pdf_is_refused() -> None:
    data = pillow_file("PDF")

    with pytest.raises(ValidationError) as caught:
        prepare_document(upload(data[: len(data) // 2], "sertifikat.pdf"))

    assert caught.value.code == "invalid_pdf"


def test_a_gif_scan_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        prepare_document(upload(pillow_file("GIF"), "scan.gif"))

    assert caught.value.code == "invalid_document"


def test_a_file_over_5_mb_is_refused() -> None:
    data = pillow_file("PDF")
    data = data[:-6] + bytes(6 * 1024 * 1024) + data[-6:]
    assert len(data) > MAX_DOCUMENT_BYTES

    with pytest.raises(ValidationError) as caught:
        prepare_document(upload(data, "sertifikat.pdf"))

    assert caught.value.code == "too_large"
    assert caught.value.messages == ["The file is larger than 5 MB."]


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        prepare_document(io.BytesIO(b""))

    assert caught.value.code == "empty"


def test_store_document_needs_a_document(private_storage: FileSystemStorage) -> None:
    with pytest.raises(ValueError):
        store_document(PreparedDocument(kind="pdf"), folder="certificates", storage=private_storage)


class CertificateForm(forms.Form):
    document = DocumentUploadField()
    optional = DocumentUploadField(required=False)


def test_the_form_field_returns_a_prepared_document() -> None:
    form = CertificateForm(data={}, files={"document": upload(pillow_file("PDF"), "sertifikat.pdf")})

    assert form.is_valid(), form.errors
    assert isinstance(form.cleaned_data["document"], PreparedDocument)
    assert form.cleaned_data["optional"] is None


def test_the_form_field_shows_why_a_file_was_refused() -> None:
    form = CertificateForm(data={}, files={"document": upload(b"<html></html>", "sertifikat.pdf")})

    assert not form.is_valid()
    assert form.errors["document"] == [
        "The file is not a PDF or an image, or it is damaged. Upload a PDF, JPEG, PNG or WebP file."
    ]


def test_the_form_field_asks_the_browser_for_pdfs_and_images() -> None:
    assert 'accept="application/pdf,image/jpeg,image/png,image/webp"' in str(CertificateForm()["document"])
