"""Test-only URLs: a stand-in for ``ikm:ikm-detail`` while the ikm app has no public profile page yet.

``tests/moderation/conftest.py`` uses it only when ``ikm:ikm-detail`` cannot be reversed, so it switches itself
off once the real page exists (reports about an IKM link back to its page).
"""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from galeri import urls as site_urls
from ikm import urls as ikm_urls


def ikm_page_stand_in(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(f"IKM page stand-in: {slug}")


_ikm_with_detail = ([*ikm_urls.urlpatterns, path("ikm/<slug:slug>/", ikm_page_stand_in, name="ikm-detail")], "ikm")

# First, so its "ikm" namespace is the one reverse() finds; everything else is the site's own.
urlpatterns = [
    *i18n_patterns(path("", include(_ikm_with_detail)), prefix_default_language=False),
    *site_urls.urlpatterns,
]
handler500 = site_urls.handler500
