"""The owner's pages under /dasbor/: who may open them, the first profile, edits, images, links, submission."""

import pytest
from django.core import mail
from django.urls import reverse

from ikm.models import IKM, IKMLink
from moderation.models import Decision
from moderation.services import decision_record

pytestmark = pytest.mark.django_db

OWNER_URLS = ["ikm:dashboard", "ikm:profile-edit", "ikm:profile-create"]
STORY = "Kami membuat keripik pisang sejak 2010 di dapur rumah. " * 3


@pytest.mark.parametrize("name", [*OWNER_URLS, "ikm:profile-submit"])
def test_anonymous_goes_to_login(visitor, name) -> None:
    response = visitor.get(reverse(name)) if name != "ikm:profile-submit" else visitor.post(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["ikm:dashboard", "ikm:profile-edit"])
def test_user_without_ikm_is_sent_to_create_the_profile(client, make_user, name) -> None:
    client.force_login(make_user())
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url == reverse("ikm:profile-create")


def test_owner_with_an_ikm_skips_profile_create(owner_client, owner_ikm) -> None:
    response = owner_client.get(reverse("ikm:profile-create"))
    assert response.url == reverse("ikm:dashboard")


def test_create_profile_makes_a_draft_with_a_unique_slug(client, make_user, make_ikm) -> None:
    make_ikm(name="Keripik Mak Ijah", slug="keripik-mak-ijah")
    user = make_user()
    client.force_login(user)
    response = client.post(
        reverse("ikm:profile-create"),
        {"name": " Keripik Mak Ijah ", "sector": "pangan", "region": "18.71", "whatsapp": "0812 3456 7890"},
    )
    assert response.status_code == 302 and response.url == reverse("ikm:profile-edit")
    ikm = IKM.objects.get(owner=user)
    assert (ikm.name, ikm.slug, ikm.status, ikm.whatsapp) == (
        "Keripik Mak Ijah",
        "keripik-mak-ijah-2",
        IKM.Status.DRAFT,
        "+6281234567890",
    )


