"""The public pages that search engines and phones see, a small site to render them, and an HTML reader.

Shared by test_seo.py and test_page_weight.py (imported, not collected): each makes a ``site`` fixture
with ``build_site(make_ikm, make_product)``.
"""

import datetime as dt
import json
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.utils import timezone

PRODUCTS = 30  # more than a catalog page (24): page 2 exists


@dataclass
class PublicSite:
    product: object
    ikm: object
    event: object
    other_products: list = field(default_factory=list)

    def paths(self) -> dict[str, str]:
        """The seven public pages (the catalog with a filter), Indonesian; English adds /en."""
        return {
            "home": "/",
            "products": "/produk/",
            "products-filtered": "/produk/?category=kopi&region=18.71",
            "product": self.product.get_absolute_url(),
            "ikm-list": "/ikm/",
            "ikm": self.ikm.get_absolute_url(),
            "events": "/acara/",
            "event": self.event.get_absolute_url(),
        }


def photo_rows(product: object, count: int, start: int = 0) -> list:
    """Photo rows as the pipeline stores them (the renditions' URLs need no file)."""
    from catalog.models import ProductPhoto

    return ProductPhoto.objects.bulk_create(
        ProductPhoto(
            product=product,
            image=f"produk/{product.pk:016x}{n:016x}/original.jpg",
            width=1200,
            height=900,
            alt_text=f"{product.name}, foto {n + 1}",
            position=n,
        )
        for n in range(start, start + count)
    )


def build_site(make_ikm, make_product) -> PublicSite:
    """For a ``site`` fixture: an IKM with a logo and a cover, 30 priced products with photos, an exhibition."""
    from catalog.models import Category
    from exhibitions.models import Event

    ikm = make_ikm(
        name="Kopi Sai Bumi",
        slug="kopi-sai-bumi",
        tagline="Robusta petik merah dari lereng Tanggamus",
        story="Kami mengolah kopi sejak 2009.",
        address="Jl. Raya Gisting No. 12",
        kecamatan="Gisting",
        region_id="18.06",
        logo="ikm/logos/00000000000000000000000000000001/original.jpg",
        logo_width=400,
        logo_height=400,
        cover="ikm/covers/00000000000000000000000000000002/original.jpg",
        cover_width=1600,
        cover_height=600,
    )
    city_ikm = make_ikm(name="Keripik Tugu", slug="keripik-tugu", region_id="18.71")
    kopi = Category.objects.get(slug="kopi")
    product = make_product(
        ikm,
        name="Kopi Robusta Tanggamus 250 g",
        slug="kopi-robusta-tanggamus",
        category=kopi,
        price_min=45000,
        short_description="Biji robusta petik merah, disangrai sedang.",
        description="Kopi robusta dari kebun kami di Gisting.\n\nDisangrai setiap minggu.",
    )
    photo_rows(product, 3)
    others = []
    for n in range(PRODUCTS - 1):
        other = make_product(
            city_ikm if n % 2 else ikm,
            name=f"Produk Lampung {n:02}",
            slug=f"produk-lampung-{n:02}",
            category=kopi if n % 3 == 0 else Category.objects.get(slug="keripik-camilan"),
            price_min=20000 + n * 1000,
            price_max=30000 + n * 1000 if n % 4 == 0 else None,
        )
        photo_rows(other, 1)
        others.append(other)
    now = timezone.now()
    event = Event.objects.create(
        kind=Event.Kind.PAMERAN,
        title="Lampung Craft 2026",
        slug="lampung-craft-2026",
        summary="Pameran kerajinan dan kuliner IKM Lampung.",
        starts_at=now + dt.timedelta(days=30),
        ends_at=now + dt.timedelta(days=32),
        venue_name="Graha Wangsa",
        venue_address="Jl. Wolter Monginsidi No. 1",
        region_id="18.71",
        organiser="Dekranasda Provinsi Lampung",
        status=Event.Status.PUBLISHED,
        published_at=now,
        banner="acara/00000000000000000000000000000003/original.jpg",
        banner_width=1600,
        banner_height=900,
    )
    return PublicSite(product=product, ikm=ikm, event=event, other_products=others)


# --- Reading a page --------------------------------------------------------------------------


class PageReader(HTMLParser):
    """Collects what search engines and share previews read, and every element that loads something."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.metas: list[dict[str, str]] = []
        self.links: list[dict[str, str]] = []
        self.scripts: list[dict[str, str]] = []
        self.images: list[dict[str, str]] = []
        self.json_ld: list[str] = []
        self.html_lang = ""
        self._in: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.html_lang = values.get("lang", "")
        elif tag == "meta":
            self.metas.append(values)
        elif tag == "link":
            self.links.append(values)
        elif tag == "img":
            self.images.append(values)
        elif tag == "script":
            self.scripts.append(values)
            if values.get("type") == "application/ld+json":
                self._in, self._text = "ld", []
        elif tag == "title":
            self._in, self._text = "title", []

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in == "ld":
            self.json_ld.append("".join(self._text))
            self._in = None
        elif tag == "title" and self._in == "title":
            self.title = "".join(self._text).strip()
            self._in = None

    def meta(self, key: str) -> list[str]:
        """Contents of <meta name=key> or <meta property=key>."""
        return [m.get("content", "") for m in self.metas if key in (m.get("name"), m.get("property"))]

    def link_hrefs(self, rel: str, **attrs: str) -> list[str]:
        return [
            link.get("href", "")
            for link in self.links
            if rel in link.get("rel", "").split() and all(link.get(k) == v for k, v in attrs.items())
        ]

    def structured_data(self) -> list[dict]:
        """Every JSON-LD object on the page (a block may hold a list of them), parsed with json.loads."""
        found: list[dict] = []
        for block in self.json_ld:
            data = json.loads(block)
            found.extend(data if isinstance(data, list) else [data])
        return found


def read(html: str) -> PageReader:
    reader = PageReader()
    reader.feed(html)
    reader.close()
    return reader
