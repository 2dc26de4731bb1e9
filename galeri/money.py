"""Rupiah, written the Indonesian way in both languages: ``Rp25.000``."""


def format_rupiah(amount: int | None) -> str:
    """Whole rupiah with a dot every three digits; Rupiah has no minor unit in practice."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(int(amount)):,}".replace(",", ".")
