"""The pieces other pages place: the inquiry form, the counted WhatsApp button, the inbox link and the figures.

``{% load inquiries_tags %}``
``{% inquiry_form product=product %}`` or ``{% inquiry_form ikm=ikm %}``: the form (no queries).
``{% whatsapp_button product=product %}`` or ``{% whatsapp_button ikm=ikm %}``: the button, or nothing (no queries).
``{% inbox_link %}``: a navigation item with the count of new inquiries, for owners only (one query).
``{% inquiry_figures ikm as figures %}``: the owner's figures (two queries).
"""

from django import template
from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from catalog.models import Product
from ikm.models import IKM
from inquiries.figures import OwnerFigures, owner_figures
from inquiries.forms import InquiryForm
from inquiries.models import Inquiry

register = template.Library()


def _target(product: Product | None, ikm: IKM | None) -> tuple[IKM | None, Product | None]:
    if product is not None:
        return product.ikm, product
    return ikm, None


@register.inclusion_tag("inquiries/includes/inquiry_form.html", takes_context=True)
def inquiry_form(
    context: template.Context, product: Product | None = None, ikm: IKM | None = None, heading: bool = True
) -> dict[str, object]:
    """The inquiry form for a product's or an IKM's page; a short note instead when the page is not public."""
    ikm, product = _target(product, ikm)
    is_public = ikm is not None and (product.is_public if product is not None else ikm.is_public)
    form = InquiryForm(product=product) if is_public else None
    return {
        "form": form,
        "fields_html": _unbound_fields_html(form, product) if form is not None else "",
        "ikm": ikm,
        "product": product,
        "heading": heading,
        "request": context.get("request"),
    }


# The empty form's fields are the same on every page of a language and a product unit (only its quantity help
# names the unit), and rendering seven fields through Django's form templates was 3–5 ms of each product
# and IKM page. So they are rendered once per process; the CSRF token stays outside, per visitor.
_fields_html: dict[tuple[str, str], SafeString] = {}


def _unbound_fields_html(form: InquiryForm, product: Product | None) -> SafeString:
    key = (get_language() or "", product.unit if product is not None else "")
    html = _fields_html.get(key)
    if html is None or settings.DEBUG:  # while developing, a changed template shows at once
        html = _fields_html[key] = SafeString(
            render_to_string("includes/form_fields_with_honeypot.html", {"form": form})
        )
    return html


@register.inclusion_tag("inquiries/includes/whatsapp_button.html")
def whatsapp_button(product: Product | None = None, ikm: IKM | None = None) -> dict[str, object]:
    """A link through /wa/… (counted, then redirected to wa.me); nothing when there is no number or page."""
    ikm, product = _target(product, ikm)
    show = ikm is not None and bool(ikm.whatsapp) and (product.is_public if product is not None else ikm.is_public)
    return {"show": show, "ikm": ikm, "product": product}


def new_inquiries_count(request: HttpRequest | None, user: object) -> int | None:
    """New inquiries to the user's IKM, or None when the user owns no IKM. One query, once per request."""
    if not getattr(user, "is_authenticated", False):
        return None
    if request is not None and hasattr(request, "inquiries_new_count"):
        return request.inquiries_new_count
    # One query answers both "is this an owner?" (a row or none) and "how many are new?".
    row = (
        IKM.objects.filter(owner_id=user.pk)
        .annotate(new=Count("inquiries", filter=Q(inquiries__status=Inquiry.Status.NEW)))
        .values_list("new", flat=True)
        .first()
    )
    if request is not None:
        request.inquiries_new_count = row
    return row


@register.inclusion_tag("inquiries/includes/inbox_link.html", takes_context=True)
def inbox_link(context: template.Context) -> dict[str, object]:
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    return {"new_count": new_inquiries_count(request, user), "request": request}


@register.simple_tag
def inquiry_figures(ikm: IKM) -> OwnerFigures:
    return owner_figures(ikm)
