from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.forms import OwnProductsField
from catalog.models import Product
from exhibitions.models import Event, ExhibitorApplication
from galeri.images import ImageUploadField
from ikm.models import IKM


class ApplicationForm(forms.Form):
    """An owner's application: up to five of its own published products and a note."""

    products = OwnProductsField(
        label=_("Products to show"),
        queryset=Product.objects.none(),
        required=False,
        help_text=_("Choose up to 5 of your published products."),
    )
    note = forms.CharField(
        label=_("Note to the organisers"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        required=False,
        help_text=_("Optional: what you will show, or what you need (electricity, a table, …)."),
    )

    def __init__(self, *args: object, ikm: IKM, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Only the IKM's own published products are choices: another IKM's product is "not a valid choice".
        self.fields["products"].queryset = Product.objects.published().filter(ikm=ikm).order_by("name", "pk")

    def clean_products(self) -> list[Product]:
        products = list(self.cleaned_data["products"])
        if len(products) > ExhibitorApplication.MAX_PRODUCTS:
            raise forms.ValidationError(
                _("Choose at most %(max)d products."),
                code="too_many",
                params={"max": ExhibitorApplication.MAX_PRODUCTS},
            )
        return products


class RejectForm(forms.Form):
    """The reason staff give when rejecting applications (the owner reads it)."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("The owner reads this in the email and on the dashboard."),
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the owner a reason for the rejection."), code="required")
        return reason


class EventAdminForm(forms.ModelForm):
    """The admin's event form. The banner goes through the shared image pipeline (services.event_banner_replace)."""

    banner_upload = ImageUploadField(
        label=_("Banner image"),
        required=False,
        help_text=_("A wide picture (JPEG, PNG or WebP), at least 1280 pixels across. Replaces the current one."),
    )
    banner_remove = forms.BooleanField(label=_("Remove the banner"), required=False)

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "slug",
            "summary",
            "description",
            "starts_at",
            "ends_at",
            "attendance_mode",
            "venue_name",
            "venue_address",
            "region",
            "latitude",
            "longitude",
            "online_url",
            "organiser",
            "organiser_url",
            "applications_open_at",
            "applications_close_at",
            "places",
            "cancellation_note",
        ]
