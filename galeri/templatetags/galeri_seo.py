"""Search engines and share previews: the canonical URL, hreflang links and JSON-LD scripts.

The canonical rules (docs/quality.md): a page's canonical is its own absolute address on ``SITE_URL``
in its language, keeping only the query parameters that make it a distinct page worth indexing
(a category, a page number); a page told ``noindex`` (searches, deep filter combinations, previews)
gets ``<meta name="robots" content="noindex, follow">`` instead and no canonical, so crawlers get one
signal, never two that disagree. The hreflang links name the same canonical page in Indonesian,
English and, as ``x-default``, the Indonesian one (the site's default language).
"""

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from galeri.jsonld import item_list, json_for_script, website

register = template.Library()


def _kept_query(params: dict[str, object]) -> str:
    """``?category=kopi&page=2`` from the parameters worth keeping: empty values and page 1 dropped."""
    kept = [(name, value) for name, value in params.items() if value not in (None, "") and (name, value) != ("page", 1)]
    return f"?{urlencode(kept)}" if kept else ""


@register.simple_tag(takes_context=True)
def seo_links(context: template.Context, noindex: bool = False, **params: object) -> SafeString:
    """``{% seo_links category=slug page=page.number %}``: canonical, hreflang (id, en, x-default), og:url.

    With ``noindex=True``: a robots meta instead, and og:url the address as it is. No queries.
    """
    request = context.get("request")
    if request is None:
        return SafeString("")
    if noindex:
        return format_html(
            '<meta name="robots" content="noindex, follow">\n  <meta property="og:url" content="{}">',
            settings.SITE_URL + request.get_full_path(),
        )
    query = _kept_query(params)
    urls = {code: settings.SITE_URL + translate_url(request.path, code) + query for code, _name in settings.LANGUAGES}
    canonical = urls.get(get_language(), settings.SITE_URL + request.path + query)
    alternates = [*urls.items(), ("x-default", urls[settings.LANGUAGE_CODE])]
    return format_html(
        '<link rel="canonical" href="{}">\n  {}\n  <meta property="og:url" content="{}">',
        canonical,
        format_html_join("\n  ", '<link rel="alternate" hreflang="{}" href="{}">', alternates),
        canonical,
    )


@register.simple_tag(takes_context=True)
def json_ld(context: template.Context, data: object) -> SafeString:
    """``{% json_ld data %}``: a ``<script type="application/ld+json">`` block, escaped by json_for_script.

    Data blocks do not run, but they carry the page's CSP nonce like every script element.
    """
    if not data:
        return SafeString("")
    return format_html(
        '<script type="application/ld+json" nonce="{}">{}</script>', context.get("csp_nonce", ""), json_for_script(data)
    )


@register.simple_tag(takes_context=True)
def website_json_ld(context: template.Context) -> SafeString:
    """The home page's WebSite with a SearchAction into the catalog search, in the page's language."""
    data = website(
        settings.SITE_NAME,
        settings.SITE_URL + reverse("home"),
        settings.SITE_URL + reverse("catalog:product-list"),
    )
    return json_ld(context, data)


@register.simple_tag(takes_context=True)
def item_list_json_ld(context: template.Context, name: str, objects: object, start: int = 1) -> SafeString:
    """An ItemList of a listing page's objects (each with ``name`` or ``title`` and get_absolute_url()).

    ``objects`` should already be evaluated (a page's list): no queries here. Cached listings pass
    ``(name, path)`` pairs instead of objects.
    """
    request = context.get("request")
    pairs = [
        obj if isinstance(obj, tuple) else (getattr(obj, "name", None) or obj.title, obj.get_absolute_url())
        for obj in objects
    ]
    items = [(name, settings.SITE_URL + path) for name, path in pairs]
    if request is None or not items:
        return SafeString("")
    return json_ld(context, item_list(name, settings.SITE_URL + request.get_full_path(), items, start=start))
