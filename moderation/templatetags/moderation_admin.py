"""Admin template pieces: ``{% moderation_queues %}`` on the index, the decision log under change forms.

``{% load moderation_admin %}``
``{% moderation_queues %}``: the counts of what waits for staff, with links (5 queries at most).
``{% decision_history_panel %}``: in templates/admin/change_form.html, the object's decisions (1 query),
only for the models in ``DECISION_MODELS`` and only when the ModelAdmin does not show them itself.
"""

from django import template
from django.contrib import admin

from moderation.admin_helpers import DECISION_MODELS, HISTORY_FIELD_NAMES, decision_rows
from moderation.queues import moderation_queues as _queues

register = template.Library()


@register.inclusion_tag("admin/moderation/queues.html", takes_context=True)
def moderation_queues(context: template.Context) -> dict[str, object]:
    request = context["request"]
    user = request.user
    return {
        "queues": _queues(request, site=admin.site),
        "can_export_ikm": user.has_perm("ikm.view_ikm"),
        "can_export_products": user.has_perm("catalog.view_product"),
    }


@register.inclusion_tag("admin/moderation/decision_panel.html", takes_context=True)
def decision_history_panel(context: template.Context) -> dict[str, object]:
    obj = context.get("original")
    if obj is None or obj.pk is None or obj._meta.label_lower not in DECISION_MODELS:
        return {"show": False}
    adminform = context.get("adminform")
    shown = {getattr(name, "__name__", name) for name in getattr(adminform, "readonly_fields", ())}
    if shown & HISTORY_FIELD_NAMES:
        return {"show": False}
    return {"show": True, "rows": decision_rows(obj)}


@register.simple_tag
def decision_rows_for(obj: object) -> list[dict[str, object]]:
    """The object's decisions (object history page), for the models whose decisions are logged.

    Other models have none, and their primary key need not be a number (a region's is "18.71").
    """
    if obj is None or obj._meta.label_lower not in DECISION_MODELS:
        return []
    return decision_rows(obj)
