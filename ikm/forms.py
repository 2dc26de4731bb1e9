"""The owner's forms: the short first profile, the full profile, and the shop links.

Typed identifiers are normalised by ``ikm.identifiers`` (never re-implemented here); each error lands
next to its field and every other typed value is kept.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from galeri.images import ImageUploadField
from ikm.identifiers import (
    URL_MAX_LENGTH,
    Platform,
    normalize_kbli,
    normalize_nib,
    normalize_phone,
    normalize_platform_url,
    normalize_website,
)
from ikm.models import IKM, IKMLink, Region

CHOOSE_AGAIN = _("This picture was fine, but nothing was saved because of the other mistakes: choose it again.")
WHATSAPP_HELP = _("A mobile number buyers can chat with, e.g. 0812-3456-7890.")


class _RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return obj.name


def _clean_whatsapp(value: str) -> str:
    return normalize_phone(value, mobile_only=True) if value.strip() else ""


class IKMCreateForm(forms.Form):
    """The first, short form: enough to start; the rest is filled in later on the profile page."""

    name = forms.CharField(label=_("Business name"), max_length=IKM._meta.get_field("name").max_length)
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "---------"), *IKM._meta.get_field("sector").choices])
    region = _RegionChoiceField(label=_("Regency or city"), queryset=Region.objects.all())
    whatsapp = forms.CharField(label=_("WhatsApp number"), max_length=30, help_text=WHATSAPP_HELP)

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_whatsapp(self) -> str:
        return _clean_whatsapp(self.cleaned_data["whatsapp"])


class IKMProfileForm(forms.ModelForm):
    """Everything the owner may change; status, verification and suspension are staff's, never here."""

    logo = ImageUploadField(
        label=_("Logo"), required=False, widget=forms.FileInput, help_text=_("JPEG, PNG or WebP, at most 10 MB.")
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)
    cover = ImageUploadField(
        label=_("Cover photo"),
        required=False,
        widget=forms.FileInput,
        help_text=_("A wide photo of your workshop or products. JPEG, PNG or WebP, at most 10 MB."),
    )
    remove_cover = forms.BooleanField(label=_("Remove the current cover photo"), required=False)
    region = _RegionChoiceField(label=_("Regency or city"), queryset=Region.objects.all())
    # Typed any usual way, normalised below; the model keeps the canonical form.
    nib = forms.CharField(label=_("NIB"), required=False, max_length=40, help_text=_("13 digits, from OSS."))
    kbli = forms.CharField(label=_("KBLI code"), required=False, max_length=20, help_text=_("5 digits, optional."))
    whatsapp = forms.CharField(label=_("WhatsApp number"), required=False, max_length=30, help_text=WHATSAPP_HELP)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    website = forms.CharField(label=_("Website"), required=False, max_length=URL_MAX_LENGTH)

    class Meta:
        model = IKM
        fields = [
            "name",
            "slug",
            "tagline",
            "story",
            "nib",
            "legal_form",
            "sector",
            "kbli",
            "year_founded",
            "workers_women",
            "workers_men",
            "region",
            "kecamatan",
            "address",
            "latitude",
            "longitude",
            "whatsapp",
            "phone",
            "email",
            "website",
        ]
        widgets = {"story": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The public address is stable once the IKM was verified: links and search engines point to it.
        if self.instance.verified_at is not None:
            self.fields["slug"].disabled = True
            self.fields["slug"].help_text = _("Fixed since the profile was verified.")
        if not self.instance.logo:
            del self.fields["remove_logo"]
        if not self.instance.cover:
            del self.fields["remove_cover"]

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_nib(self) -> str:
        value = self.cleaned_data["nib"].strip()
        if not value:
            return ""
        nib = normalize_nib(value)
        if IKM.objects.filter(nib=nib).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("Another IKM has already registered this NIB."), code="nib_taken")
        return nib

    def clean_kbli(self) -> str:
        value = self.cleaned_data["kbli"].strip()
        return normalize_kbli(value) if value else ""

    def clean_whatsapp(self) -> str:
        return _clean_whatsapp(self.cleaned_data["whatsapp"])

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"]
        return normalize_phone(value) if value.strip() else ""

    def clean_website(self) -> str:
        value = self.cleaned_data["website"].strip()
        return normalize_website(value) if value else ""

    def clean_year_founded(self) -> int | None:
        year = self.cleaned_data["year_founded"]
        if year is not None and not 1900 <= year <= timezone.localdate().year:
            raise ValidationError(
                _("Enter a year between 1900 and %(year)d.") % {"year": timezone.localdate().year}, code="year"
            )
        return year

    def clean_latitude(self) -> Any:
        value = self.cleaned_data["latitude"]
        if value is not None and not -90 <= value <= 90:
            raise ValidationError(_("A latitude is between -90 and 90 (Lampung is about -5)."), code="latitude")
        return value

    def clean_longitude(self) -> Any:
        value = self.cleaned_data["longitude"]
        if value is not None and not -180 <= value <= 180:
            raise ValidationError(_("A longitude is between -180 and 180 (Lampung is about 105)."), code="longitude")
        return value

    def ask_to_choose_images_again(self) -> None:
        """After other mistakes, say that a good logo or cover must be chosen again.

        A browser never fills a file input from the server, so the page shown again has it empty; the owner
        must know that the file was fine but is not saved yet (nothing is saved while any field is wrong).
        """
        for name in ("logo", "cover"):
            if getattr(self, "cleaned_data", {}).get(name) is not None:
                self.add_error(name, ValidationError(CHOOSE_AGAIN, code="choose_again"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        latitude, longitude = data.get("latitude"), data.get("longitude")
        one_missing = (latitude is None) != (longitude is None)
        if one_missing and "latitude" not in self.errors and "longitude" not in self.errors:
            field = "longitude" if longitude is None else "latitude"
            self.add_error(field, _("Enter both latitude and longitude, or neither."))
        return data


class IKMLinkForm(forms.ModelForm):
    url = forms.CharField(label=_("Address"), max_length=URL_MAX_LENGTH)

    class Meta:
        model = IKMLink
        fields = ["platform", "url"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        platform, url = data.get("platform"), data.get("url")
        if platform and url:
            try:
                data["url"] = normalize_platform_url(platform, url)
            except ValidationError as error:
                self.add_error("url", error)
        return data


IKMLinkFormSet = inlineformset_factory(
    IKM, IKMLink, form=IKMLinkForm, extra=2, can_delete=True, max_num=len(Platform), validate_max=True
)
