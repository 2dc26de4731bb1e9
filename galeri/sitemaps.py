"""The /sitemap.xml section of the site's own pages: home and the three listings, in both languages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class PageSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True  # the Indonesian (unprefixed) page is the default
    changefreq = "daily"
    priority = 1.0

    def items(self) -> list[str]:
        return ["home", "catalog:product-list", "ikm:ikm-list", "exhibitions:event-list"]

    def location(self, item: str) -> str:
        # Reversed in the language Django's sitemap activates for each (i18n = True): /produk/ and /en/produk/.
        return reverse(item)