@pytest.mark.parametrize(
    ("whatsapp", "message"),
    [("+1 415 555 2671", "Indonesia"), ("(0721) 123456", "WhatsApp"), ("halo", "nomor telepon")],
)
def test_create_profile_refuses_bad_whatsapp_and_keeps_values(client, make_user, whatsapp, message) -> None:
    client.force_login(make_user())
    response = client.post(
        reverse("ikm:profile-create"),
        {"name": "Tapis Baru", "sector": "sandang", "region": "18.01", "whatsapp": whatsapp},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "whatsapp" in form.errors
    html = response.content.decode()
    assert 'value="Tapis Baru"' in html
    assert not IKM.objects.filter(name="Tapis Baru").exists()


def test_dashboard_shows_status_reason_checklist_history_and_panels(owner_client, owner_ikm, staff_user) -> None:
    IKM.objects.filter(pk=owner_ikm.pk).update(status=IKM.Status.NEEDS_CHANGES, status_reason="Foto logo buram.")
    decision_record(
        target=owner_ikm,
        actor=staff_user,
        from_status="submitted",
        to_status="needs_changes",
        reason="Foto logo buram.",
    )
    response = owner_client.get(reverse("ikm:dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Foto logo buram.") == 2  # the status panel and the history
    keys = [item.key for item in response.context["readiness"]]
    assert keys == ["nib", "logo", "story", "whatsapp", "product", "certificate"]
    assert 'id="catalog-panel-title"' in html
    assert 'id="dashboard-events-title"' in html
    assert 'id="dashboard-inquiries-title"' in html


def test_readiness_reflects_the_profile(owner_ikm, make_product) -> None:
    done = {item.key: item.done for item in owner_ikm.readiness()}
    assert done == {
        "nib": False,
        "logo": False,
        "story": False,
        "whatsapp": True,
        "product": False,
        "certificate": False,
    }
    owner_ikm.nib = "1234567890123"
    owner_ikm.story = "Cerita"
    make_product(owner_ikm)
    done = {item.key: item.done for item in owner_ikm.readiness()}
    assert done["nib"] and done["story"] and done["product"] and not done["certificate"]


def test_edit_saves_normalised_identifiers_and_links(owner_client, owner_ikm, profile_data) -> None:
    data = profile_data(
        owner_ikm,
        story=STORY,
        nib="NIB: 1234.5678.90123",
        kbli="10 794",
        phone="(0721) 123456",
        website="makijah.co.id",
        latitude="-5.4",
        longitude="105.26",
        **{"links-0-platform": "tokopedia", "links-0-url": "tokopedia.com/makijah"},
    )
    response = owner_client.post(reverse("ikm:profile-edit"), data)
    assert response.status_code == 302, response.context["form"].errors
    owner_ikm.refresh_from_db()
    assert owner_ikm.nib == "1234567890123"
    assert owner_ikm.kbli == "10794"
    assert owner_ikm.phone == "+62721123456"
    assert owner_ikm.website == "https://makijah.co.id"
    assert owner_ikm.whatsapp == "+6281234567890"
    assert list(owner_ikm.links.values_list("platform", "url")) == [("tokopedia", "https://tokopedia.com/makijah")]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nib", "12345", "13 digit"),
        ("kbli", "1079", "5 digit"),
        ("whatsapp", "+44 20 7946 0958", "Indonesia"),
        ("whatsapp", "(0721) 123456", "WhatsApp"),
        ("phone", "telepon saya", ""),
        ("website", "javascript:alert(1)", ""),
        ("story", "x" * 5001, "5000"),
        ("year_founded", "1800", "1900"),
        ("latitude", "-95", "-90"),
    ],
)
def test_edit_bad_input_is_answered_next_to_the_field_and_other_values_kept(
    owner_client, owner_ikm, profile_data, field, value, message
) -> None:
    data = profile_data(owner_ikm, tagline="Tagline yang diketik", **{field: value})
    if field == "latitude":
        data["longitude"] = "105.2"
    response = owner_client.post(reverse("ikm:profile-edit"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    html = response.content.decode()
    assert "Tagline yang diketik" in html
    assert 'class="error-summary"' in html
    owner_ikm.refresh_from_db()
    assert owner_ikm.tagline == ""


def test_edit_refuses_a_nib_another_ikm_holds(owner_client, owner_ikm, other_ikm, profile_data) -> None:
    IKM.objects.filter(pk=other_ikm.pk).update(nib="1234567890123")
    response = owner_client.post(reverse("ikm:profile-edit"), profile_data(owner_ikm, nib="1234567890123"))
    assert response.status_code == 200 and "nib" in response.context["form"].errors


def test_edit_refuses_a_link_to_the_wrong_site(owner_client, owner_ikm, profile_data) -> None:
    data = profile_data(
        owner_ikm, tagline="Tetap", **{"links-0-platform": "shopee", "links-0-url": "https://www.tokopedia.com/makijah"}
    )
    response = owner_client.post(reverse("ikm:profile-edit"), data)
    assert response.status_code == 200
    assert "url" in response.context["links"].forms[0].errors
    html = response.content.decode()
    assert "https://www.tokopedia.com/makijah" in html and "Tetap" in html
    assert not IKMLink.objects.exists()


def test_edit_refuses_a_file_that_is_not_an_image(owner_client, owner_ikm, profile_data) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = profile_data(owner_ikm, tagline="Tetap ada")
    data["logo"] = SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = owner_client.post(reverse("ikm:profile-edit"), data)
    assert response.status_code == 200
    assert "logo" in response.context["form"].errors
    assert "Tetap ada" in response.content.decode()


def test_logo_and_cover_are_stored_and_replaced_files_deleted(
    owner_client, owner_ikm, profile_data, png_upload, django_capture_on_commit_callbacks
) -> None:
    from django.core.files.storage import default_storage

    data = profile_data(owner_ikm)
    data["logo"], data["cover"] = png_upload(), png_upload("cover.png", (200, 100))
    with django_capture_on_commit_callbacks(execute=True):
        assert owner_client.post(reverse("ikm:profile-edit"), data).status_code == 302
    owner_ikm.refresh_from_db()
    first_logo = owner_ikm.logo
    assert first_logo.startswith("ikm/logos/") and owner_ikm.cover.startswith("ikm/covers/")
    assert (owner_ikm.cover_width, owner_ikm.cover_height) == (200, 100)
    assert default_storage.exists(first_logo)

    data = profile_data(owner_ikm)
    data["logo"] = png_upload()
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("ikm:profile-edit"), data)
    owner_ikm.refresh_from_db()
    assert owner_ikm.logo != first_logo and default_storage.exists(owner_ikm.logo)
    assert not default_storage.exists(first_logo)

    data = profile_data(owner_ikm, remove_cover="on")
    cover = owner_ikm.cover
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("ikm:profile-edit"), data)
    owner_ikm.refresh_from_db()
    assert owner_ikm.cover == "" and not default_storage.exists(cover)


def test_owner_cannot_change_status_or_verification_through_the_form(owner_client, owner_ikm, profile_data) -> None:
    IKM.objects.filter(pk=owner_ikm.pk).update(status=IKM.Status.DRAFT)
    data = profile_data(owner_ikm, status="verified", is_suspended="on", owner="999")
    owner_client.post(reverse("ikm:profile-edit"), data)
    owner_ikm.refresh_from_db()
    assert owner_ikm.status == IKM.Status.DRAFT and not owner_ikm.is_suspended


