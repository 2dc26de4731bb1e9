"""Product search: Indonesian full-text search on PostgreSQL, a simpler LIKE search on SQLite.

Both take the same parsed query (:func:`parse_query`) and give the same contract: ``search_filter``
keeps the products that match (the filter is on the match, never on a rank threshold) and
``search_rank`` annotates ``rank`` for the relevance order. How each path works, and why, is in
docs/search.md.

PostgreSQL
    The stored ``search_vector`` (migration 0003: name A, category and IKM names B, descriptions C,
    ``indonesian`` configuration, so "menjual" matches "jual") is matched with ``to_tsquery``: every
    word must match, the last one as a prefix ("kop" finds "kopi"), and a k(e)r- word in either
    spelling ("kripik" or "keripik": :func:`spellings`). Other typos are caught by pg_trgm when
    the full-text match finds few products (``typo_tolerant``): a product then also matches when
    the typed text is word-similar to its name ("tapiz" finds
    "Tapis", "robusa" finds "Robusta"; the ``<%`` operator uses the trigram index and the default
    threshold, pg_trgm.word_similarity_threshold = 0.6). Rank: ts_rank_cd + word_similarity.

SQLite
    Every word must occur (case-insensitive LIKE) in the name, the short description, the
    description, the category names or the IKM name, after a small Indonesian normalisation
    (:func:`word_stem`): common affixes are dropped ("menjual" looks for "jual") and the k(e)r-
    spelling variants meet ("kripik" and "keripik" both look for "ripik").
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connections
from django.db.models import BooleanField, Case, F, FloatField, Func, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Lower

MAX_QUERY_LENGTH = 100  # characters kept of what was typed (the header's search box has the same limit)
MAX_WORDS = 8
MAX_WORD_LENGTH = 40
SEARCH_CONFIG = "indonesian"

# Letters and digits of any script; everything else (punctuation, tsquery operators) separates words.
_WORD = re.compile(r"[^\W_]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# "kripik"/"keripik", "krupuk"/"kerupuk": real listings spell both (DOMAIN.md).
_KR_VARIANT = re.compile(r"^ke?(?=r[aiueo])")
_MIN_STEM = 4  # letters a stripped word must keep


@dataclass(frozen=True)
class ParsedQuery:
    """What was typed, cleaned (``text``), and the words searched for (lower case, at most 8)."""

    text: str
    words: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.words)


def clean_query_text(value: str) -> str:
    """Drop control characters (NUL included), collapse spaces, keep at most 100 characters."""
    return " ".join(_CONTROL.sub(" ", value).split())[:MAX_QUERY_LENGTH].strip()


def parse_query(value: str | None) -> ParsedQuery:
    text = clean_query_text(value or "")
    words = tuple(word[:MAX_WORD_LENGTH] for word in _WORD.findall(text.lower()))[:MAX_WORDS]
    return ParsedQuery(text=text, words=words)


def _is_postgresql(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def supports_typo_tolerance() -> bool:
    """Only PostgreSQL (pg_trgm) has a typo-tolerant mode; SQLite's stems already cover its variants."""
    return connections["default"].vendor == "postgresql"


def search_filter(queryset: QuerySet, query: ParsedQuery, *, typo_tolerant: bool = False) -> QuerySet:
    """Keep the products that match every word of ``query`` (all products when it has no words).

    ``typo_tolerant`` (PostgreSQL) also accepts products whose name is word-similar to the text;
    the catalog turns it on only when the full-text match finds few products (catalog/facets.py),
    because the trigram test costs more than the full-text one and common words need no rescue.
    """
    if not query:
        return queryset
    if _is_postgresql(queryset):
        return queryset.filter(_pg_match(query, typo_tolerant=typo_tolerant))
    return queryset.filter(_sqlite_match(query))


