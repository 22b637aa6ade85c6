"""Notification API: applications send with their key (``Authorization: Bearer odn_…``);
people read their in-app inbox with their session or API token."""

from datetime import datetime
from typing import Literal

from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import HttpBearer

from onedata.core.errors import NotAuthorized, NotFound
from onedata.core.pagination import PagePagination
from onedata.notifications import permissions, services
from onedata.notifications.models import (
    Message,
    Suppression,
    Template,
    VerifiedSender,
    WebhookEndpoint,
)

router = Router(tags=["notifications"])


class ApplicationKey(HttpBearer):
    """``Authorization: Bearer odn_…``: an application's sending key."""

    def authenticate(self, request, token):
        return services.application_key_authenticate(token)


APP_KEY = ApplicationKey()


def _user_auth():
    from onedata.api import BearerToken, BrowserSession

    return [BearerToken(), BrowserSession()]


class AttachmentIn(Schema):
    filename: str = Field(..., max_length=200)
    content_type: str = Field("application/octet-stream", max_length=100)
    content_base64: str


class MessageIn(Schema):
    to: list[str] = Field(..., max_length=100)
    cc: list[str] = Field(default_factory=list, max_length=100)
    bcc: list[str] = Field(default_factory=list, max_length=100)
    from_: str = Field("", alias="from", max_length=320)
    reply_to: str = Field("", max_length=320)
    subject: str = Field("", max_length=1000)
    text: str = ""
    html: str = ""
    template: str = Field("", max_length=80)
    data: dict = Field(default_factory=dict)
    language: Literal["id", "en"] = "id"
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=20)
    tags: list[str] = Field(default_factory=list, max_length=50)
    channel: Literal["email", "inapp", "sms"] = "email"
    idempotency_key: str = Field("", max_length=200)

    def as_service_fields(self) -> dict:
        return {
            "to": self.to,
            "cc": self.cc,
            "bcc": self.bcc,
            "from_email": self.from_,
            "reply_to": self.reply_to,
            "subject": self.subject,
            "text": self.text,
            "html": self.html,
            "template": self.template,
            "data": self.data,
            "language": self.language,
            "tags": self.tags,
            "channel": self.channel,
            "attachments": [services.AttachmentIn(**a.dict()) for a in self.attachments],
            "idempotency_key": self.idempotency_key,
        }


class AcceptedOut(Schema):
    id: int
    status: str


class BulkIn(Schema):
    messages: list[MessageIn] = Field(..., min_length=1, max_length=services.MAX_BULK)


class BulkError(Schema):
    code: str
    message: str
    fields: dict


class BulkResultOut(Schema):
    index: int
    id: int | None
    status: str
    error: BulkError | None = None


class BulkOut(Schema):
    results: list[BulkResultOut]


class EventOut(Schema):
    kind: str
    detail: str
    created_at: datetime


class MessageOut(Schema):
    id: int
    status: str
    channel: str
    to: list[str]
    cc: list[str]
    subject: str
    tags: list[str]
    attempts: int
    created_at: datetime
    finished_at: datetime | None
    last_error: str


class MessageDetailOut(MessageOut):
    events: list[EventOut]
    recipients_verified: dict[str, bool]


class TemplateIn(Schema):
    name: str = Field(..., max_length=80)
    language: Literal["id", "en"] = "id"
    subject: str = Field(..., max_length=300)
    text: str
    html: str = ""


class TemplateOut(Schema):
    id: int
    name: str
    language: str
    version: int
    subject: str
    text: str
    html: str
    created_at: datetime


class SuppressionIn(Schema):
    email: str = Field(..., max_length=320)
    detail: str = Field("", max_length=500)


class SuppressionOut(Schema):
    email: str
    reason: str
    created_at: datetime


class SenderIn(Schema):
    email: str = Field(..., max_length=320)


class SenderOut(Schema):
    email: str
    verified: bool
    created_at: datetime

    @staticmethod
    def resolve_verified(sender) -> bool:
        return sender.verified_at is not None


class InboxItemOut(Schema):
    id: int
    subject: str
    text: str
    created_at: datetime
    read_at: datetime | None


class UnreadOut(Schema):
    unread: int


def _idempotency_key(request, payload: MessageIn) -> str:
    return request.headers.get("Idempotency-Key", "") or payload.idempotency_key


