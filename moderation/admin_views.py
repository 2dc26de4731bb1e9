"""Admin pages of the moderation app, added to the admin site's URLs by moderation/admin.py.

``statistik/``: the province's figures (any staff member). ``ekspor/ikm.csv`` and ``ekspor/produk.csv``:
full exports, streamed, for staff who may view IKM or products. Every view is wrapped by
``admin_site.admin_view``: anonymous visitors and non-staff accounts are sent to the admin login.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from moderation import exports, statistics


@require_safe
def statistics_view(request: HttpRequest, *, site: admin.AdminSite) -> HttpResponse:
    stats = statistics.compute()
    context = {
        **site.each_context(request),
        "title": _("Statistics"),
        "subtitle": None,
        "stats": stats,
    }
    return TemplateResponse(request, "admin/moderation/statistics.html", context)


@require_safe
def export_ikm_view(request: HttpRequest, *, site: admin.AdminSite) -> StreamingHttpResponse:
    if not request.user.has_perm("ikm.view_ikm"):
        raise PermissionDenied
    return exports.ikm_csv()


@require_safe
def export_products_view(request: HttpRequest, *, site: admin.AdminSite) -> StreamingHttpResponse:
    if not request.user.has_perm("catalog.view_product"):
        raise PermissionDenied
    return exports.products_csv()
