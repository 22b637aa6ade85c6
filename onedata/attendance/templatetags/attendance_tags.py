from django import template

register = template.Library()


@register.filter
def rupiah(value) -> str:
    """``1250000`` -> ``Rp 1.250.000`` (Indonesian grouping)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return ""
    sign = "-" if number < 0 else ""
    return f"Rp {sign}{abs(number):,}".replace(",", ".")
