"""Buyers ask (no account needed) and use the counted WhatsApp button; owners read and answer in their inbox."""

import logging
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from catalog.models import Product
from ikm.identifiers import whatsapp_link
from ikm.models import IKM
from inquiries import ratelimit, services
from inquiries.access import get_owned_inquiry_or_404
from inquiries.forms import InboxFilterForm, InquiryForm
from inquiries.models import Inquiry

logger = logging.getLogger(__name__)

# Per client address and per buyer email: at most this many inquiries in a window.
RATE_LIMIT = 5
RATE_WINDOW_SECONDS = 3600
# A second click on the same WhatsApp button from the same address within this time is not counted again.
CLICK_DEDUP_SECONDS = 30 * 60
INBOX_PAGE_SIZE = 25


def _public_product(slug: str) -> Product:
    return get_object_or_404(Product.objects.published().select_related("ikm", "ikm__region"), slug=slug)


def _public_ikm(slug: str) -> IKM:
    return get_object_or_404(IKM.objects.public().select_related("region"), slug=slug)


# --- Asking -------------------------------------------------------------------------------------


def inquiry_product(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: the form on a page of its own (without JavaScript, or linked from anywhere). POST: send it."""
    product = _public_product(slug)
    return _inquiry_page(request, ikm=product.ikm, product=product)


def inquiry_ikm(request: HttpRequest, slug: str) -> HttpResponse:
    ikm = _public_ikm(slug)
    return _inquiry_page(request, ikm=ikm, product=None)


def _inquiry_page(request: HttpRequest, *, ikm: IKM, product: Product | None) -> HttpResponse:
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    form = InquiryForm(request.POST if request.method == "POST" else None, product=product)
    status = 200
    if form.is_valid():
        sent_url = _sent_url(ikm=ikm, product=product)
        if form.is_bot:
            # Pretend success: telling a bot it was caught only teaches it. Nothing is stored or mailed.
            logger.info("Inquiry honeypot filled for %s; dropped.", product or ikm)
            return redirect(sent_url)
        data = form.cleaned_data
        ip = ratelimit.client_ip(request)
        allowed = ratelimit.hit(
            "inquiry-ip", ip, limit=RATE_LIMIT, window_seconds=RATE_WINDOW_SECONDS
        ) and ratelimit.hit("inquiry-email", data["email"], limit=RATE_LIMIT, window_seconds=RATE_WINDOW_SECONDS)
        if not allowed:
            form.add_error(
                None,
                _(
                    "You have sent many inquiries in the last hour. Please try again in an hour; "
                    "what you typed is kept below."
                ),
            )
            status = 429
        else:
            try:
                services.inquiry_submit(
                    ikm=ikm,
                    product=product,
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    organization=data["organization"],
                    buyer_type=data["buyer_type"],
                    quantity=data["quantity"],
                    message=data["message"],
                    language=(translation.get_language() or "id")[:2],
                    ip_hash=ratelimit.hash_value("ip", ip) if ip else "",
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                return redirect(sent_url)
    return render(
        request,
        "inquiries/inquiry_form.html",
        {"form": form, "ikm": ikm, "product": product, "action": _form_url(ikm=ikm, product=product)},
        status=status,
    )


def _form_url(*, ikm: IKM, product: Product | None) -> str:
    if product is not None:
        return reverse("inquiries:ask-product", kwargs={"slug": product.slug})
    return reverse("inquiries:ask-ikm", kwargs={"slug": ikm.slug})


def _sent_url(*, ikm: IKM, product: Product | None) -> str:
    if product is not None:
        return reverse("inquiries:sent-product", kwargs={"slug": product.slug})
    return reverse("inquiries:sent-ikm", kwargs={"slug": ikm.slug})


@require_safe
def inquiry_sent_product(request: HttpRequest, slug: str) -> HttpResponse:
    product = _public_product(slug)
    return render(request, "inquiries/inquiry_sent.html", {"ikm": product.ikm, "product": product})


@require_safe
def inquiry_sent_ikm(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "inquiries/inquiry_sent.html", {"ikm": _public_ikm(slug), "product": None})


# --- WhatsApp -----------------------------------------------------------------------------------


def whatsapp_text(*, ikm: IKM, product: Product | None) -> str:
    """The message a buyer's WhatsApp opens with: it names the product (or IKM) and links to its page."""
    values = {"ikm": ikm.name, "site": settings.SITE_NAME}
    if product is not None:
        values.update(product=product.name, url=settings.SITE_URL + product.get_absolute_url())
        return _("Hello %(ikm)s, I am interested in %(product)s, which I saw on %(site)s: %(url)s") % values
    values["url"] = settings.SITE_URL + ikm.get_absolute_url()
    return _("Hello %(ikm)s, I saw your profile on %(site)s and would like to ask: %(url)s") % values


@never_cache
@require_safe
def whatsapp_product(request: HttpRequest, slug: str) -> HttpResponse:
    product = _public_product(slug)
    return _whatsapp_redirect(request, ikm=product.ikm, product=product)


@never_cache
@require_safe
def whatsapp_ikm(request: HttpRequest, slug: str) -> HttpResponse:
    return _whatsapp_redirect(request, ikm=_public_ikm(slug), product=None)


def _whatsapp_redirect(request: HttpRequest, *, ikm: IKM, product: Product | None) -> HttpResponse:
    """Count the click (not a bot's, not a repeat within 30 minutes, not a HEAD), then send the buyer to wa.me.

    A counting GET is acceptable here: the links carry rel="nofollow", the response says noindex, and crawlers
    and link-preview fetchers are recognised by their user agent and not counted.
    """
    if not ikm.whatsapp:
        raise Http404("This IKM has no WhatsApp number.")
    target = f"{ikm.pk}:{product.pk if product else ''}"
    if (
        request.method == "GET"
        and not ratelimit.is_bot(request.headers.get("User-Agent", ""))
        and ratelimit.once("wa-click", f"{ratelimit.client_ip(request)}|{target}", seconds=CLICK_DEDUP_SECONDS)
    ):
        services.contact_click_record(ikm=ikm, product=product)
    response = HttpResponseRedirect(whatsapp_link(ikm.whatsapp, whatsapp_text(ikm=ikm, product=product)))
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- The owner's inbox --------------------------------------------------------------------------


def _dashboard_url() -> str:
    # The dashboard belongs to the ikm app; fall back to the home page while it is not there.
    try:
        return reverse("ikm:dashboard")
    except NoReverseMatch:
        return reverse("home")


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    """The owner's inquiries, newest first, filtered by status (without spam unless asked)."""
    ikm = IKM.objects.filter(owner_id=request.user.pk).first()
    if ikm is None:
        return redirect(_dashboard_url())
    filter_form = InboxFilterForm(request.GET or None)
    status = filter_form.cleaned_data["status"] if filter_form.is_valid() else ""
    counts = dict(
        Inquiry.objects.filter(ikm=ikm).order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    # The navigation's badge reads this instead of counting again (see templatetags.inquiries_tags.inbox_link).
    request.inquiries_new_count = counts.get(Inquiry.Status.NEW, 0)
    inquiries = Inquiry.objects.filter(ikm=ikm).with_inbox_data()
    inquiries = inquiries.filter(status=status) if status else inquiries.not_spam()
    page = Paginator(inquiries, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    status_links = [
        {"value": "", "label": _("All"), "count": sum(n for s, n in counts.items() if s != Inquiry.Status.SPAM)},
        *({"value": value, "label": label, "count": counts.get(value, 0)} for value, label in Inquiry.Status.choices),
    ]
    return render(
        request,
        "inquiries/inbox.html",
        {
            "ikm": ikm,
            "page": page,
            "status": status,
            "status_links": status_links,
            "filter_form": filter_form,
            "dashboard_url": _dashboard_url(),
        },
    )


@login_required
@require_safe
def inbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One inquiry with the buyer's details and one-click replies; opening a new one marks it read."""
    inquiry = get_owned_inquiry_or_404(request.user, pk)
    if request.method == "GET":
        services.inquiry_mark_read(inquiry=inquiry)
    actions = [action for action, (allowed_from, _to) in services.ACTIONS.items() if inquiry.status in allowed_from]
    return render(
        request,
        "inquiries/inquiry_detail.html",
        {
            "inquiry": inquiry,
            "ikm": inquiry.ikm,
            "actions": [a for a in actions if a != "read"],
            "mailto": _mailto(inquiry),
            "whatsapp": _whatsapp_reply(inquiry),
            "dashboard_url": _dashboard_url(),
        },
    )


@login_required
@require_POST
def inbox_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark replied, closed or spam, or reopen; answers with a message on the inquiry's page."""
    inquiry = get_owned_inquiry_or_404(request.user, pk)
    try:
        inquiry = services.inquiry_set_status(inquiry=inquiry, action=request.POST.get("action", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(inquiry.get_absolute_url())
    if inquiry.status == Inquiry.Status.SPAM:
        messages.success(request, _("Marked as spam. It no longer shows in your inbox unless you filter for spam."))
        return redirect("inquiries:inbox")
    messages.success(request, _("Status changed to “%(status)s”.") % {"status": inquiry.get_status_display()})
    return redirect(inquiry.get_absolute_url())


def _reply_subject(inquiry: Inquiry) -> str:
    with translation.override(inquiry.language):
        return _("Re: your inquiry about %(subject)s") % {"subject": inquiry.subject}


def _mailto(inquiry: Inquiry) -> str:
    """A mailto: link with the subject and the buyer's message quoted, in the buyer's language."""
    with translation.override(inquiry.language):
        intro = _("%(name)s wrote:") % {"name": inquiry.name}
    quoted = "\n".join("> " + line for line in inquiry.message.splitlines())
    body = f"\n\n{intro}\n{quoted}"
    subject = quote(_reply_subject(inquiry), safe="")
    return f"mailto:{quote(inquiry.email, safe='@')}?subject={subject}&body={quote(body, safe='')}"


def _whatsapp_reply(inquiry: Inquiry) -> str:
    """A wa.me link to the buyer's mobile number with a greeting, or "" when there is none."""
    if not inquiry.phone_is_mobile:
        return ""
    with translation.override(inquiry.language):
        text = _("Hello %(name)s, thank you for your inquiry about %(subject)s on %(site)s.") % {
            "name": inquiry.name,
            "subject": inquiry.subject,
            "site": settings.SITE_NAME,
        }
    return whatsapp_link(inquiry.phone, text)
