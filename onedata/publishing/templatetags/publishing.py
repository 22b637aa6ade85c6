"""``{% lineage_panel dataset %}``: where a dataset published by a module comes from."""

from django import template

from onedata.publishing import permissions, selectors

register = template.Library()


@register.inclusion_tag("publishing/_lineage.html", takes_context=True)
def lineage_panel(context, dataset):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "lineage": selectors.lineage_for(dataset),
        "show_errors": permissions.can_view_errors(user) if user else False,
    }
