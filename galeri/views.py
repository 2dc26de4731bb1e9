"""Site-wide pages that belong to no single app: home, health check."""

import logging
import sys

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.models import F
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.defaults import server_error
from django.views.static import serve

from catalog.facets import FACET_TIMEOUT, fragment_key, published_counts_by_top_category
from catalog.models import Product
from catalog.templatetags.catalog_tags import card_grids
from galeri.page_cache import public_page
from ikm.models import IKM

logger = logging.getLogger(__name__)


HOME_PRODUCTS = 8
HOME_IKM = 6
HOME_EAGER_IMAGES = 4  # as {% product_cards featured_ids eager=4 %} in galeri/home.html


@require_safe
@public_page()
def home(request: HttpRequest) -> HttpResponse:
    """Featured and newest products, categories with counts, newest IKM.

    What to show is cached with the catalog's counts (catalog.facets); the two grids of cards are rendered
    and cached together by ``card_grids()``, which checks they are still published: 1 query when warm,
    8 when nothing is cached. Anonymous visitors mostly get the whole page from galeri.page_cache (none).
    """
    key = fragment_key("home-lists")
    lists = cache.get(key)
    if lists is None:
        newest = Product.objects.published().order_by("-published_at", "-pk").values_list("pk", flat=True)
        lists = {
            "featured_ids": list(newest.filter(is_featured=True)[:HOME_PRODUCTS]),
            "newest_ids": list(newest[:HOME_PRODUCTS]),
            "newest_ikm": list(
                IKM.objects.public().with_card_data().order_by(F("verified_at").desc(nulls_last=True), "-pk")[:HOME_IKM]
            ),
        }
        cache.set(key, lists, FACET_TIMEOUT)
    grids = [(lists["featured_ids"], HOME_EAGER_IMAGES), (lists["newest_ids"], 0)]
    prepared = {(tuple(ids), eager): html for (ids, eager), html in zip(grids, card_grids(grids), strict=True)}
    context = {**lists, "categories": published_counts_by_top_category(), "card_grids": prepared}
    return render(request, "galeri/home.html", context)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and uptime checks: 200 when the database answers, 503 when not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error_or_unavailable(request: HttpRequest) -> HttpResponse:
    """handler500: a database that does not answer is a 503 (try again soon), not a bug.

    Rendered without the request context: with the database down, even the session or the
    user would fail. Django reconnects on the next request, so Galeri recovers without a restart.
    """
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return server_error(request)


@require_safe
def bench_floor(request: HttpRequest) -> HttpResponse:
    """The framework's floor for benchmarks: a small template through the full middleware stack, no queries."""
    return render(request, "galeri/bench_floor.html")


# Every stored image gets a new folder (galeri.images.store_image): a file never changes under its name, so
# browsers may keep it. A month, not forever: a removed photo should not live on in shared caches for long.
MEDIA_CACHE_CONTROL = "public, max-age=2592000, immutable"


def media(request: HttpRequest, path: str) -> HttpResponse:
    """Uploads under MEDIA_URL, for development and `make serve` only (SERVE_MEDIA); production's proxy or
    object storage serves them with the same Cache-Control."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response.headers["Cache-Control"] = MEDIA_CACHE_CONTROL
    return response
