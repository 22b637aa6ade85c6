"""The province dashboard: which figure each card shows, from which publication."""

from django.utils.translation import gettext_lazy as _

from onedata.publishing.dashboard import Card

CARDS = [
    Card(
        "villages",
        _("Villages and wards in the reference list"),
        "kode-wilayah-bali",
        "kode",
        "count",
        filter=(("tingkat", "village"),),
    ),
]
