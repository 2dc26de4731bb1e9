"""The audit trail of staff decisions on anything owners submit (IKM, products, certificates, ...).

A small model of our own rather than django-simple-history: we need the *decision*
(who, from which status to which, why), not every field change, and owners see it
as their status history.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DecisionQuerySet(models.QuerySet["Decision"]):
    def for_object(self, obj: models.Model) -> "DecisionQuerySet":
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class Decision(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("object type"))
    object_id = models.PositiveBigIntegerField(_("object ID"))
    target = GenericForeignKey("content_type", "object_id")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("decided by"),
        help_text=_("Empty when the system or the owner changed the status."),
    )
    from_status = models.CharField(_("from status"), max_length=32, blank=True)
    to_status = models.CharField(_("to status"), max_length=32)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A decision always leads somewhere: the owner's status history shows "from → to".
            models.CheckConstraint(condition=~Q(to_status=""), name="moderation_decision_to_status_required"),
        ]
        indexes = [
            # An object's history, newest first (owner's status history, admin object page).
            models.Index(fields=["content_type", "object_id", "-created_at"], name="moderation_decision_obj_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} #{self.object_id}: {self.from_status or '-'} → {self.to_status}"


class ReportQuerySet(models.QuerySet["Report"]):
    def open(self) -> "ReportQuerySet":
        return self.filter(status=Report.Status.OPEN)

    def with_target(self) -> "ReportQuerySet":
        """The reported product (with its IKM) or IKM, in the same query."""
        return self.select_related("product", "product__ikm", "ikm", "resolved_by")


class Report(models.Model):
    """A member of the public telling staff that a product or an IKM page is wrong, fake or prohibited.

    Exactly one target: ``product`` or ``ikm`` (two foreign keys rather than a generic relation, so the
    database enforces both the target's existence and the "exactly one" rule, and the admin can join them).
    """

    class Reason(models.TextChoices):
        WRONG_INFORMATION = "wrong_information", _("Wrong information")
        FAKE_CERTIFICATE = "fake_certificate", _("Fake or invalid certificate")
        PROHIBITED_PRODUCT = "prohibited_product", _("Prohibited or dangerous product")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")
        DISMISSED = "dismissed", _("Dismissed")

    DETAILS_MAX_LENGTH = 2000

    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("product"),
    )
    ikm = models.ForeignKey(
        "ikm.IKM", on_delete=models.CASCADE, null=True, blank=True, related_name="reports", verbose_name=_("IKM")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason)
    details = models.TextField(_("details"), max_length=DETAILS_MAX_LENGTH)
    contact_email = models.EmailField(
        _("contact email"), blank=True, help_text=_("Optional: staff may write back to the person who reported.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    resolution_note = models.TextField(
        _("resolution note"), max_length=2000, blank=True, help_text=_("What staff found and did.")
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    # HMAC of the client address (inquiries.ratelimit.hash_value): shows repeated reports from one address
    # without storing the address.
    ip_hash = models.CharField(_("address hash"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(product__isnull=False, ikm__isnull=True) | Q(product__isnull=True, ikm__isnull=False),
                name="moderation_report_exactly_one_target",
            ),
            models.CheckConstraint(
                condition=Q(reason__in=["wrong_information", "fake_certificate", "prohibited_product", "other"]),
                name="moderation_report_reason_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "resolved", "dismissed"]), name="moderation_report_status_valid"
            ),
            models.CheckConstraint(condition=~Q(details=""), name="moderation_report_details_required"),
            models.CheckConstraint(
                condition=Q(status="open") | (~Q(resolution_note="") & Q(resolved_at__isnull=False)),
                name="moderation_report_closed_has_note",
            ),
        ]
        indexes = [
            # The staff queue: open reports, oldest first (and its count on the admin index).
            models.Index(fields=["status", "created_at"], name="moderation_report_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.target}"

    def get_absolute_url(self) -> str:
        return self.target.get_absolute_url()

    @property
    def target(self) -> models.Model:
        return self.product if self.product_id else self.ikm

    @property
    def target_ikm(self) -> models.Model:
        """The IKM concerned: the reported one, or the reported product's."""
        return self.product.ikm if self.product_id else self.ikm


class CertificationReminder(models.Model):
    """A marker that the owner was told a certificate expires soon: each reminder goes out once.

    Keyed by the expiry date too, so a certificate renewed with a new date is reminded about again.
    Kept here rather than as fields on catalog.Certification: the reminders are this app's job.
    """

    class Kind(models.TextChoices):
        DAYS_30 = "30d", _("30 days before expiry")
        DAYS_7 = "7d", _("7 days before expiry")

    certification = models.ForeignKey(
        "catalog.Certification", on_delete=models.CASCADE, related_name="reminders", verbose_name=_("certificate")
    )
    kind = models.CharField(_("kind"), max_length=3, choices=Kind)
    expires_on = models.DateField(_("expiry date reminded of"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate reminder")
        verbose_name_plural = _("certificate reminders")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "kind", "expires_on"], name="moderation_certificationreminder_once"
            ),
            models.CheckConstraint(condition=Q(kind__in=["30d", "7d"]), name="moderation_certificationreminder_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.certification} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return self.certification.get_absolute_url()
