"""The audit trail of staff decisions on anything owners submit (IKM, products, certificates, ...).

A small model of our own rather than django-simple-history: we need the *decision*
(who, from which status to which, why), not every field change, and owners see it
as their status history.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
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
        indexes = [
            # An object's history, newest first (owner's status history, admin object page).
            models.Index(fields=["content_type", "object_id", "-created_at"], name="moderation_decision_obj_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} #{self.object_id}: {self.from_status or '-'} → {self.to_status}"
