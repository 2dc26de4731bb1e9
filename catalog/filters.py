"""The /produk/ filters: one django-filter FilterSet over published products.

Query parameters (the public contract; docs/catalog.md): ``q``, ``category`` (slug, with its
subcategories), ``region`` (Kemendagri code, ``18.71``), ``sector``, ``certification`` (repeatable;
products holding a valid certificate of *every* chosen type), ``min_price``, ``max_price``,
``availability``, ``sort``; ``page`` is read by the view.

A value that does not validate is ignored (the filter is left out) and its message is shown above the
results, never a 500: choices are checked against cached lists without touching the database, prices
are whole non-negative rupiah, and ``q`` is cleaned of control characters and cut to 100 characters.
"""

import re

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from catalog import facets
from catalog.certificate_numbers import CertificateType
from catalog.models import Certification, Product
from catalog.search import (
    MAX_QUERY_LENGTH,
    ParsedQuery,
    clean_query_text,
    parse_query,
    search_filter,
    search_rank,
)
from ikm.models import Sector

MAX_PRICE = 10**12  # above any product's price; larger numbers are typing mistakes

# Certificate types a buyer can filter by (every type but "other"), with the short names of the badges.
CERTIFICATION_CHOICES = [
    (CertificateType.HALAL.value, _("Halal")),
    (CertificateType.BPOM.value, _("BPOM")),
    (CertificateType.PIRT.value, _("P-IRT")),
    (CertificateType.SNI.value, _("SNI")),
    (CertificateType.TKDN.value, _("TKDN")),
    (CertificateType.GI.value, _("Geographical indication")),
]


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    NAME = "name"

    CHOICES = [
        (RELEVANCE, _("Most relevant")),
        (NEWEST, _("Newest")),
        (PRICE_ASC, _("Lowest price")),
        (PRICE_DESC, _("Highest price")),
        (NAME, _("Name (A–Z)")),
    ]


def _category_choices() -> list[tuple[str, str]]:
    choices = []
    for top in facets.category_tree():
        choices.append((top.slug, top.display_name))
        choices.extend((sub.slug, sub.display_name) for sub in top.subcategories)
    return choices


def _region_choices() -> list[tuple[str, str]]:
    return [(region.code, region.short_name) for region in facets.regions()]


class SearchTextField(forms.CharField):
    """What was typed in the search box: control characters (NUL) dropped, cut to 100 characters."""

    def to_python(self, value: object) -> str:
        return clean_query_text(super().to_python(value))


