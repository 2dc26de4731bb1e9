import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from catalog.models import Product
from ikm.identifiers import normalize_phone
from inquiries.models import BuyerType, Inquiry

# More links than this in a message is how link spam looks; a real buyer rarely needs one.
MAX_LINKS = 2
QUANTITY_MAX = 1_000_000_000

# Email addresses are taken out first: "write to me at budi@gmail.com" is not a link.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A link: a scheme or "www.", or a bare domain name with a common top-level domain ("murah.xyz/promo").
_LINK = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|biz|xyz|top|site|online|shop|store|link|click|ru|cn|id|io|ly)"
    r"\b(?:/\S*)?",
    re.IGNORECASE,
)


def count_links(text: str) -> int:
    return len(_LINK.findall(_EMAIL.sub(" ", text)))


class MessageField(forms.CharField):
    """A textarea's text with Windows line ends made single, so the browser's maxlength and ours agree."""

    def to_python(self, value: object) -> str:
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n")


class InquiryForm(forms.ModelForm):
    """What a buyer fills in on a product or IKM page; no account needed."""

    # The honeypot: hidden from people (visually and from screen readers, out of the tab order) and left
    # empty by them; form-filling bots fill every field. Its name avoids anything browsers autofill.
    HONEYPOT = "fax_number"
    fax_number = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)
    # What people type ("+62 812-3456-7890") is longer than the E.164 form we store.
    phone = forms.CharField(
        label=_("Phone or WhatsApp (optional)"),
        required=False,
        max_length=30,
        help_text=_("An Indonesian number, e.g. 0812-3456-7890, if you would like a reply on WhatsApp."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    quantity = forms.IntegerField(
        label=_("Quantity (optional)"),
        required=False,
        min_value=1,
        max_value=QUANTITY_MAX,
        help_text=_("How many you need, if you know."),
    )
    message = MessageField(
        label=_("Your question"),
        max_length=Inquiry.MESSAGE_MAX_LENGTH,
        help_text=_("At most 2,000 characters. Ask about price, stock, delivery, certificates…"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    class Meta:
        model = Inquiry
        fields = ["name", "email", "phone", "organization", "buyer_type", "quantity", "message"]
        labels = {
            "name": _("Your name"),
            "email": _("Your email"),
            "organization": _("Company or agency (optional)"),
            "buyer_type": _("You are buying as"),
        }
        help_texts = {
            "email": _("The producer replies to this address."),
            "organization": _("Procurement officers: the name of your agency or institution."),
        }
        widgets = {"buyer_type": forms.RadioSelect}

    def __init__(self, *args: object, product: Product | None = None, **kwargs: object) -> None:
        # Distinct ids, so the form can share a page with other forms (search, report) without clashes.
        kwargs.setdefault("auto_id", "inquiry_%s")
        super().__init__(*args, **kwargs)
        self.fields["buyer_type"].choices = BuyerType.choices  # no empty "---------" radio button
        self.fields["name"].widget.attrs.update({"autocomplete": "name"})
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["organization"].widget.attrs.update({"autocomplete": "organization"})
        if product is not None:
            self.fields["quantity"].help_text = _("How many you need, if you know (in %(unit)s).") % {
                "unit": product.get_unit_display()
            }
        self.fields[self.HONEYPOT].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_bot(self) -> bool:
        """The honeypot was filled: a bot. Check after is_valid()."""
        return bool(self.cleaned_data.get(self.HONEYPOT))

    @property
    def visible_fields_for_display(self) -> list[forms.BoundField]:
        return [field for field in self if field.name != self.HONEYPOT]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if count_links(name):
            raise ValidationError(_("Enter your name without web addresses."), code="link_in_name")
        return name

    def clean_organization(self) -> str:
        organization = self.cleaned_data["organization"]
        if count_links(organization):
            raise ValidationError(_("Enter the name without web addresses."), code="link_in_organization")
        return organization

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"]
        return normalize_phone(phone) if phone else ""

    def clean_message(self) -> str:
        message = self.cleaned_data["message"]
        if count_links(message) > MAX_LINKS:
            raise ValidationError(
                ngettext_lazy(
                    "Your message contains too many web addresses: at most %(max)d is allowed.",
                    "Your message contains too many web addresses: at most %(max)d are allowed.",
                    MAX_LINKS,
                ),
                code="too_many_links",
                params={"max": MAX_LINKS},
            )
        return message


class InboxFilterForm(forms.Form):
    """?status= on the inbox; anything unknown means "all but spam"."""

    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("All (without spam)")), *Inquiry.Status.choices],
    )