def search_rank(queryset: QuerySet, query: ParsedQuery, *, typo_tolerant: bool = False) -> QuerySet:
    """Annotate ``rank`` (higher is more relevant) for ``order_by("-rank", ...)``."""
    if not query:
        return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    if _is_postgresql(queryset):
        rank = SearchRank(F("search_vector"), _pg_tsquery(query), cover_density=True)
        if typo_tolerant:
            rank = rank + TrigramWordSimilarity(_trigram_text(query), Lower("name"))
        return queryset.annotate(rank=rank)
    return queryset.annotate(rank=_sqlite_rank(query))


# --- PostgreSQL ------------------------------------------------------------------------------


class _WordSimilar(Func):
    """``text <% lower(name)``: true when word_similarity passes pg_trgm's threshold; served by the trigram index."""

    arg_joiner = " <%% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def spellings(word: str) -> list[str]:
    """The word and its k(e)r- spelling variant: "kripik" → ["kripik", "keripik"], and back.

    Real listings write both (DOMAIN.md), and the Indonesian stemmer reads them differently
    ("keripik" loses its ke- prefix, "kripik" has none), so the query asks for both.
    """
    rest = _KR_VARIANT.sub("", word)
    if rest == word or len(rest) < _MIN_STEM:
        return [word]
    return sorted({word, f"k{rest}", f"ke{rest}"})


def _pg_tsquery(query: ParsedQuery) -> SearchQuery:
    # The words hold only letters and digits, so this raw tsquery cannot be malformed.
    groups = []
    for position, word in enumerate(query.words):
        suffix = ":*" if position == len(query.words) - 1 else ""
        groups.append("(" + " | ".join(f"{spelling}{suffix}" for spelling in spellings(word)) + ")")
    return SearchQuery(" & ".join(groups), search_type="raw", config=SEARCH_CONFIG)


def _trigram_text(query: ParsedQuery) -> str:
    return " ".join(query.words)


def _pg_match(query: ParsedQuery, *, typo_tolerant: bool) -> Q:
    match = Q(search_vector=_pg_tsquery(query))
    if typo_tolerant:
        match |= Q(_WordSimilar(Value(_trigram_text(query)), Lower("name")))
    return match


# --- SQLite (and any other database) ---------------------------------------------------------

# Longest first; the remainder must keep at least 4 letters, so "merah" or "meja" are left alone.
_PREFIXES = ("meng", "mem", "men", "me", "ber", "di")
_SUFFIXES = ("kan", "nya", "an")

_TEXT_FIELDS = ("name", "short_description", "description")
_LABEL_FIELDS = (
    "category__name",
    "category__name_en",
    "category__parent__name",
    "category__parent__name_en",
    "ikm__name",
)


def word_stem(word: str) -> str:
    """The part of an Indonesian word the SQLite search looks for: always a substring of ``word``.

    Because it is a substring, the stem finds everything the word itself would, and the inflected
    forms besides: "menjual" → "jual" finds "dijual" and "jual"; "minuman" → "minum".
    """
    stem = word.lower()
    for prefix in _PREFIXES:
        if stem.startswith(prefix) and len(stem) - len(prefix) >= _MIN_STEM:
            stem = stem[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= _MIN_STEM:
            stem = stem[: -len(suffix)]
            break
    variant = _KR_VARIANT.sub("", stem)
    if len(variant) >= _MIN_STEM:
        stem = variant
    return stem


def _sqlite_match(query: ParsedQuery) -> Q:
    condition = Q()
    for word in query.words:
        stem = word_stem(word)
        any_field = Q()
        for field in (*_TEXT_FIELDS, *_LABEL_FIELDS):
            any_field |= Q(**{f"{field}__icontains": stem})
        condition &= any_field
    return condition


def _sqlite_rank(query: ParsedQuery):
    """4 per word in the name, 2 in a category or IKM name, 1 in the descriptions."""
    total = Value(0)
    for word in query.words:
        stem = word_stem(word)
        labels = Q()
        for field in _LABEL_FIELDS:
            labels |= Q(**{f"{field}__icontains": stem})
        total = total + Case(
            When(name__icontains=stem, then=Value(4)),
            When(labels, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    return total
