"""The in-app inbox of the signed-in person, and the demo's outbox of caught mail."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from onedata.notifications import outbox, permissions, services
from onedata.notifications.models import Message


@login_required
def inbox(request):
    if not permissions.can_read_inbox(request.user):
        raise PermissionDenied
    items = Message.objects.filter(recipient_user=request.user, channel=Message.Channel.INAPP)
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "query": ""})


@login_required
@require_POST
def inbox_read(request, message_id: int):
    message = get_object_or_404(
        Message, pk=message_id, recipient_user=request.user, channel=Message.Channel.INAPP
    )
    services.inbox_mark_read(user=request.user, message=message)
    return redirect("notifications:inbox")


@login_required
def outbox_list(request):
    if not permissions.can_view_outbox(request.user):
        raise PermissionDenied
    return render(request, "notifications/outbox.html", {"mails": outbox.latest()})


@login_required
def outbox_detail(request, name: str):
    if not permissions.can_view_outbox(request.user):
        raise PermissionDenied
    mail = outbox.one(name)
    if mail is None:
        raise Http404
    return render(request, "notifications/outbox_detail.html", {"mail": mail})
