"""Staff's moderation tools in the Django admin.

- Reports from the public (resolve or dismiss with a note, optionally unpublishing the product) and the
  read-only decision log and certificate reminders.
- Pages added to the admin site itself (``admin:moderation-statistics``, ``admin:moderation-export-ikm``,
  ``admin:moderation-export-products``), under ``ADMIN_URL``: see ``_add_site_urls``.
- The queues on the admin index come from templates/admin/index.html (``{% moderation_queues %}``).
"""

from functools import partial

from django.conf import settings
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from moderation import admin_views, services
from moderation.admin_actions import reason_action
from moderation.admin_helpers import decision_history
from moderation.models import CertificationReminder, Decision, Report


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by services only: staff read them, nobody edits or deletes them here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "content_type", "target_link", "from_status", "to_status", "actor", "short_reason"]
    list_filter = ["content_type", "to_status", ("actor", admin.EmptyFieldListFilter), "created_at"]
    list_select_related = ["content_type", "actor"]
    search_fields = ["reason", "actor__email", "actor__full_name", "=object_id"]
    date_hierarchy = "created_at"
    fields = ["created_at", "content_type", "object_id", "target_link", "actor", "from_status", "to_status", "reason"]
    readonly_fields = fields

    @admin.display(description=_("object"))
    def target_link(self, decision: Decision) -> str:
        """A link to the object's admin page (no query: the URL is built from the content type)."""
        model = decision.content_type.model_class()
        if model is None or model not in self.admin_site._registry:
            return f"#{decision.object_id}"
        opts = model._meta
        url = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[decision.object_id])
        return format_html('<a href="{}">{} #{}</a>', url, opts.verbose_name, decision.object_id)

    @admin.display(description=_("reason"))
    def short_reason(self, decision: Decision) -> str:
        return decision.reason if len(decision.reason) <= 80 else decision.reason[:79] + "…"


@admin.register(CertificationReminder)
class CertificationReminderAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "certification", "kind", "expires_on"]
    list_filter = ["kind", "sent_at"]
    list_select_related = ["certification", "certification__ikm"]
    search_fields = ["certification__number", "certification__ikm__name"]
    date_hierarchy = "sent_at"


