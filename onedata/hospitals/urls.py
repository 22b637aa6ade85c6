from django.urls import path

from onedata.hospitals import views

app_name = "hospitals"

urlpatterns = [
    path("", views.home, name="home"),
    path("tempat-tidur/", views.beds, name="beds"),
    path("oksigen/", views.dashboard, name="dashboard"),
    path("alokasi/", views.plans, name="plans"),
    path("alokasi/bandingkan/", views.plans_compare, name="plans_compare"),
    path("alokasi/<int:plan_id>/", views.plan_detail, name="plan"),
    path("alokasi/<int:plan_id>/setujui/", views.plan_approve, name="plan_approve"),
    path("alokasi/<int:plan_id>/kirim/", views.plan_dispatch, name="plan_dispatch"),
    path("alokasi/<int:plan_id>/csv/", views.plan_csv, name="plan_csv"),
    path("alokasi/<int:plan_id>/pdf/", views.plan_pdf, name="plan_pdf"),
    path("alokasi/baris/<int:line_id>/terima/", views.receipt_confirm, name="receipt_confirm"),
    path("<int:hospital_id>/", views.detail, name="detail"),
    path("<int:hospital_id>/lapor/", views.report, name="report"),
    path("<int:hospital_id>/impor/", views.report_import, name="report_import"),
]
