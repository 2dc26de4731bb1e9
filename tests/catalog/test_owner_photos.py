"""Photos through the owner's page and the one image pipeline: several at once, alt text, at most 8, order, removal."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from catalog import services
from catalog.models import Product, ProductPhoto
from tests.catalog.conftest import jpeg_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(owner_ikm, make_product):
    return make_product(owner_ikm, name="Lempok Durian Asli", status=Product.Status.DRAFT)


def photos_url(product: Product, lang: str = "id") -> str:
    with translation.override(lang):
        return reverse("catalog:owner-product-photos", kwargs={"pk": product.pk})


def upload(client, product, *files, alt: str = "", lang: str = "id"):
    return client.post(
        photos_url(product, lang), {"upload-images": list(files), "upload-alt_text": alt, "action": "upload"}
    )


def positions(product: Product) -> list[int]:
    return list(product.photos.order_by("position").values_list("pk", flat=True))


def test_the_owner_uploads_several_photos_at_once(owner_client, product) -> None:
    response = upload(owner_client, product, jpeg_upload("a.jpg"), jpeg_upload("b.jpg", colour=(10, 200, 30)))
    assert response.status_code == 302
    photos = list(product.photos.order_by("position"))
    assert [p.position for p in photos] == [0, 1]
    for photo in photos:
        assert photo.width == 800 and photo.height == 600
        assert default_storage.exists(photo.image)
        assert photo.image.startswith("products/")
        assert photo.alt == "Lempok Durian Asli"  # the alt text defaults to the product name
    assert product.cover == photos[0]


def test_the_upload_page_renders_a_multiple_file_input(owner_client, product) -> None:
    html = owner_client.get(photos_url(product)).content.decode()
    assert 'type="file"' in html and "multiple" in html
    assert 'accept="image/jpeg,image/png,image/webp"' in html


def test_alt_text_typed_with_the_upload_is_kept(owner_client, product) -> None:
    upload(owner_client, product, jpeg_upload(), alt="Lempok dalam kotak kayu")
    assert product.photos.get().alt == "Lempok dalam kotak kayu"


def test_the_owner_edits_each_photo_description(owner_client, product, add_photos) -> None:
    first, second = add_photos(product, 2)
    response = owner_client.post(
        photos_url(product),
        {
            "action": "describe",
            "alt-TOTAL_FORMS": "2",
            "alt-INITIAL_FORMS": "2",
            "alt-0-id": str(first.pk),
            "alt-0-alt_text": "Lempok utuh",
            "alt-1-id": str(second.pk),
            "alt-1-alt_text": "",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.alt == "Lempok utuh"
    assert second.alt == "Lempok Durian Asli"


def test_a_description_of_another_products_photo_cannot_be_edited(
    owner_client, product, other_ikm, make_product, add_photos
) -> None:
    theirs = add_photos(make_product(other_ikm))[0]
    owner_client.post(
        photos_url(product),
        {
            "action": "describe",
            "alt-TOTAL_FORMS": "1",
            "alt-INITIAL_FORMS": "1",
            "alt-0-id": str(theirs.pk),
            "alt-0-alt_text": "dibajak",
        },
    )
    theirs.refresh_from_db()
    assert theirs.alt_text == ""


def test_an_over_long_description_is_explained(owner_client, product, add_photos) -> None:
    (photo,) = add_photos(product)
    response = owner_client.post(
        photos_url(product, "en"),
        {
            "action": "describe",
            "alt-TOTAL_FORMS": "1",
            "alt-INITIAL_FORMS": "1",
            "alt-0-id": str(photo.pk),
            "alt-0-alt_text": "x" * 201,
        },
    )
    assert response.status_code == 200
    assert "at most 200 characters" in response.content.decode()


def test_a_ninth_photo_is_refused_with_a_clear_message(owner_client, product, add_photos) -> None:
    add_photos(product, 8)
    response = upload(owner_client, product, jpeg_upload("ninth.jpg"), lang="en")
    assert response.status_code == 200
    assert "already has 8 photos" in response.content.decode()
    assert product.photos.count() == 8


def test_too_many_photos_at_once_say_how_many_more_fit(owner_client, product, add_photos) -> None:
    add_photos(product, 6)
    response = upload(owner_client, product, *(jpeg_upload(f"{i}.jpg") for i in range(3)), lang="en")
    assert response.status_code == 200
    assert "you can add 2 more" in response.content.decode()
    assert product.photos.count() == 6


def test_the_service_refuses_a_ninth_photo_too(product, add_photos) -> None:
    from django.core.exceptions import ValidationError

    add_photos(product, 8)
    with pytest.raises(ValidationError):
        add_photos(product, 1)


@pytest.mark.parametrize(
    "bad_file",
    [
        SimpleUploadedFile("not-a-photo.jpg", b"this is plain text, not a JPEG", content_type="image/jpeg"),
        SimpleUploadedFile("script.png", b"<svg onload=alert(1)>", content_type="image/png"),
        SimpleUploadedFile("empty.jpg", b"", content_type="image/jpeg"),
    ],
    ids=["text", "svg", "empty"],
)
def test_a_file_that_is_not_an_image_is_refused_and_nothing_stored(owner_client, product, bad_file) -> None:
    response = upload(owner_client, product, jpeg_upload("good.jpg"), bad_file, lang="en")
    assert response.status_code == 200
    errors = response.context["upload_form"].errors["images"]
    assert errors
    if bad_file.name != "empty.jpg":
        assert any(bad_file.name in e for e in errors)  # the bad file is named
    assert product.photos.count() == 0  # and the good one is not half-saved


def test_uploading_nothing_asks_for_a_photo(owner_client, product) -> None:
    response = upload(owner_client, product, lang="en")
    assert response.status_code == 200
    assert "Choose one or more photos" in response.content.decode()


def test_photos_move_up_and_down(owner_client, product, add_photos) -> None:
    first, second, third = add_photos(product, 3)
    move = reverse("catalog:owner-photo-move", kwargs={"pk": product.pk, "photo_pk": third.pk})
    assert owner_client.post(move, {"direction": "up"}).status_code == 302
    assert positions(product) == [first.pk, third.pk, second.pk]
    owner_client.post(move, {"direction": "up"})
    assert positions(product) == [third.pk, first.pk, second.pk]
    owner_client.post(move, {"direction": "up"})  # already the cover: nothing happens
    assert positions(product) == [third.pk, first.pk, second.pk]
    owner_client.post(move, {"direction": "down"})
    assert positions(product) == [first.pk, third.pk, second.pk]
    assert sorted(product.photos.values_list("position", flat=True)) == [0, 1, 2]
    owner_client.post(move, {"direction": "sideways"})  # ignored
    assert positions(product) == [first.pk, third.pk, second.pk]


def test_removing_a_photo_closes_the_gap_and_deletes_its_file(
    owner_client, product, add_photos, django_capture_on_commit_callbacks
) -> None:
    first, second, third = add_photos(product, 3)
    assert default_storage.exists(second.image)
    remove = reverse("catalog:owner-photo-remove", kwargs={"pk": product.pk, "photo_pk": second.pk})
    with django_capture_on_commit_callbacks(execute=True):
        assert owner_client.post(remove).status_code == 302
    assert not ProductPhoto.objects.filter(pk=second.pk).exists()
    assert not default_storage.exists(second.image)
    assert default_storage.exists(first.image) and default_storage.exists(third.image)
    assert list(product.photos.order_by("position").values_list("pk", "position")) == [(first.pk, 0), (third.pk, 1)]


def test_removing_the_cover_makes_the_next_photo_the_cover(owner, product, add_photos) -> None:
    first, second = add_photos(product, 2)
    services.photo_remove(photo=first, user=owner)
    assert product.cover == ProductPhoto.objects.get(pk=second.pk)
    assert ProductPhoto.objects.get(pk=second.pk).position == 0


def test_a_file_shared_with_another_photo_is_kept(
    owner, product, add_photos, django_capture_on_commit_callbacks
) -> None:
    (photo,) = add_photos(product)
    twin = ProductPhoto.objects.create(
        product=product, image=photo.image, width=photo.width, height=photo.height, position=1
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_remove(photo=photo, user=owner)
    assert default_storage.exists(twin.image)


def test_the_photo_page_offers_move_and_remove_buttons_without_javascript(owner_client, product, add_photos) -> None:
    first, second = add_photos(product, 2)
    html = owner_client.get(photos_url(product)).content.decode()
    move_second = reverse("catalog:owner-photo-move", kwargs={"pk": product.pk, "photo_pk": second.pk})
    assert f'formaction="{move_second}"' in html
    assert 'name="direction" value="up"' in html
    assert reverse("catalog:owner-photo-remove", kwargs={"pk": product.pk, "photo_pk": first.pk}) in html
    assert "<script" not in html.split("<main", 1)[1]
