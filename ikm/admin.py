"""Staff's IKM admin: the verification queue, decisions with reasons, ownership transfer; regions read-only."""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ikm import services
from ikm.models import IKM, IKMLink, Region
from moderation.admin_actions import decision_action, reason_action
from moderation.exports import export_ikm_csv


class IKMLinkInline(admin.TabularInline):
    model = IKMLink
    extra = 0
    fields = ["platform", "url"]


@admin.register(IKM)
class IKMAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "sector", "status", "is_suspended", "submitted_at"]
    list_filter = ["status", "is_suspended", "sector", "region"]
    list_select_related = ["region"]
    search_fields = ["name", "nib", "owner__email"]
    autocomplete_fields = ["owner"]
    # Status, verification and suspension change only through the actions, which log and mail the decision.
    readonly_fields = [
        "status",
        "status_reason",
        "submitted_at",
        "verified_at",
        "verified_by",
        "is_suspended",
        "suspended_reason",
        "suspended_at",
        "created_at",
        "updated_at",
    ]
    inlines = [IKMLinkInline]

    def get_readonly_fields(self, request: HttpRequest, obj: IKM | None = None) -> list[str]:
        # Transferring ownership (an account owns at most one IKM) is the superuser's call, not a moderator's.
        if obj is not None and not request.user.is_superuser:
            return [*self.readonly_fields, "owner"]
        return list(self.readonly_fields)

    date_hierarchy = "submitted_at"
    ordering = ["status", "submitted_at", "pk"]
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
        reason_action(
            name="suspend",
            description=_("Suspend (asks for a reason)"),
            decide=lambda ikm, actor, reason: services.ikm_suspend(ikm=ikm, actor=actor, reason=reason),
            done_message=lambda n: ngettext("%(count)d IKM suspended.", "%(count)d IKM suspended.", n),
        ),
        decision_action(
            name="unsuspend",
            description=_("Lift the suspension"),
            decide=lambda ikm, actor: services.ikm_unsuspend(ikm=ikm, actor=actor),
            done_message=lambda n: ngettext(
                "%(count)d IKM no longer suspended.", "%(count)d IKM no longer suspended.", n
            ),
        ),
        export_ikm_csv,
    ]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """Loaded by a data migration from DOMAIN.md's table; staff read it, nobody edits it."""

    list_display = ["code", "bps_code", "name", "kind", "seat"]
    search_fields = ["name", "code", "bps_code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Region | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Region | None = None) -> bool:
        return False
