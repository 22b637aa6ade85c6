from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "onedata.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from onedata.core.navigation import register_menu

        register_menu(menu_items)


def menu_items(user) -> list[dict]:
    from django.urls import reverse

    from onedata.notifications import permissions

    items = []
    if permissions.can_read_inbox(user):
        items.append({"title": _("Inbox"), "url": reverse("notifications:inbox")})
    if permissions.can_list_applications(user):
        items.append({"title": _("Applications"), "url": reverse("notifications:app_list")})
    if permissions.can_manage_suppressions(user):
        items.append({"title": _("Suppression list"), "url": reverse("notifications:suppressions")})
    if permissions.can_view_outbox(user):
        items.append({"title": _("Outbox"), "url": reverse("notifications:outbox")})
    return items
