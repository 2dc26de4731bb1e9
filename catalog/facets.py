"""Cached catalog counts: facet counts for /produk/, category counts for the home page, the category tree.

Every cached value's key holds the catalog *generation*, a number kept in the cache and bumped by the
signal receivers at the bottom of this module whenever a product, photo, certificate, IKM or category
changes (signals are used for cache invalidation only: STYLE.md). A bump makes every older entry
unreachable at once, so counts are never stale past the commit that changed them: the receivers bump
immediately and again once the transaction commits (a request that read the old rows between the two
bumps cannot leave its result under the new generation). Keys also hold today's date, because a
certificate stops counting the day after it expires without any row changing.

Only numbers, result orders (ids) and the category tree are cached here; whenever a page is rendered,
its products are read again with ``published()`` (the cards check their ids), so a product unpublished
even without a signal disappears from every freshly rendered page. Whole pages for anonymous visitors are
cached by ``galeri.page_cache`` under this generation too (at most PAGE_CACHE_SECONDS behind a write
without signals).

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
from dataclasses import dataclass, field, replace
from typing import Protocol

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from catalog.models import Category, Certification, Product, ProductPhoto
from catalog.search import supports_typo_tolerance
from ikm.models import IKM, Region
from ikm.regions import REGIONS

GENERATION_KEY = "catalog:generation"
FACET_TIMEOUT = 10 * 60  # seconds; only an upper bound, the generation invalidates sooner


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


def fragment_key(kind: str, *parts: object) -> str:
    """A cache key for rendered HTML that changes with the catalog (and the date); ``parts`` say what else."""
    return _cache_key(f"html-{kind}", *parts)


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
    """The 15 kabupaten/kota in Kemendagri order: the data the migration loads, so no query at all."""
    return [
        Region(code=code, bps_code=bps, name=name, kind=kind, seat=seat, slug=slug)
        for code, bps, name, kind, seat, slug in REGIONS
    ]


# --- Facet counts and result lists -----------------------------------------------------------

# When full-text search finds fewer products than this, the search also accepts names that are
# word-similar to what was typed (typo tolerance, catalog/search.py); more matches need no rescue.
FEW_RESULTS = 3


@dataclass(frozen=True)
class FacetCounts:
    """Counts of published products, each computed with every active filter except its own.

    ``categories`` is keyed by category id (products sit in exactly one category, top level or sub),
    ``regions`` by Kemendagri code, ``sectors`` by sector value. ``certifications`` counts, per
    certificate type, the products matching *all* active filters that also hold a valid certificate of
    that type: the number a buyer gets by ticking it (certificate filters combine with AND).
    ``total`` is the number of results with every filter (no COUNT(*) query of its own), and
    ``typo_tolerant`` says whether the search had to accept similar names to find enough.
    """

    categories: dict[int, int] = field(default_factory=dict)
    regions: dict[str, int] = field(default_factory=dict)
    sectors: dict[str, int] = field(default_factory=dict)
    certifications: dict[str, int] = field(default_factory=dict)
    total: int = 0
    typo_tolerant: bool = False

    def category_total(self, category: Category) -> int:
        return sum(self.categories.get(pk, 0) for pk in category_ids_under(category))


class FilterState(Protocol):
    """What this module needs from catalog.filters.ProductFilter."""

    values: dict[str, object]
    sort_order: str
    typo_tolerant: bool

    def cache_state(self) -> tuple: ...

    def queryset_without(self, *names: str) -> QuerySet: ...

    @property
    def qs(self) -> QuerySet: ...


def _combination_counts(product_filter: FilterState) -> list[tuple[int, str, str, int]]:
    """(category, region, sector, count) with every filter but those three: one query serves three facets."""
    queryset = product_filter.queryset_without("category", "region", "sector").order_by()
    return list(queryset.values_list("category_id", "ikm__region_id", "ikm__sector").annotate(n=Count("pk")))


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


def _counts_from_combinations(product_filter: FilterState, rows: list[tuple[int, str, str, int]]) -> FacetCounts:
    """Apply the category, region and sector filters in Python, each facet leaving out its own."""
    values = product_filter.values
    selected = categories_by_slug().get(values.get("category"))
    category_ids = set(category_ids_under(selected)) if selected is not None else None
    region, sector = values.get("region"), values.get("sector")
    categories: dict[int, int] = defaultdict(int)
    regions_: dict[str, int] = defaultdict(int)
    sectors: dict[str, int] = defaultdict(int)
    total = 0
    for category_id, region_code, sector_value, n in rows:
        in_category = category_ids is None or category_id in category_ids
        in_region = region is None or region_code == region
        in_sector = sector is None or sector_value == sector
        if in_region and in_sector:
            categories[category_id] += n
        if in_category and in_sector:
            regions_[region_code] += n
        if in_category and in_region:
            sectors[sector_value] += n
        if in_category and in_region and in_sector:
            total += n
    return FacetCounts(categories=dict(categories), regions=dict(regions_), sectors=dict(sectors), total=total)


def facet_counts(product_filter: FilterState) -> FacetCounts:
    """Facet counts and the total for a bound ProductFilter (2 queries when not cached, 3 for a typo).

    Also sets ``product_filter.typo_tolerant``, so the results use the same search as the counts.
    """
    key = _cache_key("facets", product_filter.cache_state())
    counts = cache.get(key)
    if counts is None:
        product_filter.typo_tolerant = False
        counts = _counts_from_combinations(product_filter, _combination_counts(product_filter))
        if counts.total < FEW_RESULTS and product_filter.values.get("q") and supports_typo_tolerance():
            product_filter.typo_tolerant = True
            counts = _counts_from_combinations(product_filter, _combination_counts(product_filter))
        counts = replace(
            counts,
            certifications=_certification_counts(product_filter.queryset_without()),
            typo_tolerant=product_filter.typo_tolerant,
        )
        cache.set(key, counts, FACET_TIMEOUT)
    product_filter.typo_tolerant = counts.typo_tolerant
    return counts


def result_ids(product_filter: FilterState, *, limit: int) -> list[int]:
    """The ids of the first ``limit`` results in order (1 query when not cached).

    Only the order is cached: the page's products are read again with ``published()``, so a product
    unpublished since then never shows. Call after facet_counts() (it decides the search mode).
    """
    key = _cache_key("ids", product_filter.cache_state(), product_filter.sort_order, product_filter.typo_tolerant)
    ids = cache.get(key)
    if ids is None:
        ids = list(product_filter.qs.values_list("pk", flat=True)[:limit])
        cache.set(key, ids, FACET_TIMEOUT)
    return ids


def published_counts_by_top_category() -> list[tuple[Category, int]]:
    """The home page's top-level categories with their number of published products (1 query when cold)."""
    key = _cache_key("category-counts")
    counts = cache.get(key)
    if counts is None:
        rows = Product.objects.published().order_by().values_list("category_id").annotate(n=Count("pk"))
        counts = FacetCounts(categories=dict(rows))
        cache.set(key, counts, FACET_TIMEOUT)
    return [(top, counts.category_total(top)) for top in category_tree()]


# --- Invalidation ----------------------------------------------------------------------------


def catalog_changed() -> None:
    """Bump now and again once the transaction commits (see the module docstring); for writes without signals."""
    bump_catalog_generation()
    transaction.on_commit(bump_catalog_generation)


def _catalog_changed(**kwargs: object) -> None:
    catalog_changed()


def _connect(models: Iterable[type]) -> None:
    for model in models:
        uid = f"catalog-facets-{model._meta.label_lower}"
        post_save.connect(_catalog_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_catalog_changed, sender=model, dispatch_uid=f"{uid}-delete")


_connect([Product, ProductPhoto, Certification, IKM, Category])
m2m_changed.connect(
    _catalog_changed, sender=Certification.products.through, dispatch_uid="catalog-facets-certification-products"
)
