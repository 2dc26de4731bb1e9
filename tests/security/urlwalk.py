"""Every URL pattern of the site, read from the resolver, and a concrete URL for each.

The permission matrix (test_permission_matrix.py) classifies each pattern by its key: the pattern's
namespaced name (``catalog:owner-product-update``) or, for the few unnamed ones, its full route
(``admin/ikm/ikm/<path:object_id>/``).
"""

import re
from dataclasses import dataclass

from django.urls import LocalePrefixPattern, URLPattern, URLResolver, get_resolver, resolve

_PATH_PARAM = re.compile(r"<(?:\w+:)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^()]*\)")


@dataclass(frozen=True)
class Pattern:
    key: str
    route: str  # as ResolverMatch.route spells it
    name: str | None
    localized: bool  # inside i18n_patterns: also served under /en/


def _join(outer: str, inner: str) -> str:
    # As URLResolver._join_route: an inner regex's leading "^" is dropped (not a top-level one's).
    return outer + inner.removeprefix("^") if outer else inner


def _walk(patterns: list, prefix: str, namespace: str | None, localized: bool) -> list[Pattern]:
    found = []
    for entry in patterns:
        route = _join(prefix, str(entry.pattern))
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            found += _walk(
                entry.url_patterns, route, inner, localized or isinstance(entry.pattern, LocalePrefixPattern)
            )
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            found.append(Pattern(key=name or route, route=route, name=name, localized=localized))
    return found


def url_patterns() -> list[Pattern]:
    """Every pattern of the root URLconf (language-prefixed ones as the default language spells them)."""
    return _walk(get_resolver().url_patterns, "", None, False)


def fill(route: str, kwargs: dict[str, object]) -> str:
    """The path a route matches with these arguments: ``dasbor/produk/<int:pk>/ubah/`` → ``/dasbor/produk/7/ubah/``."""

    def value(match: re.Match) -> str:
        return str(kwargs[match.group("name")])

    # Regex groups first: "(?P<key>...)" holds "<key>", which looks like a path converter.
    path = _REGEX_GROUP.sub(value, route)
    path = _PATH_PARAM.sub(value, path)
    return "/" + path.replace("^", "").replace("$", "")


def resolves_to(path: str, route: str) -> bool:
    return resolve(path).route == route
