import json

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from catalog.models import Product
from ikm.models import IKM


@require_safe
def ikm_list(request: HttpRequest) -> HttpResponse:
    return render(request, "ikm/ikm_list.html")


def _json_ld(data: dict) -> str:
    """JSON for a <script type="application/ld+json"> block: <, > and & escaped so no text can close it."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@require_safe
def ikm_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The public profile; a preview with a banner for its owner and staff while it is not public."""
    ikm = get_object_or_404(IKM.objects.select_related("region").prefetch_related("links"), slug=slug)
    is_owner = request.user.is_authenticated and ikm.owner_id == request.user.pk
    if not ikm.is_public and not (is_owner or request.user.is_staff):
        raise Http404
    products = list(Product.objects.published().filter(ikm=ikm).with_card_data()[:12])
    url = settings.SITE_URL + ikm.get_absolute_url()
    json_ld = {
        "@context": "https://schema.org",
        "@type": "LocalBusiness",
        "name": ikm.name,
        "url": url,
        "description": ikm.tagline or ikm.story[:200],
        "address": {
            "@type": "PostalAddress",
            "streetAddress": ikm.address,
            "addressLocality": ikm.kecamatan or ikm.region.short_name,
            "addressRegion": "Lampung",
            "addressCountry": "ID",
        },
    }
    if ikm.whatsapp:
        json_ld["telephone"] = ikm.whatsapp
    if ikm.logo:
        from galeri.images import rendition_url

        json_ld["image"] = request.build_absolute_uri(rendition_url(ikm.logo, 640))
    return render(
        request,
        "ikm/ikm_detail.html",
        {"ikm": ikm, "products": products, "is_owner": is_owner, "json_ld": _json_ld(json_ld), "canonical_url": url},
    )
