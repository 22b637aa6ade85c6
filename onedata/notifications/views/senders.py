"""The page a sender address's owner opens from the confirmation mail."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from onedata.core.errors import DomainError
from onedata.notifications import services


def sender_confirm(request, token: str):
    """Public by design: holding the signed link proves access to the mailbox."""
    try:
        sender = services.sender_confirm(token=token)
    except DomainError as error:
        return render(
            request,
            "core/message.html",
            {"title": _("Link not valid"), "text": error.message},
            status=400,
        )
    return render(
        request,
        "core/message.html",
        {
            "title": _("Sender address confirmed"),
            "text": _("Applications of %(agency)s may now send from %(email)s.")
            % {"agency": sender.agency.name, "email": sender.email},
        },
    )
