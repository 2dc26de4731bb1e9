from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.models import Report

REASON_MAX_LENGTH = 2000


class TextField(forms.CharField):
    """A textarea's text with Windows line ends made single, so the browser's maxlength and ours agree."""

    def to_python(self, value: object) -> str:
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n")


class ReasonForm(forms.Form):
    """Staff's reason for a decision, asked on an admin action's intermediate page."""

    reason = TextField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text=_("Required. The owner receives it by email and sees it on their dashboard."),
    )

    def __init__(self, *args: object, label: str | None = None, help_text: str | None = None, **kwargs: object):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        if help_text:
            self.fields["reason"].help_text = help_text


class ReportForm(forms.ModelForm):
    """What a visitor fills in to report a product or an IKM page; no account needed."""

    # The honeypot: hidden from people (visually and from screen readers, out of the tab order); bots fill it.
    HONEYPOT = "fax_number"
    fax_number = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)
    details = TextField(
        label=_("What is wrong?"),
        max_length=Report.DETAILS_MAX_LENGTH,
        help_text=_("At most 2,000 characters. Say what you saw and, if you can, where it can be checked."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    class Meta:
        model = Report
        fields = ["reason", "details", "contact_email"]
        labels = {"reason": _("Reason"), "contact_email": _("Your email (optional)")}
        help_texts = {"contact_email": _("Only staff see it, to ask you about the report if needed.")}
        widgets = {"reason": forms.RadioSelect}

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("auto_id", "report_%s")
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = Report.Reason.choices  # no empty "---------" radio button
        self.fields["contact_email"].widget.attrs.update({"autocomplete": "email"})
        self.fields[self.HONEYPOT].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_bot(self) -> bool:
        """The honeypot was filled: a bot. Check after is_valid()."""
        return bool(self.cleaned_data.get(self.HONEYPOT))

    @property
    def visible_fields_for_display(self) -> list[forms.BoundField]:
        return [field for field in self if field.name != self.HONEYPOT]
