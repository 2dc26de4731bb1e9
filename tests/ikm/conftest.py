import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


@pytest.fixture
def png_upload():
    """A small valid PNG upload, fresh for each call."""

    def _png(name: str = "logo.png", size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
        buffer = io.BytesIO()
        Image.new("RGB", size, (122, 31, 43)).save(buffer, "PNG")
        return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")

    return _png


@pytest.fixture
def profile_data():
    """A complete, valid POST of the profile form with no shop links; tests change one value at a time."""

    def _data(ikm, **changes) -> dict:
        data = {
            "name": ikm.name,
            "slug": ikm.slug,
            "tagline": "Keripik renyah dari Bandar Lampung",
            "story": ikm.story,
            "nib": "",
            "legal_form": "",
            "sector": ikm.sector,
            "kbli": "",
            "year_founded": "",
            "workers_women": "3",
            "workers_men": "1",
            "region": ikm.region_id,
            "kecamatan": "",
            "address": "",
            "latitude": "",
            "longitude": "",
            "whatsapp": "0812-3456-7890",
            "phone": "",
            "email": "",
            "website": "",
            "links-TOTAL_FORMS": "2",
            "links-INITIAL_FORMS": "0",
            "links-MIN_NUM_FORMS": "0",
            "links-MAX_NUM_FORMS": "9",
            "links-0-platform": "",
            "links-0-url": "",
            "links-1-platform": "",
            "links-1-url": "",
        }
        data.update(changes)
        return data

    return _data
