# TEMPORARY (not committed): detail routes of other apps until they ship. Delete when ikm/catalog have them.
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path

import catalog.urls
import ikm.urls
from galeri import views


def stub(request, slug):
    return HttpResponse("stub")


urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("akun/", include("allauth.urls")),
    path("", include(([*ikm.urls.urlpatterns, path("ikm/<slug:slug>/", stub, name="ikm-detail")], "ikm"))),
    path(
        "",
        include(([*catalog.urls.urlpatterns, path("produk/<slug:slug>/", stub, name="product-detail")], "catalog")),
    ),
    path("", include("exhibitions.urls")),
    prefix_default_language=False,
)
