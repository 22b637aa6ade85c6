from django.urls import path

from onedata.clinics import views

app_name = "clinics"

urlpatterns = [
    path("", views.home, name="home"),
    path("cari-tiket/", views.find_booking, name="find_booking"),
    path("klinik/<int:clinic_id>/", views.clinic, name="clinic"),
    path("tiket/<str:code>/", views.ticket, name="ticket"),
    path("tiket/<str:code>/status/", views.ticket_status, name="ticket_status"),
    path("tiket/<str:code>/batal/", views.ticket_cancel, name="ticket_cancel"),
    path("tiket/<str:code>/kalender.ics", views.ticket_ics, name="ticket_ics"),
    path("petugas/", views.console_index, name="console_index"),
    path("petugas/<int:clinic_id>/", views.console, name="console"),
    path("petugas/<int:clinic_id>/aksi/", views.console_action, name="console_action"),
    path("petugas/<int:clinic_id>/jadwal/", views.timetable_edit, name="timetable"),
    path("layar/<int:clinic_id>/", views.board, name="board"),
    path("layar/<int:clinic_id>/isi/", views.board_panel, name="board_panel"),
    path("statistik/", views.statistics, name="statistics"),
]
