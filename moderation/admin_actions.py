"""Admin actions that apply a staff decision to each selected object, with or without a reason.

Build one per decision and list it in a ModelAdmin's ``actions``::

    from moderation.admin_actions import decision_action, reason_action

    actions = [
        decision_action(
            name="verify",
            description=_("Verify the selected IKM"),
            decide=lambda ikm, actor: services.ikm_verify(ikm=ikm, actor=actor),
            done_message=lambda n: ngettext("%(count)d IKM verified.", "%(count)d IKM verified.", n),
        ),
        reason_action(
            name="request_changes",
            description=_("Request changes (asks for a reason)"),
            decide=lambda ikm, actor, reason: services.ikm_request_changes(ikm=ikm, actor=actor, reason=reason),
            done_message=lambda n: ngettext("%(count)d IKM sent back.", "%(count)d IKM sent back.", n),
        ),
    ]

``reason_action`` shows an intermediate page (templates/admin/moderation/reason_form.html) listing the
selected objects with a required reason; nothing is decided without one. Each object goes through the
service on its own: a ``ValidationError`` or ``PermissionDenied`` on one becomes a warning naming it, and
the others still go through.
"""

from collections.abc import Callable, Iterable

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from moderation.forms import ReasonForm

# Every selected id travels through the intermediate page as a form field; Django refuses a POST with more
# than DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) fields, so a bigger selection is refused up front, politely.
MAX_SELECTED = 500
# The intermediate page names this many objects; the rest are counted.
MAX_LISTED = 50

Done = Callable[[int], str]


def run_decisions(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    objects: Iterable[Model],
    decide: Callable[[Model], object],
    done_message: Done,
) -> int:
    """Apply ``decide`` to each object; one success message with the count, one warning per refusal."""
    done = 0
    for obj in objects:
        try:
            decide(obj)
        except (ValidationError, PermissionDenied) as error:
            reasons = " ".join(error.messages) if isinstance(error, ValidationError) else _("Not allowed.")
            modeladmin.message_user(request, f"{obj}: {reasons}", messages.WARNING)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)
    return done


def _too_many(modeladmin: admin.ModelAdmin, request: HttpRequest, count: int) -> bool:
    if count <= MAX_SELECTED:
        return False
    modeladmin.message_user(
        request,
        _("%(count)d objects are selected: decide on at most %(max)d at once.") % {"count": count, "max": MAX_SELECTED},
        messages.ERROR,
    )
    return True


def decision_action(
    *,
    name: str,
    description: str,
    decide: Callable[[Model, object], object],
    done_message: Done,
    permissions: tuple[str, ...] = ("change",),
) -> Callable[[admin.ModelAdmin, HttpRequest, QuerySet], None]:
    """An action deciding at once (no reason needed): ``decide(obj, actor)`` for each selected object."""

    def action(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
        if _too_many(modeladmin, request, queryset.count()):
            return
        run_decisions(modeladmin, request, queryset, lambda obj: decide(obj, request.user), done_message)

    action.__name__ = name
    return admin.action(description=description, permissions=list(permissions))(action)


def reason_action(
    *,
    name: str,
    description: str,
    decide: Callable[[Model, object, str], object],
    done_message: Done,
    title: str | None = None,
    reason_label: str | None = None,
    reason_help: str | None = None,
    permissions: tuple[str, ...] = ("change",),
) -> Callable[[admin.ModelAdmin, HttpRequest, QuerySet], HttpResponse | None]:
    """An action asking a reason on an intermediate page, then ``decide(obj, actor, reason)`` for each object."""

    def action(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        count = queryset.count()
        if _too_many(modeladmin, request, count):
            return None
        form = ReasonForm(request.POST if "apply" in request.POST else None, label=reason_label, help_text=reason_help)
        if form.is_valid():
            reason = form.cleaned_data["reason"].strip()
            run_decisions(modeladmin, request, queryset, lambda obj: decide(obj, request.user, reason), done_message)
            return None
        opts = modeladmin.model._meta
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": title or str(description),
            "subtitle": None,
            "opts": opts,
            "app_label": opts.app_label,
            "form": form,
            "action_name": name,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "selected_ids": list(queryset.values_list("pk", flat=True)),
            "listed": list(queryset[:MAX_LISTED]),
            "unlisted": max(count - MAX_LISTED, 0),
            "count": count,
            "count_text": ngettext("%(count)d object selected", "%(count)d objects selected", count) % {"count": count},
            "submit_label": title or str(description),
        }
        return TemplateResponse(request, "admin/moderation/reason_form.html", context)

    action.__name__ = name
    return admin.action(description=description, permissions=list(permissions))(action)
