"""Catalog factories: generated photos and scans, photos through the real pipeline, certificates."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def jpeg_bytes(width: int = 800, height: int = 600, colour: tuple[int, int, int] = (180, 120, 60)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def jpeg_upload(name: str = "foto.jpg", **kwargs: object) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


# The smallest well-formed PDF: a header, one empty page, a cross-reference table and the trailer.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n170\n%%EOF\n"
)


def pdf_upload(name: str = "sertifikat.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def add_photos():
    """Add ``count`` generated photos to a product through the real pipeline (services.photos_add)."""
    from catalog import services
    from galeri.images import prepare_image

    def _add_photos(product, count: int = 1):
        images = [prepare_image(jpeg_upload(f"foto-{i}.jpg", colour=(40 * i % 255, 90, 120))) for i in range(count)]
        return services.photos_add(product=product, user=product.ikm.owner, images=images)

    return _add_photos


@pytest.fixture
def make_certification():
    """Create a certificate of an IKM (pending unless told otherwise), covering the given products."""
    from catalog.models import Certification

    counter = {"n": 0}

    def _make_certification(ikm, products=(), **fields):
        counter["n"] += 1
        values = {"type": "halal", "number": f"ID1871{counter['n']:015d}", "issuer": "BPJPH"}
        values.update(fields)
        certification = Certification.objects.create(ikm=ikm, **values)
        certification.products.set(products)
        return certification

    return _make_certification
