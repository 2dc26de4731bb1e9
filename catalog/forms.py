"""The owner's forms: products (with the three ways to price), photos and certificates.

Forms only validate and shape input; the writes and the publishing rules are in ``catalog.services``.
"""

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.certificate_numbers import ISSUERS, CertificateType, normalize_certificate_number
from catalog.models import Category, Certification, Product, ProductPhoto
from galeri.documents import DocumentUploadField
from galeri.images import prepare_image
from ikm.models import IKM

# Whole rupiah: Rp1 up to Rp999.999.999.999 (a bus or a factory line fits; a typo with extra zeros does not).
PRICE_MAX = 999_999_999_999
# "25000", "25.000", "Rp 25.000", "Rp25.000,00": dots group thousands, a comma starts the (zero) cents.
_RUPIAH = re.compile(r"(?:rp\.?)?\s*(?P<int>[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,(?P<cents>[0-9]{1,2}))?", re.I)


class RupiahField(forms.CharField):
    """A price in whole rupiah, typed the Indonesian way ("25.000" is twenty-five thousand)."""

    default_error_messages = {
        "invalid": _("Enter the price in whole rupiah, digits only, e.g. 25000 or 25.000."),
        "negative": _("The price must be a positive amount."),
        "cents": _("Rupiah prices have no cents: enter a whole amount, e.g. 25000."),
        "too_large": _("The price can be at most Rp999.999.999.999."),
    }

    max_typed_length = 30

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "maxlength": self.max_typed_length})

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value).replace(" ", "").replace("\u00a0", "")
        if not text:
            return None
        if len(text) > self.max_typed_length:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if text.startswith("-") or text.lower().startswith("rp-"):
            raise ValidationError(self.error_messages["negative"], code="negative")
        match = _RUPIAH.fullmatch(text)
        if not match:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if match["cents"] and int(match["cents"]) != 0:
            raise ValidationError(self.error_messages["cents"], code="cents")
        amount = int(match["int"].replace(".", ""))
        if amount < 1:
            raise ValidationError(self.error_messages["negative"], code="negative")
        if amount > PRICE_MAX:
            raise ValidationError(self.error_messages["too_large"], code="too_large")
        return amount

    def prepare_value(self, value: Any) -> Any:
        # Show a stored amount the way it was typed most often: 25000 → "25.000".
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return value


class PriceKind(models.TextChoices):
    """How the owner prices: stored as price_min alone, price_min and price_max, or neither."""

    FIXED = "fixed", _("Fixed price")
    RANGE = "range", _("Price range")
    NEGO = "nego", _("Negotiable (harga nego)")


def category_choices() -> list[tuple[Any, Any]]:
    """Subcategories grouped under their parent (<optgroup>): a product sits in exactly one subcategory."""
    groups: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    for category in (
        Category.objects.select_related("parent")
        .filter(parent__isnull=False)
        .order_by("parent__position", "parent__name", "position", "name")
    ):
        label, options = groups.setdefault(category.parent_id, (category.parent.display_name, []))
        options.append((category.pk, category.display_name))
    return [("", _("Choose a category"))] + [(label, options) for label, options in groups.values()]


