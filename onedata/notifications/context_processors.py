from onedata.notifications import services


def inbox(request):
    """The unread count for the bell in the header (one query, signed-in people only)."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    return {"inbox_unread": services.inbox_unread_count(user)}
