"""JSON for a `<script type="application/ld+json">` block, the one escaping every page uses.

Escapes what Django's json_script escapes, so no text in the data (a product named "</script>…")
can close the element or open a comment: it stays data.
"""

import json

from django.utils.safestring import SafeString, mark_safe

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def json_for_script(data: object) -> SafeString:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.translate(_ESCAPES))  # noqa: S308 - escaped above


# --- schema.org objects shared by several pages ----------------------------------------------

SCHEMA = "https://schema.org"


def breadcrumb_list(crumbs: list[tuple[str, str]]) -> dict[str, object]:
    """A BreadcrumbList from (name, absolute URL) pairs, the page itself last."""
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": str(name), "item": url}
            for position, (name, url) in enumerate(crumbs, start=1)
        ],
    }


def item_list(name: str, url: str, items: list[tuple[str, str]], *, start: int = 1) -> dict[str, object]:
    """An ItemList of a listing page: (name, absolute URL) per item; ``start`` is the first item's position
    (page 2 of 24 a page starts at 25), as Google's "summary page" carousels read it."""
    return {
        "@context": SCHEMA,
        "@type": "ItemList",
        "name": str(name),
        "url": url,
        "numberOfItems": len(items),
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": str(item_name), "url": item_url}
            for position, (item_name, item_url) in enumerate(items, start=start)
        ],
    }


def website(name: str, url: str, search_url: str) -> dict[str, object]:
    """The WebSite with its SearchAction (the search box a search engine may show under the site)."""
    return {
        "@context": SCHEMA,
        "@type": "WebSite",
        "name": name,
        "url": url,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search_url}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }
