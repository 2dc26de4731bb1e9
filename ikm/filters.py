"""The public directory's filters: ``region`` (Kemendagri code), ``sector``, ``q`` (name) and ``sort``.

An invalid value is dropped from the form's cleaned data, so it filters nothing instead of failing.
"""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ikm.models import IKM, Region, Sector

SORTS = {"newest": ("-created_at", "-pk"), "name": ("name", "pk")}


class IKMFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"), max_length=100)
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), label=_("Regency or city"), empty_label=_("All regions")
    )
    sector = django_filters.ChoiceFilter(choices=Sector.choices, label=_("Sector"), empty_label=_("All sectors"))
    sort = django_filters.ChoiceFilter(
        choices=[("newest", _("Newest")), ("name", _("Name"))],
        label=_("Sort by"),
        empty_label=None,
        method="sort_by",
    )

    class Meta:
        model = IKM
        fields = ["q", "region", "sector"]

    def sort_by(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.order_by(*SORTS.get(value, SORTS["newest"]))

    @property
    def state(self) -> list[tuple[str, str]]:
        """The valid filter values, sorted: what the result depends on (invalid values filter nothing)."""
        self.form.is_valid()  # cleans the form; the invalid fields are left out of cleaned_data
        cleaned = getattr(self.form, "cleaned_data", {})
        return sorted((name, str(getattr(value, "pk", value))) for name, value in cleaned.items() if value)

    @property
    def qs(self) -> QuerySet:
        queryset = super().qs
        # Without a valid sort, newest first (the method runs only when the value is valid).
        if not getattr(self.form, "cleaned_data", {}).get("sort"):
            queryset = queryset.order_by(*SORTS["newest"])
        return queryset
