"""Buyers reaching producers: inquiries sent through Galeri, and the WhatsApp clicks counted on the way out."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from catalog.models import Product
from ikm.models import IKM


class BuyerType(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual or household")
    BUSINESS = "business", _("Business")
    GOVERNMENT = "government", _("Government or public agency")


class InquiryQuerySet(models.QuerySet["Inquiry"]):
    def for_owner(self, user: object) -> "InquiryQuerySet":
        """The inquiries to the IKM this user owns (none for anyone else)."""
        return self.filter(ikm__owner_id=getattr(user, "pk", None))

    def not_spam(self) -> "InquiryQuerySet":
        return self.exclude(status=Inquiry.Status.SPAM)

    def new(self) -> "InquiryQuerySet":
        return self.filter(status=Inquiry.Status.NEW)

    def notification_pending(self) -> "InquiryQuerySet":
        """An email (to the owner or the buyer's confirmation) is still owed; spam is never mailed."""
        return self.filter(Q(owner_notified_at__isnull=True) | Q(buyer_notified_at__isnull=True)).exclude(
            status=Inquiry.Status.SPAM
        )

    def created_before(self, moment: dt.datetime) -> "InquiryQuerySet":
        return self.filter(created_at__lt=moment)

    def with_inbox_data(self) -> "InquiryQuerySet":
        """What an inbox row shows (the product's name and slug), in the same query."""
        return self.select_related("product")


class Inquiry(models.Model):
    """A question from a buyer to an IKM, about one of its products or about the IKM in general.

    The buyer's contact details are personal data: only the IKM's owner and staff see them, and
    ``purge_inquiries`` deletes old inquiries (see docs/inquiries.md for the retention period).
    """

    class Status(models.TextChoices):
        NEW = "new", _("New")
        READ = "read", _("Read")
        REPLIED = "replied", _("Replied")
        CLOSED = "closed", _("Closed")
        SPAM = "spam", _("Spam")

    class Language(models.TextChoices):
        # Names of languages in their own language, as language switchers show them.
        INDONESIAN = "id", "Bahasa Indonesia"
        ENGLISH = "en", "English"

    MESSAGE_MAX_LENGTH = 2000

    ikm = models.ForeignKey(IKM, on_delete=models.CASCADE, related_name="inquiries", verbose_name=_("IKM"))
    # SET_NULL: deleting a product must not delete what buyers asked about it.
    product = models.ForeignKey(
        Product,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("product"),
        help_text=_("Empty when the buyer asked from the IKM's page."),
    )
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone or WhatsApp"), max_length=16, blank=True, help_text=_("Stored as +62…"))
    organization = models.CharField(_("company or agency"), max_length=150, blank=True)
    buyer_type = models.CharField(_("buyer type"), max_length=12, choices=BuyerType, default=BuyerType.INDIVIDUAL)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    message = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language,
        default=Language.INDONESIAN,
        help_text=_("The site's language when the buyer wrote: the confirmation email uses it."),
    )
    status = models.CharField(_("status"), max_length=8, choices=Status, default=Status.NEW)

    # Delivery of the two emails; a failure is recorded here and retried by send_pending_inquiry_mail.
    owner_notified_at = models.DateTimeField(_("owner emailed at"), null=True, blank=True)
    buyer_notified_at = models.DateTimeField(_("confirmation emailed at"), null=True, blank=True)
    notify_attempts = models.PositiveSmallIntegerField(_("email attempts"), default=0)
    notify_attempted_at = models.DateTimeField(_("last email attempt"), null=True, blank=True)
    last_error = models.TextField(_("last email error"), blank=True)

    # HMAC-SHA256 of the client address keyed with SECRET_KEY: lets staff see that many inquiries came from
    # one address without ever storing the address itself.
    ip_hash = models.CharField(_("address hash"), max_length=64, blank=True, editable=False)

    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["new", "read", "replied", "closed", "spam"]),
                name="inquiries_inquiry_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(buyer_type__in=["individual", "business", "government"]),
                name="inquiries_inquiry_buyer_type_valid",
            ),
            models.CheckConstraint(condition=Q(language__in=["id", "en"]), name="inquiries_inquiry_language_valid"),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gt=0), name="inquiries_inquiry_quantity_positive"
            ),
            models.CheckConstraint(condition=~Q(message=""), name="inquiries_inquiry_message_required"),
            models.CheckConstraint(condition=~Q(email=""), name="inquiries_inquiry_email_required"),
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__startswith="+62"), name="inquiries_inquiry_phone_e164_id"
            ),
        ]
        indexes = [
            # The owner's inbox: one IKM's inquiries, filtered by status, newest first; and the new-count in the nav.
            models.Index(fields=["ikm", "status", "-created_at"], name="inquiries_inquiry_inbox_idx"),
            # send_pending_inquiry_mail: only the (few) rows still owed an email are in this partial index.
            models.Index(
                fields=["created_at"],
                condition=Q(owner_notified_at__isnull=True) | Q(buyer_notified_at__isnull=True),
                name="inquiries_inquiry_pending_idx",
            ),
            # purge_inquiries (older than N months) and the staff's figures per month.
            models.Index(fields=["created_at"], name="inquiries_inquiry_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.ikm}"

    def get_absolute_url(self) -> str:
        """The owner's view of it in the inbox (a 404 for anyone else)."""
        return reverse("inquiries:inbox-detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        if self.product_id is not None and self.ikm_id is not None and self.product.ikm_id != self.ikm_id:
            raise ValidationError({"product": _("This product belongs to another IKM.")}, code="product_not_of_ikm")

    @property
    def subject(self) -> str:
        """What the inquiry is about: the product's name, or the IKM's."""
        return self.product.name if self.product_id else self.ikm.name

    @property
    def product_is_public(self) -> bool:
        """Whether the product's page can be linked (its IKM is this inquiry's, so no extra query)."""
        return self.product is not None and self.product.status == Product.Status.PUBLISHED and self.ikm.is_public

    @property
    def phone_is_mobile(self) -> bool:
        """Indonesian mobile numbers are +62 8…: only those can receive a WhatsApp message."""
        return self.phone.startswith("+628")


class ContactClick(models.Model):
    """How many times the WhatsApp button of a product or IKM page was used, one row per target and day.

    Daily counters rather than one row per click: the figures owners and staff need are sums per product,
    IKM and month, which stay cheap at any traffic; a click row would hold nothing more worth keeping
    (no buyer type, and we store nothing about the visitor).
    """

    class Channel(models.TextChoices):
        WHATSAPP = "whatsapp", "WhatsApp"

    ikm = models.ForeignKey(IKM, on_delete=models.CASCADE, related_name="contact_clicks", verbose_name=_("IKM"))
    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contact_clicks",
        verbose_name=_("product"),
        help_text=_("Empty for the button on the IKM's page."),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel, default=Channel.WHATSAPP)
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("clicks"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("contact clicks (per day)")
        verbose_name_plural = _("contact clicks (per day)")
        ordering = ["-day", "ikm", "product"]
        constraints = [
            models.CheckConstraint(condition=Q(channel__in=["whatsapp"]), name="inquiries_contactclick_channel_valid"),
            # Two partial constraints: NULLs are distinct in a plain UNIQUE, and SQLite has no NULLS NOT DISTINCT.
            models.UniqueConstraint(
                fields=["ikm", "product", "channel", "day"],
                condition=Q(product__isnull=False),
                name="inquiries_contactclick_one_row_per_product_day",
            ),
            models.UniqueConstraint(
                fields=["ikm", "channel", "day"],
                condition=Q(product__isnull=True),
                name="inquiries_contactclick_one_row_per_ikm_day",
            ),
        ]
        indexes = [
            # Staff figures per month over every IKM; the owner's figures use the unique constraints' (ikm, ...) index.
            models.Index(fields=["day"], name="inquiries_contactclick_day_idx"),
        ]

    def __str__(self) -> str:
        target = self.product or self.ikm
        return f"{target} · {self.day:%Y-%m-%d}: {self.count}"

    def get_absolute_url(self) -> str:
        return (self.product or self.ikm).get_absolute_url()