@router.post(
    "/messages", response={202: AcceptedOut}, auth=APP_KEY, summary="Send one message (202: queued)"
)
def message_send(request, payload: MessageIn):
    fields = payload.as_service_fields()
    fields["idempotency_key"] = _idempotency_key(request, payload)
    message, _created = services.message_send(application=request.auth, **fields)
    return Status(202, {"id": message.pk, "status": message.status})


@router.post(
    "/messages/bulk",
    response={200: BulkOut},
    auth=APP_KEY,
    summary="Send up to 500 messages; one result per entry",
)
def message_send_bulk(request, payload: BulkIn):
    results = services.message_send_bulk(
        application=request.auth, entries=[m.as_service_fields() for m in payload.messages]
    )
    return {"results": [r.__dict__ for r in results]}


@router.get(
    "/messages",
    response=list[MessageOut],
    auth=APP_KEY,
    summary="Search this application's messages",
)
@paginate(PagePagination)
def message_list(
    request,
    status: Message.Status | None = None,
    tag: str | None = None,
    to: str | None = None,
    since: datetime | None = None,
):
    messages = Message.objects.filter(application=request.auth)
    if status:
        messages = messages.filter(status=status)
    if tag:
        messages = (
            messages.filter(tags__contains=[tag])
            if _json_contains()
            else messages.filter(tags__icontains=f'"{tag}"')
        )
    if to:
        messages = messages.filter(to__icontains=to.strip().lower())
    if since:
        from onedata.core.selectors import as_utc

        messages = messages.filter(created_at__gte=as_utc(since))
    return messages


def _json_contains() -> bool:
    from django.db import connection

    return connection.features.supports_json_field_contains


@router.get(
    "/messages/{message_id}",
    response=MessageDetailOut,
    auth=APP_KEY,
    summary="One message with its delivery events",
)
def message_detail(request, message_id: int):
    message = Message.objects.filter(pk=message_id, application=request.auth).first()
    if message is None:
        raise NotFound(_("No such message."))
    answer = MessageOut.from_orm(message).dict()
    answer["events"] = list(message.events.all())
    answer["recipients_verified"] = dict(services.recipients_verified(message))
    return answer


@router.get(
    "/templates",
    response=list[TemplateOut],
    auth=APP_KEY,
    summary="The latest version of each template",
)
def template_list(request):
    templates = Template.objects.filter(application=request.auth).order_by(
        "name", "language", "-version"
    )
    latest, seen = [], set()
    for template in templates:
        if (template.name, template.language) not in seen:
            seen.add((template.name, template.language))
            latest.append(template)
    return latest


@router.post(
    "/templates",
    response={201: TemplateOut},
    auth=APP_KEY,
    summary="Save a template (a new version when the name exists)",
)
def template_save(request, payload: TemplateIn):
    template = services.template_save(
        actor=f"app:{request.auth.slug}", application=request.auth, **payload.dict()
    )
    return Status(201, template)


@router.get(
    "/templates/{name}",
    response=list[TemplateOut],
    auth=APP_KEY,
    summary="Every version of one template",
)
def template_versions(request, name: str):
    versions = list(
        Template.objects.filter(application=request.auth, name=name).order_by(
            "language", "-version"
        )
    )
    if not versions:
        raise NotFound(_("No template named %(name)s.") % {"name": name})
    return versions


class WebhookIn(Schema):
    url: str = Field(..., max_length=500)
    events: list[str] = Field(default_factory=lambda: list(WebhookEndpoint.EVENTS), max_length=10)


class WebhookOut(Schema):
    id: int
    url: str
    events: list[str]
    is_active: bool
    created_at: datetime


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(..., description="Signing secret; shown only in this answer")


@router.get(
    "/webhooks",
    response=list[WebhookOut],
    auth=APP_KEY,
    summary="This application's event webhooks",
)
def webhook_list(request):
    return WebhookEndpoint.objects.filter(application=request.auth)


@router.post(
    "/webhooks",
    response={201: WebhookCreatedOut},
    auth=APP_KEY,
    summary="Receive delivery events at a URL (signed with HMAC-SHA256)",
)
def webhook_create(request, payload: WebhookIn):
    created = services.webhook_create(
        actor=f"app:{request.auth.slug}",
        application=request.auth,
        url=payload.url,
        events=payload.events,
    )
    return Status(201, {**WebhookOut.from_orm(created.endpoint).dict(), "secret": created.secret})


