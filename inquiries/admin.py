"""Staff see every inquiry (read-only: they are the buyers' words), the WhatsApp click counters, and the figures."""

import datetime as dt

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from inquiries import figures, services
from inquiries.models import BuyerType, ContactClick, Inquiry


class MonthFilter(admin.SimpleListFilter):
    """The last 12 months by name ("Juni 2026"), for "government buyers this month" in two clicks."""

    title = _("month sent")
    parameter_name = "month"
    months = 12
    date_field = "created_at"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        today = timezone.localdate()
        return [
            (f"{m:%Y-%m}", date_format(m, "YEAR_MONTH_FORMAT"))
            for m in (figures.month_start(today, i) for i in range(self.months))
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if not value:
            return queryset
        try:
            start = dt.date.fromisoformat(value + "-01")
        except ValueError:
            return queryset.none()
        end = figures.month_start(start, -1)
        if self.date_field == "day":
            return queryset.filter(day__gte=start, day__lt=end)
        return queryset.filter(created_at__gte=figures.start_of_day(start), created_at__lt=figures.start_of_day(end))


class EmailStateFilter(admin.SimpleListFilter):
    title = _("email")
    parameter_name = "email_state"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("pending", _("Not sent yet")), ("failed", _("Failed, given up")), ("sent", _("Sent"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        pending = Q(owner_notified_at__isnull=True) | Q(buyer_notified_at__isnull=True)
        if self.value() == "pending":
            return queryset.filter(pending, notify_attempts__lt=services.MAX_NOTIFY_ATTEMPTS)
        if self.value() == "failed":
            return queryset.filter(pending, notify_attempts__gte=services.MAX_NOTIFY_ATTEMPTS)
        if self.value() == "sent":
            return queryset.exclude(pending)
        return queryset


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "ikm", "product", "name", "organization", "buyer_type", "status", "emailed"]
    list_filter = ["status", "buyer_type", MonthFilter, "language", EmailStateFilter, "created_at"]
    list_select_related = ["ikm", "product"]
    search_fields = ["name", "email", "organization", "ikm__name", "product__name"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    actions = ["send_pending_mail", "mark_spam"]
    change_list_template = "inquiries/admin/inquiry_change_list.html"
    fieldsets = [
        (None, {"fields": ["ikm", "product", "status", "created_at", "updated_at"]}),
        (_("Buyer"), {"fields": ["name", "email", "phone", "organization", "buyer_type", "quantity", "language"]}),
        (_("Message"), {"fields": ["message"]}),
        (
            _("Email delivery"),
            {
                "fields": [
                    "owner_notified_at",
                    "buyer_notified_at",
                    "notify_attempts",
                    "notify_attempted_at",
                    "last_error",
                    "ip_hash",
                ]
            },
        ),
    ]
    # Staff may only change the status (e.g. spam); what the buyer wrote stays as written.
    readonly_fields = [
        "ikm",
        "product",
        "created_at",
        "updated_at",
        "name",
        "email",
        "phone",
        "organization",
        "buyer_type",
        "quantity",
        "language",
        "message",
        "owner_notified_at",
        "buyer_notified_at",
        "notify_attempts",
        "notify_attempted_at",
        "last_error",
        "ip_hash",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # inquiries come from buyers only

    def save_model(self, request: HttpRequest, obj: Inquiry, form: object, change: bool) -> None:
        """The status is the only editable field: a change goes through the service and the decision log."""
        if "status" in form.changed_data:
            services.inquiry_staff_set_status(inquiry=obj, actor=request.user, to_status=obj.status)

    @admin.display(description=_("emailed"), boolean=True)
    def emailed(self, inquiry: Inquiry) -> bool:
        return inquiry.owner_notified_at is not None and inquiry.buyer_notified_at is not None

    @admin.action(description=_("Send the emails still owed now"), permissions=["change"])
    def send_pending_mail(self, request: HttpRequest, queryset: QuerySet[Inquiry]) -> None:
        pending = list(queryset.notification_pending().values_list("pk", flat=True))
        sent = sum(1 for pk in pending if services.inquiry_notify(inquiry_id=pk))
        failed = len(pending) - sent
        self.message_user(
            request,
            ngettext("%(sent)d inquiry emailed.", "%(sent)d inquiries emailed.", sent) % {"sent": sent},
            messages.SUCCESS,
        )
        if failed:
            self.message_user(
                request,
                ngettext("%(failed)d still failing.", "%(failed)d still failing.", failed) % {"failed": failed},
                messages.WARNING,
            )

    @admin.action(description=_("Mark as spam"), permissions=["change"])
    def mark_spam(self, request: HttpRequest, queryset: QuerySet[Inquiry]) -> None:
        changed = 0
        for inquiry in queryset.exclude(status=Inquiry.Status.SPAM):
            services.inquiry_staff_set_status(inquiry=inquiry, actor=request.user, to_status=Inquiry.Status.SPAM)
            changed += 1
        message = ngettext("%(n)d inquiry marked as spam.", "%(n)d inquiries marked as spam.", changed)
        self.message_user(request, message % {"n": changed})

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """Above the list: the filtered inquiries counted by buyer type, and the IKM they reached (one query)."""
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            response.context_data["buyer_type_summary"] = self._summary(changelist.queryset)
        return response

    def _summary(self, queryset: QuerySet[Inquiry]) -> list[dict[str, object]]:
        counts = queryset.order_by().aggregate(
            **{f"n_{v}": Count("pk", filter=Q(buyer_type=v)) for v in BuyerType.values},
            **{f"ikm_{v}": Count("ikm", distinct=True, filter=Q(buyer_type=v)) for v in BuyerType.values},
        )
        return [
            {"label": label, "inquiries": counts[f"n_{value}"], "ikm": counts[f"ikm_{value}"]}
            for value, label in BuyerType.choices
        ]

    def get_urls(self) -> list:
        return [
            path("figures/", self.admin_site.admin_view(self.figures_view), name="inquiries_inquiry_figures"),
            *super().get_urls(),
        ]

    def figures_view(self, request: HttpRequest) -> HttpResponse:
        """Per month for a year: inquiries by buyer type, IKM reached (and by government buyers), WhatsApp clicks."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        this_month = figures.month_start(today)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Buyer inquiries: figures"),
            "opts": self.model._meta,
            "months": figures.monthly_figures(months=12, today=today),
            "buyer_types": BuyerType.choices,
            "top_ikm": figures.top_ikm(since=this_month),
            "this_month": this_month,
            "changelist_url": reverse("admin:inquiries_inquiry_changelist"),
        }
        return TemplateResponse(request, "inquiries/admin/figures.html", context)


class ClickMonthFilter(MonthFilter):
    title = _("month")
    date_field = "day"


@admin.register(ContactClick)
class ContactClickAdmin(admin.ModelAdmin):
    list_display = ["day", "ikm", "product", "channel", "count"]
    list_filter = ["channel", ClickMonthFilter]
    list_select_related = ["ikm", "product"]
    search_fields = ["ikm__name", "product__name"]
    date_hierarchy = "day"
    ordering = ["-day"]
    readonly_fields = ["ikm", "product", "channel", "day", "count", "created_at", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ContactClick | None = None) -> bool:
        return False
