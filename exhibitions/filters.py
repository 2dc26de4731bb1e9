"""Filters of the event list (/acara/) and the calendar feed. Bad values are ignored, never an error page."""

import datetime as dt

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from exhibitions.models import WIB, Event
from ikm.models import Region


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Event.Kind.choices, empty_label=_("All kinds"))
    # Region's primary key is its Kemendagri code, so ?region=18.71 works as is.
    region = django_filters.ModelChoiceFilter(
        label=_("Regency or city"), queryset=Region.objects.all(), empty_label=_("All of Lampung")
    )
    year = django_filters.ChoiceFilter(label=_("Year"), method="filter_year", empty_label=_("All years"))

    class Meta:
        model = Event
        fields = ["kind", "region", "year"]

    def __init__(self, *args: object, years: list[int] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Years that have events (one query, run by the view); the choices limit ?year= to sensible values.
        self.filters["year"].extra["choices"] = [(str(y), str(y)) for y in (years or [])]

    @property
    def state(self) -> list[tuple[str, str]]:
        """The valid filter values, sorted: what the list depends on (invalid values filter nothing)."""
        if not self.is_bound:
            return []
        self.form.is_valid()  # cleans the form; the invalid fields are left out of cleaned_data
        cleaned = getattr(self.form, "cleaned_data", {})
        return sorted((name, str(getattr(value, "pk", value))) for name, value in cleaned.items() if value)

    def filter_year(self, queryset: QuerySet[Event], name: str, value: str) -> QuerySet[Event]:
        value = int(value)  # one of the choices, so a plain year
        # The year of the start in WIB, as a range so the (status, starts_at) index serves it.
        return queryset.filter(
            starts_at__gte=dt.datetime(value, 1, 1, tzinfo=WIB), starts_at__lt=dt.datetime(value + 1, 1, 1, tzinfo=WIB)
        )