class ReportTargetFilter(admin.SimpleListFilter):
    title = _("reported")
    parameter_name = "target"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("product", _("A product")), ("ikm", _("An IKM"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Report]) -> QuerySet[Report]:
        if self.value() == "product":
            return queryset.filter(product__isnull=False)
        if self.value() == "ikm":
            return queryset.filter(ikm__isnull=False)
        return queryset


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "reason", "target_link", "ikm_name", "status", "short_details", "resolved_by"]
    list_display_links = ["created_at", "reason"]
    list_filter = ["status", "reason", ReportTargetFilter, "created_at"]
    list_select_related = ["product", "product__ikm", "ikm", "resolved_by"]
    search_fields = ["details", "contact_email", "product__name", "ikm__name", "product__ikm__name", "=ip_hash"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    fieldsets = [
        (None, {"fields": ["target_link", "ikm_name", "reason", "details", "contact_email", "created_at"]}),
        (_("Resolution"), {"fields": ["status", "resolution_note", "resolved_by", "resolved_at", decision_history]}),
        (_("Abuse check"), {"fields": ["ip_hash", "reports_from_same_address"]}),
    ]
    # Staff change a report only through the actions (with a note): every field is read-only here.
    readonly_fields = [
        "target_link",
        "ikm_name",
        "reason",
        "details",
        "contact_email",
        "created_at",
        "status",
        "resolution_note",
        "resolved_by",
        "resolved_at",
        decision_history,
        "ip_hash",
        "reports_from_same_address",
    ]
    actions = [
        reason_action(
            name="resolve_reports",
            description=_("Resolve the selected reports (asks for a note)"),
            title=_("Resolve reports"),
            reason_label=_("What you found and did"),
            reason_help=_("Required. Kept with the report for the other staff."),
            decide=lambda report, actor, note: services.report_resolve(report=report, actor=actor, note=note),
            done_message=lambda n: ngettext("%(count)d report resolved.", "%(count)d reports resolved.", n),
        ),
        reason_action(
            name="resolve_and_unpublish",
            description=_("Resolve and take the reported products or IKM off the site (asks for a reason)"),
            title=_("Resolve and take off the site"),
            reason_label=_("Reason the owner will read"),
            reason_help=_(
                "Required. A reported product goes back to its owner as “needs changes”, a reported IKM is "
                "suspended with its products; the owner receives this reason by email. It is also kept with the report."
            ),
            decide=lambda report, actor, note: services.report_resolve(
                report=report, actor=actor, note=note, unpublish=True
            ),
            done_message=lambda n: ngettext(
                "%(count)d report resolved; what it reported is off the site.",
                "%(count)d reports resolved; what they reported is off the site.",
                n,
            ),
        ),
        reason_action(
            name="dismiss_reports",
            description=_("Dismiss the selected reports (asks for a note)"),
            title=_("Dismiss reports"),
            reason_label=_("Why no action is needed"),
            reason_help=_("Required. Kept with the report for the other staff."),
            decide=lambda report, actor, note: services.report_dismiss(report=report, actor=actor, note=note),
            done_message=lambda n: ngettext("%(count)d report dismissed.", "%(count)d reports dismissed.", n),
        ),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # reports come from the public form

    def has_delete_permission(self, request: HttpRequest, obj: Report | None = None) -> bool:
        return False  # closed with a note instead, so the trail stays

    def get_queryset(self, request: HttpRequest) -> QuerySet[Report]:
        return super().get_queryset(request).select_related("product__ikm")

    @admin.display(description=_("reported"))
    def target_link(self, report: Report) -> str:
        target = report.target
        if target is None:
            return "—"
        opts = target._meta
        if type(target) not in self.admin_site._registry:
            return format_html("{}: {}", opts.verbose_name, target)
        url = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[target.pk])
        return format_html('{}: <a href="{}">{}</a>', opts.verbose_name, url, target)

    @admin.display(description=_("IKM"))
    def ikm_name(self, report: Report) -> str:
        return str(report.target_ikm)

    @admin.display(description=_("details"))
    def short_details(self, report: Report) -> str:
        return report.details if len(report.details) <= 80 else report.details[:79] + "…"

    @admin.display(description=_("reports from the same address"))
    def reports_from_same_address(self, report: Report) -> int:
        if not report.ip_hash:
            return 0
        return Report.objects.filter(ip_hash=report.ip_hash).count()


# --- Pages on the admin site itself --------------------------------------------------------------


def _add_site_urls(site: admin.AdminSite) -> None:
    """Put the statistics page and the full exports at the admin's root (``/admin/statistik/`` …).

    The default site is extended in place (as accounts/admin.py routes its login through allauth), rather than
    replaced by an AdminSite subclass: no settings change, and every app keeps registering on ``admin.site``.
    """
    if getattr(site, "_galeri_moderation_urls", False):
        return
    original_get_urls = site.get_urls

    def get_urls() -> list:
        return [
            path(
                "statistik/",
                site.admin_view(partial(admin_views.statistics_view, site=site)),
                name="moderation-statistics",
            ),
            path(
                "ekspor/ikm.csv",
                site.admin_view(partial(admin_views.export_ikm_view, site=site)),
                name="moderation-export-ikm",
            ),
            path(
                "ekspor/produk.csv",
                site.admin_view(partial(admin_views.export_products_view, site=site)),
                name="moderation-export-products",
            ),
            *original_get_urls(),
        ]

    site.get_urls = get_urls
    site._galeri_moderation_urls = True


def _name_site(site: admin.AdminSite) -> None:
    """The site's own name instead of "Django administration" in the header and the browser tab."""
    site.site_header = settings.SITE_NAME
    site.site_title = settings.SITE_NAME
    site.index_title = _("Today's work")


_add_site_urls(admin.site)
_name_site(admin.site)
