"""The public catalog: /produk/ (filters, facets, search) and /produk/<slug>/.

Query budget (tests/catalog/test_public_queries.py): the list at most 10 queries for any filters and
page (8 when nothing is cached; 3 when the counts and the order are: products, covers, certificates),
the product page at most 12.
"""

import functools
import math
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import F, Prefetch, Q, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from catalog import facets
from catalog.filters import CERTIFICATION_CHOICES, ProductFilter, Sort
from catalog.models import Category, Certification, Product, ProductPhoto
from catalog.templatetags.catalog_tags import absolute, product_json_ld
from galeri.images import rendition_url
from galeri.money import format_rupiah
from galeri.page_cache import public_page
from ikm.models import Sector

PER_PAGE = 24
# Deep pages cost an OFFSET scan and nobody reads them: past page 100 (2,400 products) we ask the
# visitor to narrow the search instead (docs/catalog.md).
MAX_PAGES = 100
EAGER_IMAGES = 4  # the first row of cards loads its covers at once; the rest lazily
RELATED_PRODUCTS = 8
SHARE_IMAGE_WIDTH = 1280  # the rendition for share previews (OpenGraph) and structured data
# Views are added up in the cache and written to the product row at most this often per product.
VIEW_FLUSH_SECONDS = 60
# What /produk/ understands; an address with anything else is rendered but not cached whole.
LIST_PARAMS = (*ProductFilter.base_filters, "page")


