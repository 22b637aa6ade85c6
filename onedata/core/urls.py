from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from onedata.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", views.login_view, name="login"),
    path("keluar/", views.logout_view, name="logout"),
    path("daftar/", views.register, name="register"),
    path("akun/", views.account, name="account"),
    path("akun/token/<int:token_id>/cabut/", views.token_revoke, name="token_revoke"),
    path("akun/verifikasi/<str:token>/", views.verify_email, name="verify_email"),
    path("audit/", views.audit_log, name="audit_log"),
    path(
        "lupa-sandi/",
        auth_views.PasswordResetView.as_view(
            template_name="core/password_reset.html",
            email_template_name="core/password_reset_email.txt",
            success_url=reverse_lazy("core:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "lupa-sandi/terkirim/",
        auth_views.PasswordResetDoneView.as_view(template_name="core/message_reset_sent.html"),
        name="password_reset_done",
    ),
    path(
        "lupa-sandi/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="core/password_reset_confirm.html",
            success_url=reverse_lazy("core:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "lupa-sandi/selesai/",
        auth_views.PasswordResetCompleteView.as_view(template_name="core/message_reset_done.html"),
        name="password_reset_complete",
    ),
]
