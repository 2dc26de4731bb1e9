"""Cached catalog counts: facet counts for /produk/, category counts for the home page, the category tree.

Every cached value's key holds the catalog *generation*, a number kept in the cache and bumped by the
signal receivers at the bottom of this module whenever a product, photo, certificate, IKM or category
changes (signals are used for cache invalidation only: STYLE.md). A bump makes every older entry
unreachable at once, so counts are never stale past the commit that changed them: the receivers bump
immediately and again once the transaction commits (a request that read the old rows between the two
bumps cannot leave its result under the new generation). Keys also hold today's date, because a
certificate stops counting the day after it expires without any row changing.

Only numbers and the category tree are cached here, never the list of products: the product list
itself is always read from the database, so an unpublished product disappears at once.

Writes that bypass signals (``QuerySet.update()``, ``bulk_create()``, raw SQL) must call
:func:`bump_catalog_generation` themselves.

The generation lives in the shared cache (Redis when ``REDIS_URL`` is set). With the per-process
LocMemCache and several worker processes, a bump reaches only its own process: other processes keep
their counts until ``FACET_TIMEOUT``; run production with Redis.
"""

import hashlib
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from catalog.models import Category, Certification, Product, ProductPhoto
from ikm.models import IKM, Region

GENERATION_KEY = "catalog:generation"
FACET_TIMEOUT = 10 * 60  # seconds; only an upper bound, the generation invalidates sooner
REGIONS_TIMEOUT = 24 * 60 * 60  # regions come from a data migration and never change at run time


def catalog_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # Start from the clock, not 0, so an evicted or restarted cache never reuses an old generation's keys.
        cache.add(GENERATION_KEY, time.time_ns() // 1000, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return int(generation or 0)


def bump_catalog_generation() -> None:
    """Make every cached count and tree stale (call it after a write that sends no model signal)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not in the cache yet (or evicted)
        cache.set(GENERATION_KEY, time.time_ns() // 1000, timeout=None)


def cache_version() -> str:
    """Changes whenever the catalog does, and at midnight (a certificate may have expired)."""
    return f"{catalog_generation()}:{timezone.localdate().isoformat()}"


def _cache_key(kind: str, *parts: object) -> str:
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"catalog:{kind}:{cache_version()}:{digest}"


# --- The category tree and the regions ---------------------------------------------------------


def category_tree() -> list[Category]:
    """Top-level categories in order, each with ``subcategories`` (a list), from the cache (1 query when cold)."""
    key = _cache_key("categories")
    tree = cache.get(key)
    if tree is None:
        categories = list(Category.objects.order_by("position", "name"))
        children: dict[int, list[Category]] = defaultdict(list)
        for category in categories:
            if category.parent_id is not None:
                children[category.parent_id].append(category)
        tree = [c for c in categories if c.parent_id is None]
        for top in tree:
            top.subcategories = children.get(top.pk, [])
        cache.set(key, tree, FACET_TIMEOUT)
    return tree


def categories_by_slug() -> dict[str, Category]:
    """Every category (top level and sub) by slug; top-level ones carry ``subcategories``."""
    result: dict[str, Category] = {}
    for top in category_tree():
        result[top.slug] = top
        for sub in top.subcategories:
            sub.parent_category = top
            result[sub.slug] = sub
    return result


def category_ids_under(category: Category) -> list[int]:
    """The category and its subcategories: what ``?category=<slug>`` includes."""
    return [category.pk, *(sub.pk for sub in getattr(category, "subcategories", []))]


def regions() -> list[Region]:
    """The 15 kabupaten/kota in Kemendagri order, from the cache (1 query when cold)."""
    key = "catalog:regions:v1"
    result = cache.get(key)
    if result is None:
        result = list(Region.objects.order_by("code"))
        cache.set(key, result, REGIONS_TIMEOUT)
    return result


# --- Facet counts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FacetCounts:
    """Counts of published products, each computed with every active filter except its own.

    ``categories`` is keyed by category id (products sit in exactly one category, top level or sub),
    ``regions`` by Kemendagri code, ``sectors`` by sector value. ``certifications`` counts, per
    certificate type, the products matching *all* active filters that also hold a valid certificate of
    that type: the number a buyer gets by ticking it (certificate filters combine with AND).
    """

    categories: dict[int, int] = field(default_factory=dict)
    regions: dict[str, int] = field(default_factory=dict)
    sectors: dict[str, int] = field(default_factory=dict)
    certifications: dict[str, int] = field(default_factory=dict)

    def category_total(self, category: Category) -> int:
        return sum(self.categories.get(pk, 0) for pk in category_ids_under(category))

    def total(self, selected_category: Category | None) -> int:
        """The number of results with every filter: no COUNT(*) query needed.

        The category counts are computed without the category filter, so the results are the
        products of the selected category and its subcategories, or all of them.
        """
        if selected_category is None:
            return sum(self.categories.values())
        return self.category_total(selected_category)


def _grouped(queryset: QuerySet, field_name: str) -> dict:
    rows = queryset.order_by().values_list(field_name).annotate(n=Count("pk"))
    return dict(rows)


def _certification_counts(queryset: QuerySet) -> dict[str, int]:
    through = Certification.products.through
    today = timezone.localdate()
    rows = (
        through.objects.filter(
            product_id__in=queryset.order_by().values("pk"),
            certification__status=Certification.Status.VERIFIED,
        )
        .filter(Q(certification__expires_on__isnull=True) | Q(certification__expires_on__gte=today))
        .values_list("certification__type")
        .annotate(n=Count("product_id", distinct=True))
        .order_by()
    )
    return dict(rows)


class FilterState(Protocol):
    """What facet_counts needs from catalog.filters.ProductFilter."""

    def cache_state(self) -> tuple: ...

    def queryset_without(self, *names: str) -> QuerySet: ...


def facet_counts(product_filter: FilterState) -> FacetCounts:
    """Facet counts for a bound, validated ProductFilter; 4 queries when not cached, none when cached."""
    key = _cache_key("facets", product_filter.cache_state())
    counts = cache.get(key)
    if counts is None:
        counts = FacetCounts(
            categories=_grouped(product_filter.queryset_without("category"), "category_id"),
            regions=_grouped(product_filter.queryset_without("region"), "ikm__region_id"),
            sectors=_grouped(product_filter.queryset_without("sector"), "ikm__sector"),
            certifications=_certification_counts(product_filter.queryset_without()),
        )
        cache.set(key, counts, FACET_TIMEOUT)
    return counts


def published_counts_by_top_category() -> list[tuple[Category, int]]:
    """The home page's top-level categories with their number of published products (1 query when cold)."""
    key = _cache_key("category-counts")
    counts = cache.get(key)
    if counts is None:
        counts = FacetCounts(categories=_grouped(Product.objects.published(), "category_id"))
        cache.set(key, counts, FACET_TIMEOUT)
    return [(top, counts.category_total(top)) for top in category_tree()]


# --- Invalidation ----------------------------------------------------------------------------


def _catalog_changed(**kwargs: object) -> None:
    bump_catalog_generation()
    transaction.on_commit(bump_catalog_generation)


def _connect(models: Iterable[type]) -> None:
    for model in models:
        uid = f"catalog-facets-{model._meta.label_lower}"
        post_save.connect(_catalog_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_catalog_changed, sender=model, dispatch_uid=f"{uid}-delete")


_connect([Product, ProductPhoto, Certification, IKM, Category])
m2m_changed.connect(
    _catalog_changed, sender=Certification.products.through, dispatch_uid="catalog-facets-certification-products"
)
