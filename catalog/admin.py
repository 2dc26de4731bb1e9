"""Staff's catalog admin: categories (read-mostly), products and certificates with their decisions.

Status changes happen only through the actions, which call ``catalog.services`` (so every decision is
logged and mailed); the status fields themselves are read-only here. Issue #6 deepens the queues.
"""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog import services
from catalog.certificate_numbers import format_certificate_number, normalize_certificate_number
from catalog.forms import ReasonForm
from catalog.models import Category, Certification, Product, ProductPhoto
from ikm.models import IKM
from moderation.exports import export_products_csv
from moderation.models import Decision


class IKMAutocompleteMixin:
    """Pick the IKM by typing its name (thousands of IKM make a <select> unusable).

    Decided per request rather than with ``autocomplete_fields``, whose system check fails while the IKM
    admin (ikm/admin.py, another app) is not registered; without it the field falls back to a raw id
    box, never a <select> of every IKM.
    """

    ikm_autocomplete_fields: tuple[str, ...] = ("ikm",)

    def get_autocomplete_fields(self, request: HttpRequest) -> list[str]:
        fields = list(super().get_autocomplete_fields(request))
        if IKM in self.admin_site._registry:
            fields += self.ikm_autocomplete_fields
        return fields

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):  # noqa: ANN001, ANN201
        if db_field.name in self.ikm_autocomplete_fields and IKM not in self.admin_site._registry:
            kwargs["widget"] = widgets.ForeignKeyRawIdWidget(db_field.remote_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _thumbnail(photo: ProductPhoto | None, size: str = "4rem") -> str:
    """A small cover for the lists (size: "4rem" or "8rem", styled by catalog-owner.css)."""
    if photo is None:
        return "—"
    return render_to_string("catalog/admin/thumbnail.html", {"photo": photo, "size": size})


def _history_html(obj: Product | Certification) -> str:
    decisions = Decision.objects.for_object(obj).select_related("actor")
    labels = dict(type(obj).Status.choices)
    rows = format_html_join(
        "",
        "<li>{}: {} → <strong>{}</strong> ({}){}</li>",
        (
            (
                timezone.localtime(d.created_at).strftime("%Y-%m-%d %H:%M"),
                labels.get(d.from_status, d.from_status or "—"),
                labels.get(d.to_status, d.to_status),
                d.actor or gettext("owner"),
                format_html("<br>{}", d.reason) if d.reason else "",
            )
            for d in decisions
        ),
    )
    return format_html("<ol>{}</ol>", rows) if rows else "—"


def _run_decision(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    decide: Callable[[object], object],
    done_message: str,
) -> None:
    """Apply one service to each selected object; report what was done and, by name, what was refused."""
    done, refused = 0, []
    for obj in queryset:
        try:
            decide(obj)
        except ValidationError as error:
            refused.append(f"{obj}: {' '.join(error.messages)}")
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)
    for line in refused:
        modeladmin.message_user(request, line, messages.WARNING)


def _reason_action(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    action: str,
    title: str,
    decide: Callable[[object, str], object],
    done_message: str,
) -> HttpResponse | None:
    """An action with an intermediate page asking the reason the owner will read."""
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        _run_decision(modeladmin, request, queryset, lambda obj: decide(obj, reason), done_message)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "objects": queryset,
        "action": action,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
        "select_across": request.POST.get("select_across", "0"),
    }
    return TemplateResponse(request, "catalog/admin/action_reason.html", context)


# --- Categories ----------------------------------------------------------------------------------


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """Read-mostly: the tree comes from a data migration and its slugs are in public URLs."""

    list_display = ["display_name", "name_en", "parent", "slug", "position", "product_count"]
    list_filter = [("parent", admin.EmptyFieldListFilter)]
    search_fields = ["name", "name_en", "slug"]
    ordering = ["parent__position", "position", "name"]
    readonly_fields = ["slug", "parent"]
    fields = ["name", "name_en", "slug", "parent", "position"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Category]:
        return super().get_queryset(request).select_related("parent").annotate(n_products=Count("products"))

    @admin.display(description=_("products"), ordering="n_products")
    def product_count(self, obj: Category) -> int:
        return obj.n_products

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Category | None = None) -> bool:
        return False


