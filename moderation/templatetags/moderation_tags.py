"""``{% load moderation_tags %}{% report_link product=product %}`` or ``{% report_link ikm=ikm %}``.

A discreet "Report this product" link to the report form, only on public pages (no queries).
"""

from django import template

register = template.Library()


@register.inclusion_tag("moderation/includes/report_link.html")
def report_link(product: object = None, ikm: object = None) -> dict[str, object]:
    if product is not None:
        show = product.is_public
    else:
        show = ikm is not None and ikm.is_public
    return {"show": show, "product": product, "ikm": ikm}
