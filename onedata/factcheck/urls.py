from django.urls import path

from onedata.factcheck import views

app_name = "factcheck"

urlpatterns = [
    path("", views.home, name="home"),
    path("lapor/", views.report, name="report"),
    path("klaim/", views.claims, name="claims"),
    path("klaim/<int:claim_id>/", views.claim, name="claim"),
    path("klaim/<int:claim_id>/poster/", views.claim_poster, name="claim_poster"),
    path("artikel/", views.articles, name="articles"),
    path("artikel/<slug:slug>/", views.article, name="article"),
    path("artikel/<slug:slug>/poster/", views.article_poster, name="article_poster"),
    path("feed/rss/", views.RssFeed(), name="feed_rss"),
    path("feed/atom/", views.AtomFeed(), name="feed_atom"),
    path("feed/claimreview.json", views.claimreview_feed, name="feed_claimreview"),
    path("meja/", views.desk, name="desk"),
    path("meja/klaim/<int:claim_id>/", views.desk_claim, name="desk_claim"),
    path("meja/klaim/<int:claim_id>/tugaskan/", views.desk_assign, name="desk_assign"),
    path("meja/klaim/<int:claim_id>/catatan/", views.desk_note, name="desk_note"),
    path("meja/klaim/<int:claim_id>/ulasan/", views.desk_review, name="desk_review"),
    path("meja/klaim/<int:claim_id>/gabung/", views.desk_merge, name="desk_merge"),
    path("meja/klaim/<int:claim_id>/sisihkan/", views.desk_dismiss, name="desk_dismiss"),
    path(
        "meja/laporan/<int:report_id>/tangkapan-layar/",
        views.desk_screenshot,
        name="desk_screenshot",
    ),
    path("meja/artikel/baru/", views.article_edit, name="article_create"),
    path("meja/artikel/<slug:slug>/ubah/", views.article_edit, name="article_edit"),
    path("laporan-mingguan/", views.weekly_report, name="weekly"),
    path("laporan-mingguan.csv", views.weekly_csv, name="weekly_csv"),
]
