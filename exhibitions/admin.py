"""Staff create and publish events, record awards, and decide on exhibitor applications.

Status changes only go through actions (which call the services), so every decision is logged and mailed.
"""

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.forms import BaseModelFormSet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from exhibitions import services
from exhibitions.forms import EventAdminForm, RejectForm
from exhibitions.models import Award, Event, ExhibitorApplication, ProgrammeItem
from galeri.images import rendition_url

Status = ExhibitorApplication.Status


class ProgrammeItemInline(admin.TabularInline):
    model = ProgrammeItem
    extra = 1
    fields = ["starts_at", "title", "place"]


class AwardInline(admin.TabularInline):
    model = Award
    extra = 0
    fields = ["category", "title", "ikm", "product", "position"]
    raw_id_fields = ["ikm", "product"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventAdminForm
    list_display = ["title", "kind", "starts_at", "region", "status", "places", "accepted", "applications_total"]
    list_filter = ["status", "kind", "attendance_mode", "region"]
    search_fields = ["title", "slug", "venue_name", "organiser"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["region"]
    readonly_fields = ["banner_preview", "status", "published_at", "cancelled_at", "created_at", "updated_at"]
    inlines = [ProgrammeItemInline, AwardInline]
    actions = ["publish_events", "cancel_events"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "kind",
                    "title",
                    "slug",
                    "summary",
                    "description",
                    "banner_preview",
                    "banner_upload",
                    "banner_remove",
                ]
            },
        ),
        (_("When"), {"fields": ["starts_at", "ends_at"]}),
        (
            _("Where"),
            {
                "fields": [
                    "attendance_mode",
                    "venue_name",
                    "venue_address",
                    "region",
                    ("latitude", "longitude"),
                    "online_url",
                ]
            },
        ),
        (_("Organiser"), {"fields": ["organiser", "organiser_url"]}),
        (_("Exhibitor applications"), {"fields": ["applications_open_at", "applications_close_at", "places"]}),
        (
            _("Status"),
            {"fields": ["status", "published_at", "cancelled_at", "cancellation_note", "created_at", "updated_at"]},
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Event]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                accepted_count=Count(
                    "applications", filter=Q(applications__status=ExhibitorApplication.Status.ACCEPTED)
                ),
                applications_count=Count("applications"),
            )
        )

    @admin.display(description=_("accepted"), ordering="accepted_count")
    def accepted(self, event: Event) -> int:
        return event.accepted_count

    @admin.display(description=_("applications"), ordering="applications_count")
    def applications_total(self, event: Event) -> int:
        return event.applications_count

    @admin.action(permissions=["change"], description=_("Publish the selected events"))
    def publish_events(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        done = 0
        for event in queryset:
            try:
                services.event_publish(event=event, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{event}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request, ngettext("%(count)d event published.", "%(count)d events published.", done) % {"count": done}
            )

    @admin.action(
        permissions=["change"], description=_("Cancel the selected events (they stay visible, marked cancelled)")
    )
    def cancel_events(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        done = 0
        for event in queryset:
            try:
                services.event_cancel(event=event, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{event}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request, ngettext("%(count)d event cancelled.", "%(count)d events cancelled.", done) % {"count": done}
            )

    def save_model(self, request: HttpRequest, obj: Event, form: EventAdminForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.event_banner_replace(
            event=obj, image=form.cleaned_data.get("banner_upload"), remove=form.cleaned_data.get("banner_remove")
        )

    @admin.display(description=_("current banner"))
    def banner_preview(self, event: Event) -> str:
        if not event.banner:
            return "—"
        return format_html('<img src="{}" alt="" width="320">', rendition_url(event.banner, 320))


class BoothFormSet(BaseModelFormSet):
    """The changelist's booth column: two exhibitors of one event given the same booth in one save is refused.

    Each form alone only checks the database, which still holds the old numbers.
    """

    def clean(self) -> None:
        super().clean()
        seen: set[tuple[int, str]] = set()
        for form in self.forms:
            booth = (getattr(form, "cleaned_data", None) or {}).get("booth", "").strip()
            if not booth:
                continue
            key = (form.instance.event_id, booth)
            if key in seen:
                form.add_error("booth", _("This booth is already given to another exhibitor of this event."))
            seen.add(key)


@admin.register(ExhibitorApplication)
class ExhibitorApplicationAdmin(admin.ModelAdmin):
    list_display = ["ikm", "event", "status", "booth", "submitted_at", "decided_at"]
    list_display_links = ["ikm"]
    list_editable = ["booth"]
    list_filter = ["status", ("event", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["ikm__name", "event__title"]
    list_select_related = ["ikm", "event"]
    ordering = ["-submitted_at"]
    fields = [
        "event",
        "ikm",
        "product_list",
        "note",
        "status",
        "reason",
        "booth",
        "submitted_at",
        "decided_at",
        "decided_by",
    ]
    readonly_fields = [
        "event",
        "ikm",
        "product_list",
        "note",
        "status",
        "reason",
        "submitted_at",
        "decided_at",
        "decided_by",
    ]
    actions = ["accept_applications", "waitlist_applications", "reject_applications"]

    def get_changelist_formset(self, request: HttpRequest, **kwargs: object) -> type[BaseModelFormSet]:
        return super().get_changelist_formset(request, formset=BoothFormSet, **kwargs)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Owners apply from the event page; staff only decide.
        return False

    @admin.display(description=_("products to show"))
    def product_list(self, application: ExhibitorApplication) -> str:
        return ", ".join(p.name for p in application.products.all()) or "—"

    def _decide_each(
        self,
        request: HttpRequest,
        queryset: QuerySet[ExhibitorApplication],
        decide: Callable[[ExhibitorApplication], object],
        done_message: Callable[[int], str],
    ) -> None:
        done = 0
        # First come, first served when places run out.
        for application in queryset.order_by("submitted_at", "pk"):
            try:
                decide(application)
            except ValidationError as exc:
                self.message_user(request, f"{application}: {' '.join(exc.messages)}", messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)

    @admin.action(permissions=["change"], description=_("Accept the selected applications"))
    def accept_applications(self, request: HttpRequest, queryset: QuerySet[ExhibitorApplication]) -> None:
        self._decide_each(
            request,
            queryset,
            lambda a: services.application_accept(application=a, actor=request.user),
            lambda n: ngettext("%(count)d application accepted.", "%(count)d applications accepted.", n),
        )

    @admin.action(permissions=["change"], description=_("Put the selected applications on the waiting list"))
    def waitlist_applications(self, request: HttpRequest, queryset: QuerySet[ExhibitorApplication]) -> None:
        self._decide_each(
            request,
            queryset,
            lambda a: services.application_waitlist(application=a, actor=request.user),
            lambda n: ngettext("%(count)d application waitlisted.", "%(count)d applications waitlisted.", n),
        )

    @admin.action(permissions=["change"], description=_("Reject the selected applications (asks for a reason)"))
    def reject_applications(
        self, request: HttpRequest, queryset: QuerySet[ExhibitorApplication]
    ) -> HttpResponse | None:
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            self._decide_each(
                request,
                queryset,
                lambda a: services.application_reject(application=a, actor=request.user, reason=reason),
                lambda n: ngettext("%(count)d application rejected.", "%(count)d applications rejected.", n),
            )
            return None
        return TemplateResponse(
            request,
            "exhibitions/admin/reject_applications.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Reject applications"),
                "opts": self.model._meta,
                "form": form,
                "applications": queryset.select_related("ikm", "event"),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )
