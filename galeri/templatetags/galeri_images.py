"""``{% responsive_image %}``: one ``<img>`` with the pipeline's WebP renditions in ``srcset``."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from galeri.images import RENDITION_WIDTHS, rendition_url

register = template.Library()

# The rendition in ``src``: what a browser without srcset support gets, and the size of width/height.
DEFAULT_WIDTH = 640


@register.simple_tag
def responsive_image(
    name: str,
    width: int | None,
    height: int | None,
    alt: str,
    sizes: str = "(min-width: 40em) 33vw, 100vw",
    loading: str = "lazy",
    fetchpriority: str = "",
    css_class: str = "",
) -> SafeString:
    """``{% responsive_image photo.image photo.width photo.height photo.alt sizes="…" loading="eager" %}``.

    ``width``/``height`` are the stored original's; the ``<img>`` gets the 640 rendition's, which keep the
    ratio so the browser reserves the space before the file arrives (no layout shift). A picture
    narrower than a rendition width has that rendition at its own width, and srcset says so truthfully.
    Renders nothing when ``name`` is empty.
    """
    if not name:
        return SafeString("")
    known = bool(width and height)
    candidates: list[str] = []
    seen: set[int] = set()
    for each in sorted(RENDITION_WIDTHS):
        actual = min(each, width) if known else each
        if actual in seen:
            continue  # the same pixels as the previous rendition: offering both only costs a download
        seen.add(actual)
        candidates.append(f"{rendition_url(name, each)} {actual}w")
    attrs: dict[str, str | None] = {
        "src": rendition_url(name, DEFAULT_WIDTH),
        "srcset": ", ".join(candidates),
        "sizes": sizes or None,
    }
    if known:
        shown = min(DEFAULT_WIDTH, width)
        attrs["width"] = str(shown)
        attrs["height"] = str(max(1, round(height * shown / width)))
    attrs["alt"] = alt or ""
    attrs["loading"] = loading or None
    attrs["fetchpriority"] = fetchpriority or None
    attrs["decoding"] = "async"
    attrs["class"] = css_class or None
    # In this order (src first, for people reading the HTML); values escaped by format_html_join.
    return format_html("<img{}>", format_html_join("", ' {}="{}"', ((k, v) for k, v in attrs.items() if v is not None)))