class ProductForm(forms.ModelForm):
    """Everything an owner describes about a product. Status, slug and featured are not here: see services."""

    price_kind = forms.ChoiceField(
        label=_("Price"),
        choices=PriceKind,
        widget=forms.RadioSelect,
        initial=PriceKind.FIXED,
        help_text=_("A fixed price, a range (e.g. depending on size or quantity), or negotiable."),
    )
    price_min = RupiahField(label=_("Price or lowest price (Rp)"), help_text=_("Whole rupiah, e.g. 25000 or 25.000."))
    price_max = RupiahField(label=_("Highest price (Rp)"), help_text=_("Only for a price range."))

    class Meta:
        model = Product
        fields = [
            "name",
            "category",
            "short_description",
            "description",
            "price_kind",
            "price_min",
            "price_max",
            "unit",
            "min_order",
            "net_amount",
            "net_unit",
            "availability",
            "lead_time_days",
            "capacity_per_month",
            "capacity_unit",
            "tkdn_percent",
            "shelf_life_days",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "short_description": forms.TextInput(),
        }
        help_texts = {
            "short_description": _("One sentence shown on the product card, at most 200 characters."),
            "min_order": _("In the unit above, e.g. 10 (pack)."),
            "capacity_per_month": _("How much you can make in a month: government and company buyers ask."),
            "lead_time_days": _("For pre-orders: how many days from order to delivery."),
            "shelf_life_days": _("For food and drink."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The queryset validates; the grouped choices (set after it, which would reset them) render.
        self.fields["category"].queryset = Category.objects.filter(parent__isnull=False)
        self.fields["category"].choices = category_choices()
        self.fields["category"].error_messages["invalid_choice"] = _("Choose a category from the list.")
        self.fields["min_order"].validators.append(MinValueValidator(1, _("The minimum order is at least 1.")))
        self.fields["min_order"].widget.attrs["min"] = 1
        tkdn = self.fields["tkdn_percent"]
        tkdn.validators += [
            MinValueValidator(0, _("TKDN is a percentage between 0 and 100.")),
            MaxValueValidator(100, _("TKDN is a percentage between 0 and 100.")),
        ]
        tkdn.widget.attrs.update({"min": 0, "max": 100})
        net = self.fields["net_amount"]
        net.validators.append(MinValueValidator(Decimal("0.01"), _("The net weight or volume must be more than 0.")))
        net.widget.attrs["min"] = "0.01"
        if self.instance.pk and not self.is_bound:
            self.initial["price_kind"] = (
                PriceKind.NEGO
                if self.instance.price_min is None
                else PriceKind.RANGE
                if self.instance.price_max is not None
                else PriceKind.FIXED
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("price_kind")
        low, high = data.get("price_min"), data.get("price_max")
        if kind == PriceKind.NEGO:
            data["price_min"] = data["price_max"] = None
        elif kind == PriceKind.FIXED:
            if low is None and "price_min" not in self.errors:
                self.add_error("price_min", _("Enter the price, or choose a negotiable price."))
            data["price_max"] = None
        elif kind == PriceKind.RANGE:
            if low is None and "price_min" not in self.errors:
                self.add_error("price_min", _("Enter the lowest price of the range."))
            if high is None and "price_max" not in self.errors:
                self.add_error("price_max", _("Enter the highest price of the range."))
            if low is not None and high is not None:
                if high < low:
                    self.add_error("price_max", _("The highest price must not be lower than the lowest price."))
                elif high == low:
                    data["price_max"] = None  # one price, not a range
        net_amount, net_unit = data.get("net_amount"), data.get("net_unit")
        if net_amount is not None and not net_unit:
            self.add_error("net_unit", _("Choose the unit of the net weight or volume."))
        if net_amount is None and net_unit:
            data["net_unit"] = ""
        return data

    def _post_clean(self) -> None:
        # Copy the shaped prices to the instance before the model's own validation runs.
        if hasattr(self, "cleaned_data"):
            for name in ("price_min", "price_max", "net_unit"):
                if name in self.cleaned_data:
                    setattr(self.instance, name, self.cleaned_data[name])
        super()._post_clean()

    def product_data(self) -> dict[str, Any]:
        """The validated values the services copy onto the product."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "price_kind"}


# --- Photos --------------------------------------------------------------------------------------


class MultipleImageInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.Field):
    """Several images in one file input; each goes through the one image pipeline (``prepare_image``).

    Every file is checked, so a bad one is named in the message while the good ones are not lost
    to a vague error; nothing is stored unless all of them are fine.
    """

    widget = MultipleImageInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
    default_error_messages = {"required": _("Choose one or more photos to add.")}

    def __init__(self, *, max_files: int = ProductPhoto.MAX_PER_PRODUCT, **kwargs: Any) -> None:
        self.max_files = max_files
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if self.max_files <= 0:
            raise ValidationError(
                _("This product already has 8 photos. Remove one before adding another."), code="too_many_photos"
            )
        if len(files) > self.max_files:
            raise ValidationError(
                _("A product has at most %(max)d photos: you can add %(room)d more."),
                code="too_many_photos",
                params={"max": ProductPhoto.MAX_PER_PRODUCT, "room": self.max_files},
            )
        prepared, errors = [], []
        for upload in files:
            try:
                prepared.append(prepare_image(upload))
            except ValidationError as error:
                errors.extend(
                    ValidationError(
                        _("%(file)s: %(problem)s"), code="invalid_image", params={"file": upload.name, "problem": m}
                    )
                    for m in error.messages
                )
        if errors:
            raise ValidationError(errors)
        return prepared


class PhotoUploadForm(forms.Form):
    images = MultipleImageField(
        label=_("Choose photos"),
        help_text=_("JPEG, PNG or WebP, at most 10 MB each; up to 8 photos per product. The first photo is the cover."),
    )
    alt_text = forms.CharField(
        label=_("Description for screen readers"),
        max_length=200,
        required=False,
        help_text=_("What the photos show, e.g. “Keripik pisang in a 250 g pouch”. Empty: the product name."),
    )

    def __init__(self, *args: Any, room: int = ProductPhoto.MAX_PER_PRODUCT, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["images"].max_files = max(room, 0)


class PhotoAltForm(forms.ModelForm):
    class Meta:
        model = ProductPhoto
        fields = ["alt_text"]


class BasePhotoAltFormSet(forms.BaseModelFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        # Django validates a model formset's hidden ids against the whole table; only this product's photos count.
        form.fields[self.model._meta.pk.name].queryset = self.get_queryset()


PhotoAltFormSet = forms.modelformset_factory(
    ProductPhoto,
    form=PhotoAltForm,
    formset=BasePhotoAltFormSet,
    extra=0,
    max_num=ProductPhoto.MAX_PER_PRODUCT,
    edit_only=True,
)


# --- Certificates --------------------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


# Ids a product can have (a BigAutoField): Django looks the ticked ids up with ``id IN (...)``, which SQLite
# cannot even send beyond 64 bits (OverflowError, a 500), so an id outside is "not a valid choice" first.
_ID_RANGE = range(1, 2**63)


class OwnProductsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Product) -> str:
        return str(obj)

    def _check_values(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else ():
            try:
                out_of_range = int(str(pk)) not in _ID_RANGE
            except ValueError:
                continue  # not a number: Django's own check names it
            if out_of_range:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)


class CertificationForm(forms.ModelForm):
    """A certificate and the products it covers; the scan is private (owner and staff only)."""

    document = DocumentUploadField(
        label=_("Scan of the certificate"),
        required=False,
        help_text=_("PDF, JPEG, PNG or WebP, at most 5 MB. Only you and the verifying staff can open it."),
    )
    products = OwnProductsField(
        queryset=Product.objects.none(),
        required=False,
        label=_("Products it covers"),
        help_text=_("One certificate, e.g. a halal certificate, can cover several of your products."),
    )

    class Meta:
        model = Certification
        # document and products are declared above, not copied onto the model by the form: the services store them.
        fields = ["type", "number", "issuer", "issued_on", "expires_on"]
        widgets = {"issued_on": DateInput(), "expires_on": DateInput()}
        help_texts = {
            "number": _("As printed, e.g. ID33110018517710724 (halal) or MD 224510107115 (BPOM)."),
            "issuer": _("Leave empty for the usual issuer of this type (BPJPH, BPOM, …)."),
        }

    def __init__(self, *args: Any, ikm: IKM, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ikm = ikm
        self.instance.ikm = ikm
        self.fields["products"].queryset = (
            Product.objects.filter(ikm=ikm).exclude(status=Product.Status.ARCHIVED).order_by("name", "pk")
        )
        if self.instance.pk:
            self.initial.setdefault("products", [p.pk for p in self.instance.products.all()])
        else:
            # A new certificate needs its scan: staff verify against it.
            self.fields["document"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        cert_type, number = data.get("type"), data.get("number")
        if cert_type and number:
            try:
                data["number"] = normalize_certificate_number(cert_type, number)
            except ValidationError as error:
                self.add_error("number", error)
            else:
                clash = Certification.objects.filter(ikm=self.ikm, type=cert_type, number=data["number"])
                if self.instance.pk:
                    clash = clash.exclude(pk=self.instance.pk)
                if clash.exists():
                    self.add_error("number", _("Your IKM already has this certificate."))
        issued, expires = data.get("issued_on"), data.get("expires_on")
        if issued and expires and expires < issued:
            self.add_error("expires_on", _("The expiry date cannot be before the issue date."))
        if cert_type and not data.get("issuer"):
            data["issuer"] = ISSUERS.get(CertificateType(cert_type), "")
        if cert_type == CertificateType.OTHER and not data.get("issuer"):
            self.add_error("issuer", _("Name the issuer of this certificate."))
        return data

    def _post_clean(self) -> None:
        if hasattr(self, "cleaned_data") and "number" in self.cleaned_data:
            self.instance.number = self.cleaned_data["number"]
        super()._post_clean()

    def certification_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in ("type", "number", "issuer", "issued_on", "expires_on")}


class ReasonForm(forms.Form):
    """Staff's reason for sending something back (admin actions)."""

    reason = forms.CharField(
        label=_("Reason the owner will read"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Say what to change; the owner receives it by email, in Indonesian if you write in Indonesian."),
    )
