"""Who is asking, and how often: the client address (hashed), fixed-window rate limits, and bot user agents.

The limits count in Django's cache with ``cache.add`` + ``cache.incr``, which are atomic in Redis and
memcached and within one process for the local-memory cache. With several workers or servers, set
``REDIS_URL`` so they share one counter; with the default local-memory cache each worker counts on its own
(so the real limit is the limit times the number of workers).
"""

import re
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

# Key prefix of every counter; the window number is part of the key so old windows simply expire.
_PREFIX = "inquiries:rl"


def client_ip(request: HttpRequest) -> str:
    """The visitor's address: REMOTE_ADDR, or the address the trusted proxies put in X-Forwarded-For.

    ``INQUIRY_TRUSTED_PROXIES`` (a setting, default 0) is how many proxies of ours stand in front of Django;
    each appends the address it received from, so the client is that many entries from the end. Entries
    further left are typed by the client and could be forged, so they are never read.
    """
    proxies = int(getattr(settings, "INQUIRY_TRUSTED_PROXIES", 0))
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def hash_value(kind: str, value: str) -> str:
    """A keyed hash (HMAC-SHA256 with SECRET_KEY), so neither the cache nor the database holds the value itself.

    Plain SHA-256 of an IPv4 address could be reversed by trying all 4 billion addresses; without the
    secret key that is impossible.
    """
    return salted_hmac(f"galeri.inquiries.{kind}", value.strip().lower(), algorithm="sha256").hexdigest()


def hit(scope: str, value: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt for ``value`` in the current window; False once it is beyond ``limit``.

    A fixed window (e.g. 10:00-10:59): simple, one cache key per value, and at worst 2 × limit
    attempts across a window boundary, which is fine for keeping spam out of an inbox.
    """
    window = int(time.time() // window_seconds)
    key = f"{_PREFIX}:{scope}:{hash_value(scope, value)}:{window}"
    # add() is a no-op when the key exists; the extra minute keeps the key until its window has passed.
    cache.add(key, 0, timeout=window_seconds + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add() and incr()
        cache.set(key, 1, timeout=window_seconds + 60)
        count = 1
    return count <= limit


def once(scope: str, value: str, *, seconds: int) -> bool:
    """True the first time ``value`` is seen in ``seconds`` (for counting a repeated click once)."""
    return cache.add(f"{_PREFIX}:{scope}:{hash_value(scope, value)}", 1, timeout=seconds)


# Link-preview fetchers, crawlers and scripts. Browsers (headless ones included) are counted.
_BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|whatsapp|telegram|discord|skype|slack|embedly|"
    r"curl|wget|python-|httpclient|okhttp|go-http|java/|libwww|scrapy|headless(?!chrome)|monitor|uptime",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    """True for an empty user agent or one that names a crawler, link-preview fetcher or script."""
    return not user_agent.strip() or bool(_BOT_USER_AGENT.search(user_agent))
