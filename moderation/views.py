"""The public "Laporkan" form: anyone may report a product or an IKM page to staff (no account needed)."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from catalog.models import Product
from ikm.models import IKM
from inquiries import ratelimit
from moderation import services
from moderation.forms import ReportForm

logger = logging.getLogger(__name__)

# Per client address: at most this many reports in a window.
RATE_LIMIT = 5
RATE_WINDOW_SECONDS = 3600


@never_cache
def report_product(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(Product.objects.published().select_related("ikm", "ikm__region"), slug=slug)
    return _report_page(request, product=product, ikm=product.ikm)


@never_cache
def report_ikm(request: HttpRequest, slug: str) -> HttpResponse:
    ikm = get_object_or_404(IKM.objects.public().select_related("region"), slug=slug)
    return _report_page(request, product=None, ikm=ikm)


def _report_page(request: HttpRequest, *, product: Product | None, ikm: IKM) -> HttpResponse:
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    target = product or ikm
    form = ReportForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_valid():
        if form.is_bot:
            # Pretend success: telling a bot it was caught only teaches it. Nothing is stored.
            logger.info("Report honeypot filled for %s; dropped.", target)
            return _thanks(request, target)
        ip = ratelimit.client_ip(request)
        if not ratelimit.hit("report-ip", ip, limit=RATE_LIMIT, window_seconds=RATE_WINDOW_SECONDS):
            form.add_error(
                None,
                _("You have sent many reports in the last hour. Please try again later; what you typed is kept below."),
            )
            status = 429
        else:
            data = form.cleaned_data
            try:
                services.report_submit(
                    product=product,
                    ikm=None if product else ikm,
                    reason=data["reason"],
                    details=data["details"],
                    contact_email=data["contact_email"],
                    ip_hash=ratelimit.hash_value("ip", ip) if ip else "",
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                return _thanks(request, target)
    elif form.is_bound:
        status = 400
    action = (
        reverse("moderation:report-product", kwargs={"slug": product.slug})
        if product
        else reverse("moderation:report-ikm", kwargs={"slug": ikm.slug})
    )
    return render(
        request,
        "moderation/report_form.html",
        {"form": form, "product": product, "ikm": ikm, "action": action},
        status=status,
    )


def _thanks(request: HttpRequest, target: Product | IKM) -> HttpResponse:
    messages.success(request, _("Thank you. Your report was sent to Galeri's staff, who will check it."))
    return redirect(target.get_absolute_url())
