"""Certificate scans: a PDF kept as uploaded, or an image re-encoded through the image pipeline.

Scans are private (owner and verifying staff only), so ``store_document()`` has no default storage:
the caller names the private one, and a scan can never land in public media by omission.
"""

import re
import uuid
from dataclasses import dataclass
from typing import IO, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.utils.translation import gettext_lazy as _

from galeri.images import PreparedImage, clean_folder, encode_original, prepare_image, read_upload

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
ACCEPT = "application/pdf,image/jpeg,image/png,image/webp"
KINDS = ("pdf", "jpeg", "png", "webp")

_PDF_HEADER = re.compile(rb"%PDF-[12]\.[0-9]")
# Writers may put a newline or a little padding after the end marker; 1 KiB is what readers tolerate too.
_PDF_TAIL_BYTES = 1024

MESSAGES = {
    "invalid_document": _("The file is not a PDF or an image, or it is damaged. Upload a PDF, JPEG, PNG or WebP file."),
    "invalid_pdf": _("The PDF is damaged or incomplete. Save or export it again and upload the new file."),
}


@dataclass(frozen=True)
class PreparedDocument:
    """A checked scan: the PDF's bytes as uploaded, or the prepared image of a photographed certificate."""

    kind: str  # one of KINDS: what the upload really was
    pdf: bytes | None = None
    image: PreparedImage | None = None


def prepare_document(fileobj: IO[bytes]) -> PreparedDocument:
    """Check a scan by its content; raise ``ValidationError`` (``empty``, ``too_large``, ``invalid_pdf``,
    ``invalid_document``, ``too_many_pixels``) with a message for the person who sent it."""
    data = read_upload(fileobj, max_bytes=MAX_DOCUMENT_BYTES)
    if data.startswith(b"%PDF-"):
        # A header and an end marker: a renamed HTML page or a truncated download fails here. We do not
        # parse further: the file is only ever downloaded (never shown inline) under a sandboxing CSP.
        if not _PDF_HEADER.match(data) or b"%%EOF" not in data[-_PDF_TAIL_BYTES:]:
            raise ValidationError(MESSAGES["invalid_pdf"], code="invalid_pdf")
        return PreparedDocument(kind="pdf", pdf=data)
    try:
        image = prepare_image(ContentFile(data))
    except ValidationError as error:
        if error.code in ("unsupported_format", "invalid_image"):
            raise ValidationError(MESSAGES["invalid_document"], code="invalid_document") from error
        raise
    return PreparedDocument(kind=image.source_format.lower(), image=image)


def validate_document(fileobj: IO[bytes]) -> str:
    """The detected kind ("pdf", "jpeg", "png" or "webp"), or ``ValidationError``."""
    return prepare_document(fileobj).kind


def store_document(document: PreparedDocument, *, folder: str, storage: Storage) -> str:
    """Write the scan under a random name in ``folder`` of the (private) ``storage``; return its name.

    The extension follows what is stored (an uploaded WebP is stored as JPEG), so the download view
    can pick the content type from it.
    """
    folder = clean_folder(folder)
    if document.pdf is not None:
        content, extension = document.pdf, "pdf"
    elif document.image is not None:
        content, extension = encode_original(document.image)
    else:
        raise ValueError("A PreparedDocument holds either a PDF or an image")
    name = f"{folder}/{uuid.uuid4().hex}.{extension}"
    return storage.save(name, ContentFile(content))


class DocumentUploadField(forms.FileField):
    """Form field: ``clean()`` returns a ``PreparedDocument`` (``None`` when empty and not required)."""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs.setdefault("accept", ACCEPT)
        return attrs

    def to_python(self, data: Any) -> PreparedDocument | None:
        upload = super().to_python(data)
        if upload is None:
            return None
        return prepare_document(upload)