class CountedPaginator(Paginator):
    """A paginator told its count (from the cached facets: no COUNT(*) query) and capped at ``max_pages``."""

    def __init__(self, object_list: object, per_page: int, *, count: int, max_pages: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count
        self.max_pages = max_pages

    @cached_property
    def count(self) -> int:
        return self._known_count

    @cached_property
    def num_pages(self) -> int:
        return min(max(1, math.ceil(self.count / self.per_page)), self.max_pages)

    @property
    def is_capped(self) -> bool:
        return self.count > self.max_pages * self.per_page


def _page(paginator: CountedPaginator, raw: str | None) -> tuple[Page, str]:
    """The requested page, or the nearest one with a notice saying why (never a 404 or a 500)."""
    if raw in (None, ""):
        return paginator.page(1), ""
    try:
        return paginator.page(paginator.validate_number(raw)), ""
    except PageNotAnInteger:
        return paginator.page(1), _("The page number was not valid: showing the first page.")
    except EmptyPage:
        number = int(raw) if raw.strip().lstrip("-").isdigit() else 0
        if number < 1:
            return paginator.page(1), _("The page number was not valid: showing the first page.")
        if paginator.is_capped and number > paginator.num_pages:
            notice = _("Only the first %(pages)d pages are shown. Narrow your search with the filters.") % {
                "pages": paginator.max_pages
            }
        else:
            notice = _("There is no page %(number)d: showing the last page.") % {"number": number}
        return paginator.page(paginator.num_pages), notice


@dataclass
class Chip:
    label: str
    remove_url: str


def _query_url(params: dict[str, object]) -> str:
    query = urlencode({name: value for name, value in params.items() if value not in (None, "", [])}, doseq=True)
    return f"?{query}" if query else "?"


def _chips(values: dict[str, object], categories: dict[str, Category], region_names: dict[str, str]) -> list[Chip]:
    """One removable chip per active filter value; each links to the same search without it (and page 1)."""
    labels = {
        "category": lambda v: categories[v].display_name if v in categories else v,
        "region": lambda v: region_names.get(v, v),
        "sector": lambda v: str(Sector(v).label),
        "availability": lambda v: str(Product.Availability(v).label),
        "min_price": lambda v: _("from %(price)s") % {"price": format_rupiah(v)},
        "max_price": lambda v: _("up to %(price)s") % {"price": format_rupiah(v)},
        "q": lambda v: f"“{v}”",
    }
    certification_labels = {value: str(label) for value, label in CERTIFICATION_CHOICES}
    chips = []
    for name, value in values.items():
        if name == "sort":
            continue
        if name == "certification":
            for cert_type in value:
                remaining = {**values, "certification": [v for v in value if v != cert_type]}
                chips.append(Chip(certification_labels[cert_type], _query_url(remaining)))
            continue
        remaining = {key: v for key, v in values.items() if key != name}
        chips.append(Chip(labels[name](value), _query_url(remaining)))
    return chips


def _count_label(name: object, count: int) -> str:
    return format_html('{} <span class="facet-count">({})</span>', name, count)


def _label_facets(product_filter: ProductFilter, counts: facets.FacetCounts) -> dict[str, object]:
    """Put each option's count beside its label; returns what the template needs to style the options.

    The "All …" option is added by the filter's own field (its empty_label). Called by the template inside
    the filter form's cached fragment (see ``product_list``), so only when that fragment is rendered.
    """
    fields = product_filter.form.fields
    category_choices, child_slugs, empty = [], set(), set()
    for top in facets.category_tree():
        total = counts.category_total(top)
        category_choices.append((top.slug, _count_label(top.display_name, total)))
        if total == 0:
            empty.add(top.slug)
        for sub in top.subcategories:
            n = counts.categories.get(sub.pk, 0)
            category_choices.append((sub.slug, _count_label(sub.display_name, n)))
            child_slugs.add(sub.slug)
            if n == 0:
                empty.add(sub.slug)
    fields["category"].choices = category_choices
    region_choices = []
    for region in facets.regions():
        n = counts.regions.get(region.code, 0)
        region_choices.append((region.code, _count_label(region.short_name, n)))
        if n == 0:
            empty.add(region.code)
    fields["region"].choices = region_choices
    fields["sector"].choices = [
        (value, _count_label(label, counts.sectors.get(value, 0))) for value, label in Sector.choices
    ]
    fields["certification"].choices = [
        (value, _count_label(label, counts.certifications.get(value, 0))) for value, label in CERTIFICATION_CHOICES
    ]
    empty.update(value for value, _label in Sector.choices if not counts.sectors.get(value))
    empty.update(value for value, _label in CERTIFICATION_CHOICES if not counts.certifications.get(value))
    return {"child_slugs": child_slugs, "empty_options": empty}


def _seo(values: dict[str, object], page_number: int, page_notice: str) -> dict[str, object]:
    """What search engines are told about a catalog page (docs/quality.md, "Canonical URLs").

    The plain list and a category are pages of their own, page N included (its canonical keeps
    ``?page=N``). One more facet (a region, a certificate, a sort) shows a subset of them: its canonical
    is the category (or plain) list's first page, so the links are followed and the signals add up
    there. A search, two facets or more, or a page number that was not valid: ``noindex, follow``.
    """
    facets_beyond_category = sum(
        len(value) if isinstance(value, list) else 1
        for name, value in values.items()
        if name not in ("category", "sort", "q")
    )
    return {
        "seo_noindex": "q" in values or facets_beyond_category > 1 or bool(page_notice),
        "canonical_page": page_number if facets_beyond_category == 0 and "sort" not in values else 1,
    }


@require_safe
@public_page(params=LIST_PARAMS)
def product_list(request: HttpRequest) -> HttpResponse:
    product_filter = ProductFilter(request.GET, queryset=Product.objects.published())
    values = product_filter.values
    counts = facets.facet_counts(product_filter)
    ids = facets.result_ids(product_filter, limit=MAX_PAGES * PER_PAGE)
    paginator = CountedPaginator(ids, PER_PAGE, count=counts.total, max_pages=MAX_PAGES)
    page, page_notice = _page(paginator, request.GET.get("page"))
    # The cards are rendered by {% product_cards %}: cached, and checked against published() (1-3 queries).
    page_ids = list(page.object_list)

    categories = facets.categories_by_slug()
    region_names = {region.code: region.short_name for region in facets.regions()}
    chips = _chips(values, categories, region_names)
    page_params = dict(values)
    context = {
        "filter": product_filter,
        "form": product_filter.form,
        "page_obj": page,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "paginator": paginator,
        "product_ids": page_ids,
        "eager_images": EAGER_IMAGES,  # on any page, the first row is what the visitor sees first
        # The filter form's HTML depends on the query (but not the page or the order), the counts and the language.
        "filters_fragment_key": facets.fragment_key(
            "filters",
            get_language(),
            sorted((k, v) for k, v in request.GET.lists() if k in ProductFilter.base_filters and k != "sort"),
        ),
        "fragment_timeout": facets.FACET_TIMEOUT,
        "total": counts.total,
        "search_text": values.get("q", ""),
        "sort_order": product_filter.sort_order,
        "chips": chips,
        "clear_url": _query_url({"q": values["q"]}) if "q" in values and len(chips) > 1 else "?",
        "ignored": product_filter.ignored,
        "page_notice": page_notice,
        "page_url_prefix": _query_url(page_params) + ("&" if page_params else "") + "page=",
        "selected_category": categories.get(values.get("category")),
        **_seo(values, page.number, page_notice),
        # Labelling the facets with their counts was 2 ms of every rendered page; the template calls this once,
        # inside the filter form's cached fragment, so a page whose filters are cached skips it.
        "facet_labels": functools.cache(functools.partial(_label_facets, product_filter, counts)),
    }
    if not product_filter.search_query:  # "most relevant" means nothing without a search
        product_filter.form.fields["sort"].choices = [(v, label) for v, label in Sort.CHOICES if v != Sort.RELEVANCE]
    return render(request, "catalog/product_list.html", context)


# --- The product page ------------------------------------------------------------------------


def _can_preview(user: object, product: Product) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (user.is_staff or product.ikm.owner_id == user.pk)


def _related_ids(product: Product) -> list[int]:
    """Up to 8 published products of the same category, then of its parent and sibling categories.

    Cached with the catalog's counts (1 or 2 queries when cold); the cards check they are still published.
    """
    key = facets.fragment_key("related", product.pk)
    ids = cache.get(key)
    if ids is None:
        others = Product.objects.published().exclude(pk=product.pk).order_by("-published_at", "-pk")
        ids = list(others.filter(category_id=product.category_id).values_list("pk", flat=True)[:RELATED_PRODUCTS])
        if len(ids) < RELATED_PRODUCTS:
            # The family: the top-level category and everything under it, known from the product's own row
            # (no category tree to load).
            top = product.category.parent_id or product.category_id
            family = others.filter(Q(category_id=top) | Q(category__parent_id=top)).exclude(
                category_id=product.category_id
            )
            ids += list(family.values_list("pk", flat=True)[: RELATED_PRODUCTS - len(ids)])
        cache.set(key, ids, facets.FACET_TIMEOUT)
    return ids


def _product_parts(product: Product, *, cached: bool) -> dict[str, str]:
    """The page's main HTML, its share image and its JSON-LD: cached per product version and language.

    When not cached, 3 queries (photos, valid certificates, shop links). The key holds the product's
    updated_at and the catalog version, so an edit, a new photo or a certificate shows at once.
    """
    key = facets.fragment_key("product", product.pk, product.updated_at.isoformat(), get_language())
    parts = cache.get(key) if cached else None
    if parts is None:
        prefetch_related_objects(
            [product],
            Prefetch("photos", queryset=ProductPhoto.objects.order_by("position")),
            Prefetch(
                "certifications",
                queryset=Certification.objects.valid().order_by("type", "-issued_on", "pk"),
                to_attr="valid_certifications",
            ),
            "ikm__links",
        )
        photos = list(product.photos.all())
        image_urls = [absolute(rendition_url(photo.image, SHARE_IMAGE_WIDTH)) for photo in photos]
        main_html = render_to_string(
            "catalog/includes/product_main.html",
            {
                "product": product,
                "ikm": product.ikm,
                "photos": photos,
                "cover": photos[0] if photos else None,
                "certifications": product.valid_certifications,
                "links": list(product.ikm.links.all()),
            },
        )
        parts = {
            "main_html": str(main_html),
            "cover_url": image_urls[0] if image_urls else "",
            "cover_alt": photos[0].alt if photos else "",
            "json_ld": str(product_json_ld(product, image_urls)),
        }
        if cached:
            cache.set(key, parts, facets.FACET_TIMEOUT)
    return parts


def count_view(product_id: int) -> None:
    """One more view of a public product, without a write per view.

    Views add up in the cache; the first view of a product in each VIEW_FLUSH_SECONDS writes the views
    that were waiting before it (one UPDATE without signals: no cache invalidation, no search-vector work)
    and waits itself for the next write. A popular product thus costs one UPDATE a minute instead of one per
    view (each a commit, and all of them queueing for the same row), and a page nobody else opens costs none.
    The count an owner sees lags by about a minute while the product is being viewed; the last views of a
    product wait in the cache for its next view.
    """
    waiting = f"catalog:views:{product_id}"
    try:
        cache.incr(waiting)
    except ValueError:  # the first view since the cache started
        cache.add(waiting, 0, timeout=None)
        cache.incr(waiting)
    if cache.add(f"catalog:views-written:{product_id}", True, timeout=VIEW_FLUSH_SECONDS):
        before = (cache.get(waiting) or 1) - 1
        if before > 0:
            cache.decr(waiting, before)  # views counted meanwhile stay for the next write
            Product.objects.filter(pk=product_id).update(view_count=F("view_count") + before)


def _count_cached_view(request: HttpRequest, meta: dict[str, object]) -> None:
    count_view(meta["product_id"])


@require_safe
@public_page(on_hit=_count_cached_view)
def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A public product, or a preview for its owner and staff; 3 queries when cached, at most 12."""
    product = get_object_or_404(
        Product.objects.select_related("ikm__region", "category__parent").defer("search_vector"), slug=slug
    )
    can_preview = _can_preview(request.user, product)
    is_preview = not product.is_public
    if is_preview and not can_preview:
        raise Http404(_("No product found."))
    if not is_preview and not can_preview:
        count_view(product.pk)
    parts = _product_parts(product, cached=not is_preview)
    context = {
        "product": product,
        "ikm": product.ikm,
        "main_html": mark_safe(parts["main_html"]),  # noqa: S308 - rendered by our own template
        "cover_url": parts["cover_url"],
        "cover_alt": parts["cover_alt"],
        "json_ld": mark_safe(parts["json_ld"]),  # noqa: S308 - escaped for <script> by json_for_script
        # Related products are for buyers; a preview (owner or staff) does without them.
        "related_ids": [] if is_preview else _related_ids(product),
        "is_preview": is_preview,
        "canonical_url": settings.SITE_URL + product.get_absolute_url(),
    }
    response = render(request, "catalog/product_detail.html", context)
    if is_preview:
        response.headers["X-Robots-Tag"] = "noindex"
        response.headers["Cache-Control"] = "private, no-store"
    response.page_cache_meta = {"product_id": product.pk}
    return response