# --- Products ------------------------------------------------------------------------------------


class WaitingForReviewFilter(admin.SimpleListFilter):
    title = _("review queue")
    parameter_name = "queue"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [
            ("waiting", _("Waiting for review (new and edited)")),
            ("new", _("New, pending review")),
            ("edited", _("Published, edited since approval")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Product]) -> QuerySet[Product]:
        if self.value() == "waiting":
            return queryset.waiting_for_review()
        if self.value() == "new":
            return queryset.filter(status=Product.Status.PENDING)
        if self.value() == "edited":
            return queryset.filter(status=Product.Status.PUBLISHED, review_requested_at__isnull=False)
        return queryset


class ProductPhotoInline(admin.TabularInline):
    """Photos come through the image pipeline on the owner's page; here staff check them and fix descriptions."""

    model = ProductPhoto
    extra = 0
    fields = ["preview", "alt_text", "position"]
    readonly_fields = ["preview", "position"]
    ordering = ["position"]

    @admin.display(description=_("photo"))
    def preview(self, obj: ProductPhoto) -> str:
        return _thumbnail(obj, "8rem")

    def has_add_permission(self, request: HttpRequest, obj: Product | None = None) -> bool:
        return False


class ProductCertificationInline(admin.TabularInline):
    model = Certification.products.through
    extra = 0
    verbose_name = _("certificate")
    verbose_name_plural = _("certificates covering this product")
    autocomplete_fields = ["certification"]