@router.delete(
    "/webhooks/{webhook_id}",
    response={204: None},
    auth=APP_KEY,
    summary="Stop sending events to a URL",
)
def webhook_delete(request, webhook_id: int):
    endpoint = WebhookEndpoint.objects.filter(pk=webhook_id, application=request.auth).first()
    if endpoint is None:
        raise NotFound(_("No such webhook."))
    services.webhook_delete(actor=f"app:{request.auth.slug}", endpoint=endpoint)
    return Status(204, None)


@router.get(
    "/senders",
    response=list[SenderOut],
    auth=APP_KEY,
    summary="Sender addresses of this application's agency",
)
def sender_list(request):
    return VerifiedSender.objects.filter(agency=request.auth.agency)


@router.post(
    "/senders",
    response={202: SenderOut},
    auth=APP_KEY,
    summary="Ask to send from an address: a confirmation link is mailed to it",
)
def sender_request(request, payload: SenderIn):
    sender = services.sender_request(
        actor=f"app:{request.auth.slug}", application=request.auth, email=payload.email
    )
    return Status(202, sender)


@router.post(
    "/suppressions",
    response={201: SuppressionOut},
    auth=APP_KEY,
    summary="Stop sending to an address (for example on the recipient's request)",
)
def suppression_add(request, payload: SuppressionIn):
    return Status(
        201,
        services.suppression_add(
            actor=f"app:{request.auth.slug}", email=payload.email, detail=payload.detail
        ),
    )


@router.get(
    "/suppressions/{email}",
    response=SuppressionOut,
    auth=APP_KEY,
    summary="Is this address suppressed? (404 when not)",
)
def suppression_detail(request, email: str):
    entry = Suppression.objects.filter(email=email.strip().lower()).first()
    if entry is None:
        raise NotFound(_("This address is not suppressed."))
    return entry


@router.get(
    "/suppressions",
    response=list[SuppressionOut],
    auth=_user_auth(),
    summary="The whole suppression list (platform admins)",
)
@paginate(PagePagination)
def suppression_list(request, q: str | None = None):
    if not permissions.can_manage_suppressions(request.auth):
        raise NotAuthorized(_("Only platform admins may read the suppression list."))
    entries = Suppression.objects.all()
    return entries.filter(Q(email__icontains=q)) if q else entries


@router.delete(
    "/suppressions/{email}",
    response={204: None},
    auth=_user_auth(),
    summary="Send to an address again (platform admins)",
)
def suppression_remove(request, email: str):
    if not permissions.can_manage_suppressions(request.auth):
        raise NotAuthorized(_("Only platform admins may change the suppression list."))
    entry = Suppression.objects.filter(email=email.strip().lower()).first()
    if entry is None:
        raise NotFound(_("This address is not suppressed."))
    services.suppression_remove(actor=request.auth, entry=entry)
    return Status(204, None)


@router.get(
    "/inbox", response=list[InboxItemOut], auth=_user_auth(), summary="My in-app notifications"
)
@paginate(PagePagination)
def inbox_list(request, unread: bool = False):
    if not permissions.can_read_inbox(request.auth):
        raise NotAuthorized(_("Not allowed."))
    items = Message.objects.filter(recipient_user=request.auth, channel=Message.Channel.INAPP)
    return items.filter(read_at__isnull=True) if unread else items


@router.get(
    "/inbox/unread-count",
    response=UnreadOut,
    auth=_user_auth(),
    summary="How many in-app notifications I have not read",
)
def inbox_unread_count(request):
    return {"unread": services.inbox_unread_count(request.auth)}


@router.post(
    "/inbox/{message_id}/read",
    response=InboxItemOut,
    auth=_user_auth(),
    summary="Mark one in-app notification as read",
)
def inbox_mark_read(request, message_id: int):
    message = Message.objects.filter(pk=message_id, channel=Message.Channel.INAPP).first()
    if message is None:
        raise NotFound(_("No such message."))
    return services.inbox_mark_read(user=request.auth, message=message)