class RupiahField(forms.IntegerField):
    """Whole rupiah as people type them: "25000", "25.000", "Rp 25.000" are all 25000."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 10})
    _NOISE = re.compile(r"^\s*rp\.?|[\s.,]", re.IGNORECASE)

    def to_python(self, value: object) -> int | None:
        if isinstance(value, str):
            value = self._NOISE.sub("", value)
            if value and not value.isascii():
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class RupiahFilter(django_filters.NumberFilter):
    field_class = RupiahField


class SearchFilter(django_filters.CharFilter):
    field_class = SearchTextField


class ProductFilter(django_filters.FilterSet):
    q = SearchFilter(
        label=_("Search"),
        method="filter_search",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"),
        choices=_category_choices,
        method="filter_category",
        empty_label=_("All categories"),
        widget=forms.RadioSelect,
    )
    region = django_filters.ChoiceFilter(
        label=_("Regency or city"),
        choices=_region_choices,
        field_name="ikm__region_id",
        empty_label=_("All of Lampung"),
        widget=forms.RadioSelect,
    )
    sector = django_filters.ChoiceFilter(
        label=_("Sector"),
        choices=Sector.choices,
        field_name="ikm__sector",
        empty_label=_("All sectors"),
        widget=forms.RadioSelect,
    )
    certification = django_filters.MultipleChoiceFilter(
        label=_("Certificates"),
        choices=CERTIFICATION_CHOICES,
        method="filter_certification",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Products holding a verified, unexpired certificate of every type you tick."),
    )
    min_price = RupiahFilter(label=_("Lowest price (Rp)"), method="filter_min_price", min_value=0, max_value=MAX_PRICE)
    max_price = RupiahFilter(label=_("Highest price (Rp)"), method="filter_max_price", min_value=0, max_value=MAX_PRICE)
    availability = django_filters.ChoiceFilter(
        label=_("Availability"),
        choices=Product.Availability.choices,
        empty_label=_("Any"),
    )
    # Applied by order() after the filters, because its default depends on q.
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=Sort.CHOICES, method="filter_nothing", empty_label=None
    )

    class Meta:
        model = Product
        fields: list[str] = []

    # Set by catalog.facets.facet_counts: whether the search also accepts similar names (few matches).
    typo_tolerant = False

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["sort"].required = False
        # The sort menu sits above the results, outside the <form>, and belongs to it through form="…".
        self.form.fields["sort"].widget.attrs.update({"form": "product-filters", "data-autosubmit": "true"})

    # --- the filters ---

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_filter(queryset, parse_query(value), typo_tolerant=self.typo_tolerant)

    def filter_category(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        category = facets.categories_by_slug().get(value)
        if category is None:  # deleted since the form validated: ignore rather than fail
            return queryset
        return queryset.filter(category_id__in=facets.category_ids_under(category))

    def filter_certification(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        for cert_type in sorted(set(value)):
            valid = Certification.objects.valid().filter(type=cert_type, products=OuterRef("pk"))
            queryset = queryset.filter(Exists(valid))
        return queryset

    def filter_min_price(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        # A range qualifies when its top reaches the minimum; "harga nego" has no price and drops out.
        return queryset.annotate(price_top=Coalesce("price_max", "price_min")).filter(price_top__gte=value)

    def filter_max_price(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(price_min__lte=value)

    def filter_nothing(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset

    # --- what the view and the facets use ---

    @cached_property
    def values(self) -> dict[str, object]:
        """The valid, non-empty filter values (invalid ones are dropped by the form)."""
        self.form.is_valid()
        cleaned = getattr(self.form, "cleaned_data", {})
        values = {name: value for name, value in cleaned.items() if value not in (None, "", [], ())}
        if "certification" in values:
            values["certification"] = sorted(set(values["certification"]))
        low, high = values.get("min_price"), values.get("max_price")
        if low is not None and high is not None and low > high:  # typed the wrong way round: swap
            values["min_price"], values["max_price"] = high, low
        return values

    @cached_property
    def search_query(self) -> ParsedQuery:
        return parse_query(self.values.get("q", ""))

    @property
    def sort_order(self) -> str:
        chosen = self.values.get("sort")
        if chosen == Sort.RELEVANCE and not self.search_query:
            return Sort.NEWEST
        return chosen or (Sort.RELEVANCE if self.search_query else Sort.NEWEST)

    def queryset_without(self, *names: str) -> QuerySet:
        """The queryset with every valid filter except ``names`` (for the facet counts); not ordered."""
        queryset = self.queryset
        for name, value in self.values.items():
            if name in names or name == "sort":
                continue
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        return self.order(self.queryset_without())

    def order(self, queryset: QuerySet) -> QuerySet:
        sort = self.sort_order
        if sort == Sort.RELEVANCE:
            ranked = search_rank(queryset, self.search_query, typo_tolerant=self.typo_tolerant)
            return ranked.order_by("-rank", "-published_at", "-pk")
        if sort == Sort.PRICE_ASC:
            # "Harga nego" (no price) last in both directions.
            return queryset.order_by(F("price_min").asc(nulls_last=True), "pk")
        if sort == Sort.PRICE_DESC:
            return queryset.order_by(F("price_min").desc(nulls_last=True), "-pk")
        if sort == Sort.NAME:
            return queryset.order_by("name", "pk")
        return queryset.order_by("-published_at", "-pk")

    def cache_state(self) -> tuple:
        """The filter state that decides the counts, normalised (sort and page do not change counts)."""
        state = []
        for name, value in sorted(self.values.items()):
            if name == "sort":
                continue
            if name == "q":
                value = self.search_query.words
            elif isinstance(value, list):
                value = tuple(value)
            state.append((name, value))
        return tuple(state)

    @property
    def ignored(self) -> list[tuple[str, str]]:
        """(label, message) for each parameter that was given but did not validate, to explain why it was ignored."""
        self.form.is_valid()
        return [
            (str(self.form.fields[name].label), str(message))
            for name, messages in self.form.errors.items()
            for message in messages
        ]
