"""Whole rendered public pages for anonymous visitors, kept in the shared cache (Redis with ``REDIS_URL``).

A page is cached per address (path and query), host, scheme and language, under a *version* that changes
whenever anything a public page shows changes:

- the catalog generation (``catalog.facets``), bumped by every save or delete of a product, photo,
  certificate, IKM or category (and by ``bump_catalog_generation()`` after writes that send no signal);
- the pages generation below, bumped by every change to events, their programmes, exhibitors and awards,
  and to an IKM's shop links;
- today's date (a certificate stops being valid at midnight without any row changing).

So a change made through the ORM shows on the next request, on every worker. What no signal can see
(a ``QuerySet.update()`` without a bump, raw SQL, time passing) shows within ``PAGE_CACHE_SECONDS`` (300 s
by default), and within a minute on the event pages, whose state follows the clock (an event starting or
ending, an application window closing): the stated delays.

Never cached: signed-in users (dashboard links, previews), a visitor with messages waiting, requests with
query parameters the page does not know (each would be a new entry), and any response that is not a plain
200 or that sets a cookie or says ``private``/``no-store``. What differs per visitor inside an otherwise
shared page, the CSRF token of the inquiry form and the CSP nonce, is rendered as a placeholder and filled
in for each response, so the token and the nonce stay per visitor and match the cookie and the header.
The response still passes through every middleware, so its headers (``Vary: Cookie``, CSP, security
headers, the CSRF cookie) are the same as for a freshly rendered page.
"""

import hashlib
import time
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language

PAGES_GENERATION_KEY = "pages:generation"
# The longest a cached page may lag behind a change no signal reports (see the module docstring).
DEFAULT_TIMEOUT = 300
# Longer addresses are rendered but not cached (nobody types them; they would only fill the cache).
MAX_CACHED_PATH = 512


def _placeholder(name: str) -> str:
    # Derived from SECRET_KEY: the same in every worker, and not something a product description can contain.
    return f"pagecache{name}{salted_hmac('galeri.page_cache', name, algorithm='sha256').hexdigest()[:20]}"


CSRF_PLACEHOLDER = _placeholder("csrf")
NONCE_PLACEHOLDER = _placeholder("nonce")


def timeout(max_age: int | None = None) -> int:
    """How long a page stays cached: PAGE_CACHE_SECONDS, or less for a page that asks (``max_age``)."""
    seconds = int(getattr(settings, "PAGE_CACHE_SECONDS", DEFAULT_TIMEOUT))
    return min(seconds, max_age) if max_age is not None else seconds


# --- Versions ----------------------------------------------------------------------------------


