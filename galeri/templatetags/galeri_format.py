from django import template

from galeri.money import format_rupiah

register = template.Library()


@register.filter
def rupiah(amount: int | None) -> str:
    """``{{ product.price|rupiah }}`` → ``Rp25.000``."""
    return format_rupiah(amount)
