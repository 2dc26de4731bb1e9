from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.decorators.cache import cache_page

from catalog.sitemaps import SITEMAPS as CATALOG_SITEMAPS
from catalog.sitemaps import robots_txt
from exhibitions.sitemaps import EventSitemap
from galeri import views
from galeri.sitemaps import PageSitemap

# /sitemap.xml sections, each a page list in both languages.
SITEMAPS = {"pages": PageSitemap, **CATALOG_SITEMAPS, "events": EventSitemap}

# Language-neutral URLs (machines, not people).
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Crawlers: robots.txt, and a sitemap index whose sections list every page in both languages.
    path("robots.txt", robots_txt, name="robots-txt"),
    path(
        "sitemap.xml",
        # Crawlers read it rarely and it walks every page of every section: an hour's cache is fine.
        cache_page(3600)(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        cache_page(3600)(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]

# Pages: Indonesian unprefixed, English under /en/.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("akun/", include("allauth.urls")),
    path("", include("ikm.urls")),
    path("", include("catalog.urls")),
    path("", include("exhibitions.urls")),
    path("", include("inquiries.urls")),
    path("", include("moderation.urls")),
    prefix_default_language=False,
)

if settings.BENCH_FLOOR:
    urlpatterns += [path("bench/floor/", views.bench_floor, name="bench-floor")]

handler500 = "galeri.views.server_error_or_unavailable"

if settings.SERVE_MEDIA:
    # Development and `make serve` only; production serves media from the proxy or object storage.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", views.media),
    ]
