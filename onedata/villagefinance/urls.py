from django.urls import path

from onedata.villagefinance import registry_views, statement_views, tax_views, views

app_name = "villagefinance"

urlpatterns = [
    path("", views.home, name="home"),
    path("desa/<int:pk>/", views.village, name="village"),
    path("desa/<int:pk>/catat/<str:kind>/", views.entry_new, name="entry_new"),
    path("desa/<int:pk>/transaksi/<int:entry_id>/", views.entry_detail, name="entry"),
    path("desa/<int:pk>/draf/<int:draft_id>/hapus/", views.draft_delete, name="draft_delete"),
    path(
        "desa/<int:pk>/transaksi/<int:entry_id>/batal/", views.entry_reverse, name="entry_reverse"
    ),
    path(
        "desa/<int:pk>/transaksi/<int:entry_id>/verifikasi/",
        views.entry_verify,
        name="entry_verify",
    ),
    path("desa/<int:pk>/kas/", views.cash_book, name="cash_book"),
    path("desa/<int:pk>/rekonsiliasi/", views.reconciliation, name="reconciliation"),
    path("desa/<int:pk>/realisasi/", views.realisation, name="realisation"),
    path("desa/<int:pk>/anggaran/", views.budget, name="budget"),
    path("desa/<int:pk>/laporan-bulanan/", views.months, name="months"),
    path("desa/<int:pk>/hibah/", views.grants, name="grants"),
    path("desa/<int:pk>/hibah/baru/", views.grant_new, name="grant_new"),
    path(
        "desa/<int:pk>/hibah/laporan/<int:stage_id>/",
        views.grant_stage_report,
        name="grant_stage_report",
    ),
    path(
        "desa/<int:pk>/hibah/tahap/<int:stage_id>/<str:action>/",
        views.grant_stage_action,
        name="grant_stage_action",
    ),
    path("bagan-akun/", views.chart, name="chart"),
    path("bagan-akun/<int:account_id>/", views.chart_account, name="chart_account"),
    path("kuitansi/<int:receipt_id>/", views.receipt_file, name="receipt_file"),
    path("publik/<int:pk>/", views.public, name="public"),
    # Tax book (Buku Pembantu Pajak) and line-by-line bank reconciliation.
    path("desa/<int:pk>/pajak/", tax_views.tax_book, name="tax_book"),
    path("desa/<int:pk>/pajak/setor/", tax_views.tax_deposit_new, name="tax_deposit_new"),
    path("tarif-pajak/", tax_views.tax_rates, name="tax_rates"),
    path("desa/<int:pk>/rekening-koran/", statement_views.statement_page, name="statements"),
    path(
        "desa/<int:pk>/rekening-koran/aksi/",
        statement_views.statement_action,
        name="statement_action",
    ),
    path(
        "desa/<int:pk>/rekening-koran/templat.csv",
        statement_views.statement_template,
        name="statement_template",
    ),
    # The registry of desa adat and their officers (regency and provincial staff).
    path("registri/", registry_views.registry_list, name="registry"),
    path("registri/baru/", registry_views.registry_new, name="registry_new"),
    path("registri/<int:pk>/", registry_views.registry_detail, name="registry_detail"),
    path("registri/<int:pk>/ubah/", registry_views.registry_edit, name="registry_edit"),
    path("registri/<int:pk>/status/", registry_views.registry_status, name="registry_status"),
    path("registri/<int:pk>/pengurus/baru/", registry_views.officer_new, name="officer_new"),
    path(
        "registri/<int:pk>/pengurus/<int:officer_id>/akhiri/",
        registry_views.officer_end,
        name="officer_end",
    ),
]
