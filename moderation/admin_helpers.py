"""The decision log on admin pages: ``decision_history(obj)`` for any ModelAdmin's ``readonly_fields``.

Usage in an app's admin (either form)::

    from moderation.admin_helpers import decision_history
    readonly_fields = [..., decision_history]          # a callable: labelled "decisions"

    class IKMAdmin(DecisionHistoryMixin, admin.ModelAdmin):
        readonly_fields = [..., "decision_history"]

Models listed in ``DECISION_MODELS`` also get the history under their change form automatically
(templates/admin/change_form.html), unless the ModelAdmin already shows it as a read-only field.
"""

from django.contrib import admin
from django.db import models
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from moderation.models import Decision

# Models whose staff decisions are logged: their change pages list the decisions.
DECISION_MODELS = frozenset(
    {
        "ikm.ikm",
        "catalog.product",
        "catalog.certification",
        "exhibitions.event",
        "exhibitions.exhibitorapplication",
        "inquiries.inquiry",
        "moderation.report",
    }
)
# Read-only field names that already show the log (the catalog admin's own "history").
HISTORY_FIELD_NAMES = frozenset({"decision_history", "history"})

# Statuses some services log that are not choices of a status field (IKM suspension is a flag).
EXTRA_STATUS_LABELS = {
    "suspended": _("Suspended"),
    "unsuspended": _("Suspension lifted"),
    "active": _("Active"),
}


def status_labels(model: type[models.Model]) -> dict[str, str]:
    """Human labels of the model's status values: its ``status`` field's choices, plus the extra ones."""
    labels: dict[str, str] = dict(EXTRA_STATUS_LABELS)
    try:
        field = model._meta.get_field("status")
    except Exception:  # noqa: BLE001 — a model without a status field: raw values it is
        return labels
    labels.update({str(value): str(label) for value, label in (field.choices or [])})
    return labels


def decision_rows(obj: models.Model) -> list[dict[str, object]]:
    """The object's decisions, newest first, with labels (one query)."""
    if obj is None or obj.pk is None:
        return []
    labels = status_labels(type(obj))
    decisions = Decision.objects.for_object(obj).select_related("actor")
    return [
        {
            "decision": decision,
            "from_label": labels.get(decision.from_status, decision.from_status),
            "to_label": labels.get(decision.to_status, decision.to_status),
        }
        for decision in decisions
    ]


@admin.display(description=_("decisions"))
def decision_history(obj: models.Model) -> SafeString:
    """Who decided what and why, newest first: a table for an admin read-only field."""
    return render_to_string("admin/moderation/decision_history.html", {"rows": decision_rows(obj)})


class DecisionHistoryMixin:
    """Adds a ``decision_history`` read-only field to a ModelAdmin (list it in readonly_fields and fields)."""

    @admin.display(description=_("decisions"))
    def decision_history(self, obj: models.Model) -> SafeString:
        return decision_history(obj)
