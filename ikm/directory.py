"""The directory's order and cards, cached with the catalog (a page renders two cache reads, no query).

The directory changes only when an IKM, a product or a certificate does, and each of those bumps the
catalog's generation (``catalog.facets``), which is part of every key here; the date is too, because a
halal badge ends with its certificate at midnight. So a cached order or card grid is never stale beyond
the next request after a change, and ``FACET_TIMEOUT`` only bounds how long an unused entry is kept.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from catalog.facets import FACET_TIMEOUT, fragment_key
from ikm.models import IKM


@dataclass(frozen=True)
class CardGrid:
    """A page's cards as HTML, and each IKM's name and address for the page's ItemList JSON-LD."""

    html: SafeString
    entries: list[tuple[str, str]]


def directory_ids(queryset: QuerySet, state: list[tuple[str, list[str]]]) -> list[int]:
    """The ids of the whole filtered directory, in order, per filter state (one query when not cached).

    At most the 5,000-odd public IKM: paging through a cached list costs nothing, where a COUNT(*) and an
    OFFSET query cost 3–5 ms of PostgreSQL on every rendered page.
    """
    key = fragment_key("ikm-directory-ids", state)
    ids = cache.get(key)
    if ids is None:
        ids = list(queryset.values_list("pk", flat=True))
        cache.set(key, ids, FACET_TIMEOUT)
    return ids


def directory_cards(ids: list[int]) -> CardGrid:
    """The cards of one page of the directory, in the current language (one query when not cached)."""
    key = fragment_key("ikm-cards", get_language(), ids)
    entry = cache.get(key)
    if entry is None:
        found = {ikm.pk: ikm for ikm in IKM.objects.filter(pk__in=ids).with_card_data()} if ids else {}
        listed = [found[pk] for pk in ids if pk in found]
        entry = {
            "html": render_to_string("ikm/includes/ikm_cards.html", {"ikm_list": listed}),
            "entries": [(ikm.name, ikm.get_absolute_url()) for ikm in listed],
        }
        cache.set(key, entry, FACET_TIMEOUT)
    return CardGrid(html=SafeString(entry["html"]), entries=entry["entries"])
