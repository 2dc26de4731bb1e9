"""/sitemap.xml (an index of sections, each in both languages) and /robots.txt.

Each section lists every public page once per language (``i18n = True``) with its hreflang
alternates, in pages of 2,000 items so a section page stays small and fast at 50,000 products.
The index's ``lastmod`` per section is one aggregate query, not a walk over every item.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from catalog.models import Category, Product
from ikm.models import IKM

SITEMAP_PAGE_SIZE = 2000  # items per section page (times two languages): small, quick pages


class _GaleriSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True  # the Indonesian (unprefixed) page is the default
    limit = SITEMAP_PAGE_SIZE

    def get_latest_lastmod(self):  # noqa: ANN201 - Django's signature
        """One MAX() query instead of Django's default walk over every item."""
        return self.items().aggregate(latest=Max("updated_at"))["latest"]

    def lastmod(self, item: object):  # noqa: ANN201
        return item.updated_at


class ProductSitemap(_GaleriSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self) -> QuerySet:
        return Product.objects.published().only("slug", "updated_at").order_by("pk")


class IKMSitemap(_GaleriSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self) -> QuerySet:
        return IKM.objects.public().only("slug", "updated_at").order_by("pk")


class CategorySitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "daily"
    priority = 0.5

    def items(self) -> QuerySet:
        return Category.objects.order_by("position", "pk")


# The catalog's sections; galeri/urls.py adds the other apps' (events) to make /sitemap.xml.
SITEMAPS: dict[str, type[Sitemap]] = {
    "products": ProductSitemap,
    "ikm": IKMSitemap,
    "categories": CategorySitemap,
}


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Allow everything public; keep crawlers out of the account, dashboard and admin pages."""
    private = ["/dasbor/", "/akun/"]
    # A custom ADMIN_URL is kept secret by not naming it here.
    if settings.ADMIN_URL == "admin/":
        private.append("/admin/")
    lines = ["User-agent: *", "Allow: /"]
    for prefix in private:
        lines += [f"Disallow: {prefix}", f"Disallow: /en{prefix}"]
    lines.append(f"Sitemap: {settings.SITE_URL}{reverse('sitemap-index')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
