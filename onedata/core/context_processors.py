from django.conf import settings

from onedata.core import navigation


def platform(request):
    return {
        "province_name": settings.PROVINCE_NAME,
        "nav_items": navigation.items_for(request.user),
        "is_demo": settings.DEMO,
    }