def bump_pages_generation() -> None:
    """Make every cached page stale (events and IKM links call it through signals)."""
    try:
        cache.incr(PAGES_GENERATION_KEY)
    except ValueError:  # not in the cache yet (or evicted)
        cache.set(PAGES_GENERATION_KEY, time.time_ns() // 1000, timeout=None)


def page_version() -> str:
    """The catalog's and the pages' generations and today's date, in one round trip to the cache."""
    from catalog.facets import GENERATION_KEY, catalog_generation

    found = cache.get_many([GENERATION_KEY, PAGES_GENERATION_KEY])
    catalog = found.get(GENERATION_KEY)
    if catalog is None:
        catalog = catalog_generation()
    pages = found.get(PAGES_GENERATION_KEY)
    if pages is None:
        # From the clock, not 0, so an evicted or restarted cache never reuses an old generation's keys.
        cache.add(PAGES_GENERATION_KEY, time.time_ns() // 1000, timeout=None)
        pages = cache.get(PAGES_GENERATION_KEY)
    return f"{catalog}:{pages}:{timezone.localdate().isoformat()}"


def _pages_changed(**kwargs: object) -> None:
    # Now, and again once the transaction commits: a request that read the old rows between the two
    # bumps cannot leave its page under the newest version.
    bump_pages_generation()
    transaction.on_commit(bump_pages_generation)


def connect_models(models: Iterable[type], *, m2m: Iterable[type] = ()) -> None:
    """Bump the pages generation whenever one of ``models`` is saved or deleted (or an m2m ``through`` changes)."""
    for model in models:
        uid = f"page-cache-{model._meta.label_lower}"
        post_save.connect(_pages_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_pages_changed, sender=model, dispatch_uid=f"{uid}-delete")
    for through in m2m:
        m2m_changed.connect(_pages_changed, sender=through, dispatch_uid=f"page-cache-{through._meta.label_lower}")


# --- Placeholders ------------------------------------------------------------------------------


def placeholders(request: HttpRequest) -> dict[str, str]:
    """Context processor: while a page is rendered for the cache, the per-visitor values are placeholders.

    Listed after Django's csp processor (context processors later in the list win), and the view's own
    context never sets these names.
    """
    if getattr(request, "_page_cache_rendering", False):
        return {"csrf_token": CSRF_PLACEHOLDER, "csp_nonce": NONCE_PLACEHOLDER}
    return {}


def _fill(content: bytes, request: HttpRequest) -> bytes:
    """The visitor's own CSRF token and this response's CSP nonce in place of the placeholders."""
    if CSRF_PLACEHOLDER.encode() in content:
        # Sets (or keeps) the visitor's CSRF cookie, as rendering {% csrf_token %} does.
        content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    if NONCE_PLACEHOLDER.encode() in content:
        # Reading the nonce makes the CSP middleware put it in this response's header.
        nonce = get_nonce(request)  # a LazyNonce is false until read: compare with None
        content = content.replace(NONCE_PLACEHOLDER.encode(), (str(nonce) if nonce is not None else "").encode())
    return content


# --- The decorator -----------------------------------------------------------------------------


def _is_cacheable_request(request: HttpRequest, params: frozenset[str]) -> bool:
    if request.method not in ("GET", "HEAD") or timeout() <= 0:
        return False
    if len(request.get_full_path()) > MAX_CACHED_PATH or not params.issuperset(request.GET.keys()):
        return False
    if request.user.is_authenticated:
        return False
    # len() loads the waiting messages without marking them read; a page showing them is rendered afresh.
    return len(get_messages(request)) == 0


def _is_cacheable_response(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.headers.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


def _key(request: HttpRequest, name: str) -> str:
    where = "\n".join((request.scheme, request.get_host(), get_language() or "", request.get_full_path()))
    digest = hashlib.sha256(where.encode()).hexdigest()[:32]
    return f"page:{name}:{page_version()}:{digest}"


def public_page(
    *,
    params: Iterable[str] = (),
    on_hit: Callable[[HttpRequest, dict[str, Any]], None] | None = None,
    max_age: int | None = None,
) -> Callable:
    """Serve a public view's anonymous responses from the cache (see the module docstring).

    ``params``: the query parameters the page understands; an address with any other is not cached.
    ``on_hit(request, meta)``: work a cached response must still do (counting a product view), with the
    ``page_cache_meta`` dict the view put on its response. ``max_age``: seconds, for a page that changes
    with the clock and must not stay cached as long as PAGE_CACHE_SECONDS.
    """
    known = frozenset(params)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        name = f"{view.__module__}.{view.__qualname__}"

        @wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            if not _is_cacheable_request(request, known):
                return view(request, *args, **kwargs)
            # The key (and so the version) is taken before the page reads the database: a change committed
            # while it renders bumps the version, and the page is stored under the one it was read for.
            key = _key(request, name)
            entry = cache.get(key)
            if entry is not None:
                if on_hit is not None:
                    on_hit(request, entry["meta"])
                response = HttpResponse(_fill(entry["content"], request), headers=entry["headers"])
                if settings.QUERY_COUNT_HEADER:  # benchmarks only (bench/run.py counts hits)
                    response.headers["X-Page-Cache"] = "hit"
                return response
            request._page_cache_rendering = True
            try:
                response = view(request, *args, **kwargs)
            finally:
                request._page_cache_rendering = False
            if _is_cacheable_response(response):
                entry = {
                    "content": response.content,
                    "headers": dict(response.headers),
                    "meta": getattr(response, "page_cache_meta", {}),
                }
                cache.set(key, entry, timeout(max_age))
            if not response.streaming:
                response.content = _fill(response.content, request)
            if settings.QUERY_COUNT_HEADER:
                response.headers["X-Page-Cache"] = "miss"
            return response

        return wrapper

    return decorator