def test_edits_always_target_the_users_own_ikm(client, owner_ikm, other_ikm, other_owner, profile_data) -> None:
    client.force_login(other_owner)
    # Even a form built from someone else's IKM only ever changes the signed-in owner's.
    data = profile_data(owner_ikm, tagline="Diubah oleh orang lain", slug="tapis-sai-bumi")
    client.post(reverse("ikm:profile-edit"), data)
    owner_ikm.refresh_from_db()
    other_ikm.refresh_from_db()
    assert owner_ikm.tagline == "" and owner_ikm.name == "Keripik Mak Ijah"
    assert other_ikm.tagline == "Diubah oleh orang lain"


def test_slug_is_fixed_once_verified(owner_client, owner_ikm, profile_data) -> None:
    IKM.objects.filter(pk=owner_ikm.pk).update(verified_at="2026-01-01T00:00:00Z")
    owner_ikm.refresh_from_db()
    owner_client.post(reverse("ikm:profile-edit"), profile_data(owner_ikm, slug="nama-baru"))
    owner_ikm.refresh_from_db()
    assert owner_ikm.slug == "keripik-mak-ijah"


def test_slug_can_change_before_verification(owner_client, owner_ikm, profile_data) -> None:
    IKM.objects.filter(pk=owner_ikm.pk).update(status=IKM.Status.DRAFT, verified_at=None)
    owner_ikm.refresh_from_db()
    assert owner_client.post(reverse("ikm:profile-edit"), profile_data(owner_ikm, slug="mak-ijah")).status_code == 302
    owner_ikm.refresh_from_db()
    assert owner_ikm.slug == "mak-ijah"


def test_submit_records_a_decision_and_sets_submitted_at(owner_client, owner, owner_ikm) -> None:
    IKM.objects.filter(pk=owner_ikm.pk).update(status=IKM.Status.DRAFT, story=STORY)
    response = owner_client.post(reverse("ikm:profile-submit"))
    assert response.url == reverse("ikm:dashboard")
    owner_ikm.refresh_from_db()
    assert owner_ikm.status == IKM.Status.SUBMITTED and owner_ikm.submitted_at is not None
    decision = Decision.objects.for_object(owner_ikm).get()
    assert (decision.actor, decision.from_status, decision.to_status) == (owner, "draft", "submitted")
    assert mail.outbox == []


def test_submit_without_a_story_says_what_is_missing(owner_client, owner_ikm) -> None:
    IKM.objects.filter(pk=owner_ikm.pk).update(status=IKM.Status.DRAFT, story="Pendek.")
    response = owner_client.post(reverse("ikm:profile-submit"), follow=True)
    owner_ikm.refresh_from_db()
    assert owner_ikm.status == IKM.Status.DRAFT
    assert "100" in response.content.decode()
    assert not Decision.objects.exists()


def test_submit_twice_is_refused_politely(owner_client, owner_ikm) -> None:
    IKM.objects.filter(pk=owner_ikm.pk).update(status=IKM.Status.SUBMITTED, story=STORY)
    response = owner_client.post(reverse("ikm:profile-submit"), follow=True)
    assert response.status_code == 200
    assert not Decision.objects.exists()


def test_submit_needs_post(owner_client, owner_ikm) -> None:
    assert owner_client.get(reverse("ikm:profile-submit")).status_code == 405


def test_a_good_picture_with_other_mistakes_must_be_chosen_again(
    owner_client, owner_ikm, profile_data, png_upload
) -> None:
    data = profile_data(owner_ikm, tagline="Tetap ada", nib="12345")
    data["logo"] = png_upload()
    response = owner_client.post(reverse("ikm:profile-edit"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "nib" in errors
    assert [error.code for error in errors.as_data()["logo"]] == ["choose_again"]
    assert "Tetap ada" in response.content.decode()
    owner_ikm.refresh_from_db()
    assert owner_ikm.logo == ""


def test_a_good_picture_with_a_wrong_shop_link_must_be_chosen_again(
    owner_client, owner_ikm, profile_data, png_upload
) -> None:
    data = profile_data(owner_ikm, **{"links-0-platform": "shopee", "links-0-url": "https://example.com/toko"})
    data["cover"] = png_upload("cover.png", (200, 100))
    response = owner_client.post(reverse("ikm:profile-edit"), data)
    assert response.status_code == 200
    assert "cover" in response.context["form"].errors
    assert "url" in response.context["links"].forms[0].errors


def test_staff_without_an_ikm_go_to_the_admin(client, staff_user) -> None:
    client.force_login(staff_user)
    response = client.get(reverse("ikm:dashboard"))
    assert response.status_code == 302 and response.url == reverse("admin:index")