@admin.register(Product)
class ProductAdmin(IKMAutocompleteMixin, admin.ModelAdmin):
    list_display = [
        "cover",
        "name",
        "ikm",
        "category",
        "status",
        "submitted_at",
        "review_requested_at",
        "is_featured",
        "published_at",
        "updated_at",
    ]
    list_display_links = ["cover", "name"]
    list_filter = [
        WaitingForReviewFilter,
        "status",
        "is_featured",
        "availability",
        ("category", admin.RelatedOnlyFieldListFilter),
        ("ikm__region", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["ikm", "category"]
    search_fields = ["name", "slug", "ikm__name"]
    date_hierarchy = "created_at"
    list_per_page = 50
    inlines = [ProductPhotoInline, ProductCertificationInline]
    readonly_fields = [
        "slug",
        "status",
        "status_reason",
        "submitted_at",
        "published_at",
        "review_requested_at",
        "view_count",
        "created_at",
        "updated_at",
        "history",
    ]
    fieldsets = [
        (None, {"fields": ["ikm", "name", "slug", "category", "short_description", "description"]}),
        (_("Price and order"), {"fields": ["price_min", "price_max", "unit", "min_order"]}),
        (
            _("Details"),
            {
                "fields": [
                    "net_amount",
                    "net_unit",
                    "availability",
                    "lead_time_days",
                    "capacity_per_month",
                    "capacity_unit",
                    "tkdn_percent",
                    "shelf_life_days",
                ]
            },
        ),
        (
            _("Moderation"),
            {
                "fields": [
                    "status",
                    "status_reason",
                    "is_featured",
                    "submitted_at",
                    "published_at",
                    "review_requested_at",
                    "view_count",
                    "created_at",
                    "updated_at",
                    "history",
                ]
            },
        ),
    ]
    actions = ["approve", "request_changes", export_products_csv]

    class Media:
        css = {"all": ["css/catalog-owner.css"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Product]:
        return (
            super()
            .get_queryset(request)
            .defer("search_vector")
            .prefetch_related(
                Prefetch("photos", queryset=ProductPhoto.objects.order_by("position")[:1], to_attr="cover_photos")
            )
        )

    @admin.display(description=_("cover"))
    def cover(self, obj: Product) -> str:
        return _thumbnail(obj.cover)

    @admin.display(description=_("decisions"))
    def history(self, obj: Product) -> str:
        return _history_html(obj) if obj.pk else "—"

    @admin.action(description=_("Approve the selected products (publish, or accept their edits)"))
    def approve(self, request: HttpRequest, queryset: QuerySet[Product]) -> None:
        _run_decision(
            self,
            request,
            queryset,
            lambda product: services.product_approve(product=product, actor=request.user),
            gettext("%(count)d product(s) approved; their owners were emailed."),
        )

    @admin.action(description=_("Request changes on the selected products (asks for a reason)"))
    def request_changes(self, request: HttpRequest, queryset: QuerySet[Product]) -> HttpResponse | None:
        return _reason_action(
            self,
            request,
            queryset,
            action="request_changes",
            title=gettext("Request changes"),
            decide=lambda product, reason: services.product_request_changes(
                product=product, actor=request.user, reason=reason
            ),
            done_message=gettext("%(count)d product(s) sent back to their owners with your reason."),
        )


# --- Certificates --------------------------------------------------------------------------------


class ValidityFilter(admin.SimpleListFilter):
    title = _("validity")
    parameter_name = "validity"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("valid", _("Verified and not expired")), ("expired", _("Expired"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Certification]) -> QuerySet[Certification]:
        if self.value() == "valid":
            return queryset.valid()
        if self.value() == "expired":
            return queryset.filter(expires_on__lt=timezone.localdate())
        return queryset


class CertificationAdminForm(forms.ModelForm):
    """Staff type numbers too: the same normalisation as the owner's form."""

    class Meta:
        model = Certification
        fields = ["ikm", "type", "number", "issuer", "issued_on", "expires_on", "products"]

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if data.get("type") and data.get("number"):
            try:
                data["number"] = normalize_certificate_number(data["type"], data["number"])
            except ValidationError as error:
                self.add_error("number", error)
            else:
                self.instance.number = data["number"]
        return data


@admin.register(Certification)
class CertificationAdmin(IKMAutocompleteMixin, admin.ModelAdmin):
    form = CertificationAdminForm
    autocomplete_fields = ["products"]
    list_display = ["type", "printed_number", "ikm", "status", "issued_on", "expires_on", "document_link", "created_at"]
    list_display_links = ["type", "printed_number"]
    list_filter = ["status", "type", ValidityFilter]
    list_select_related = ["ikm"]
    search_fields = ["number", "ikm__name"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "status",
        "status_reason",
        "verified_at",
        "verified_by",
        "document_link",
        "created_at",
        "updated_at",
        "history",
    ]
    fields = [
        "ikm",
        "type",
        "number",
        "issuer",
        "issued_on",
        "expires_on",
        "document_link",
        "products",
        "status",
        "status_reason",
        "verified_at",
        "verified_by",
        "created_at",
        "updated_at",
        "history",
    ]
    actions = ["verify", "reject"]

    @admin.display(description=_("number"), ordering="number")
    def printed_number(self, obj: Certification) -> str:
        return format_certificate_number(obj.type, obj.number)

    @admin.display(description=_("scanned document"))
    def document_link(self, obj: Certification) -> str:
        if not obj.pk or not obj.document:
            return "—"
        url = reverse("catalog:owner-certification-document", kwargs={"pk": obj.pk})
        return format_html('<a href="{}">{}</a>', url, gettext("Download the scan"))

    @admin.display(description=_("decisions"))
    def history(self, obj: Certification) -> str:
        return _history_html(obj) if obj.pk else "—"

    @admin.action(description=_("Verify the selected certificates"))
    def verify(self, request: HttpRequest, queryset: QuerySet[Certification]) -> None:
        _run_decision(
            self,
            request,
            queryset,
            lambda certification: services.certification_verify(certification=certification, actor=request.user),
            gettext("%(count)d certificate(s) verified; their owners were emailed."),
        )

    @admin.action(description=_("Reject the selected certificates (asks for a reason)"))
    def reject(self, request: HttpRequest, queryset: QuerySet[Certification]) -> HttpResponse | None:
        return _reason_action(
            self,
            request,
            queryset,
            action="reject",
            title=gettext("Reject certificates"),
            decide=lambda certification, reason: services.certification_reject(
                certification=certification, actor=request.user, reason=reason
            ),
            done_message=gettext("%(count)d certificate(s) rejected; their owners were emailed with your reason."),
        )
