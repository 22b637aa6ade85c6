from django.urls import path

from onedata.notifications.views import applications, endpoints, inbox, senders

app_name = "notifications"

urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("<int:message_id>/dibaca/", inbox.inbox_read, name="inbox_read"),
    path("kotak-keluar/", inbox.outbox_list, name="outbox"),
    path("kotak-keluar/<str:name>/", inbox.outbox_detail, name="outbox_detail"),
    path("pengirim/konfirmasi/<str:token>/", senders.sender_confirm, name="sender_confirm"),
    *applications.urlpatterns,
    *endpoints.urlpatterns,
]
