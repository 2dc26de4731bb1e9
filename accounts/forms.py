"""allauth's forms where Galeri's pages need a different word."""

from allauth.account.forms import AddEmailForm
from django.utils.translation import gettext_lazy as _


class EmailChangeForm(AddEmailForm):
    """The email change page's field: one address per account, so the typed one replaces the current one."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("New email address")
        self.fields["email"].help_text = _(
            "We send a link to this address; it replaces your current one once you follow it."
        )
