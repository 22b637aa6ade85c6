from django.urls import path

from onedata.attendance import office_views, roster_views, schedule_views, views

app_name = "attendance"

urlpatterns = [
    path("", views.home, name="home"),
    path("bulan/", views.my_month, name="month"),
    path("cuti/", views.my_leave, name="leave"),
    path("cuti/<int:leave_id>/batal/", views.leave_cancel, name="leave_cancel"),
    path("cuti/<int:leave_id>/keputusan/", views.leave_decide, name="leave_decide"),
    path("tpp/", views.my_allowance, name="allowance"),
    path("wajah/", views.my_face, name="face"),
    path("tim/", views.team, name="team"),
    path("absen/<int:checkin_id>/tinjau/", views.checkin_review, name="checkin_review"),
    path("koreksi/", views.day_correct, name="day_correct"),
    path("sdm/", views.hr_home, name="hr"),
    path("sdm/kantor/<int:office_id>/", views.hr_office, name="hr_office"),
    path("sdm/kantor/<int:office_id>/laporan/", views.hr_report, name="hr_report"),
    path("sdm/kantor/<int:office_id>/impor/<int:job_id>/", views.hr_import, name="hr_import"),
    path("sdm/kantor/<int:office_id>/jadwal/", views.hr_schedules, name="hr_schedules"),
    path("sdm/kalender/", views.hr_calendar, name="hr_calendar"),
    path("kantor/<int:office_id>/papan/", views.office_board, name="office_board"),
    path("sdm/kantor/<int:office_id>/finalisasi/", views.hr_finalise, name="hr_finalise"),
    path("sdm/kantor/<int:office_id>/penyesuaian/", views.hr_adjust, name="hr_adjust"),
    path("sdm/pegawai/<int:employee_id>/wajah/", views.hr_enrol, name="hr_enrol"),
    path("sdm/wajah/<int:template_id>/", views.hr_face_approve, name="hr_face_approve"),
    # offices and locations
    path("sdm/kantor/baru/", office_views.office_create, name="office_create"),
    path("sdm/kantor/<int:office_id>/ubah/", office_views.office_edit, name="office_edit"),
    path(
        "sdm/kantor/<int:office_id>/lokasi/<int:location_id>/",
        office_views.location_edit,
        name="location_edit",
    ),
    path(
        "sdm/kantor/<int:office_id>/lokasi/<int:location_id>/aktif/",
        office_views.location_active,
        name="location_active",
    ),
    # roster files
    path(
        "sdm/kantor/<int:office_id>/jadwal-dinas/",
        roster_views.roster_import,
        name="roster_import",
    ),
    path(
        "sdm/kantor/<int:office_id>/jadwal-dinas/<int:job_id>/",
        roster_views.roster_job,
        name="roster_job",
    ),
    path(
        "sdm/kantor/<int:office_id>/jadwal-dinas/templat/",
        roster_views.roster_template,
        name="roster_template",
    ),
    # my schedule and reminders
    path("jadwal/", schedule_views.my_schedule, name="my_schedule"),
    path("pengingat/", schedule_views.reminder_settings, name="reminders"),
]
