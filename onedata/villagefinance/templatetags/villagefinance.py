"""Template filters for money: ``{{ amount|rupiah }}`` -> ``Rp 1.250.000``."""

from django import template

register = template.Library()


@register.filter
def rupiah(value) -> str:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return ""
    sign = "-" if number < 0 else ""
    return f"{sign}Rp {abs(number):,}".replace(",", ".")


@register.filter
def digits(value) -> str:
    """``1250000`` -> ``1.250.000`` (no currency sign, for table columns)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return ""
    return f"{number:,}".replace(",", ".")


@register.filter
def pct(value) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}%".replace(".", ",")


@register.filter
def bar(value) -> int:
    """A percentage clamped to 0..100 for a bar's width."""
    if value is None:
        return 0
    return max(0, min(100, int(round(value))))
