"""Demo data for notifications: an application of the health office with a template in
both languages, an in-app notification for the citizen login, and a queued mail."""

from onedata.core.models import Agency
from onedata.notifications import services
from onedata.notifications.models import Application, Message, Template

TEMPLATE_ID = (
    "Nomor antrean {{ nomor }}",
    "Halo {{ nama }},\n\nNomor antrean Anda {{ nomor }} di {{ tempat }}. "
    "Kami kirim pengingat 1 jam sebelum jadwal.",
)
TEMPLATE_EN = (
    "Queue number {{ nomor }}",
    "Hello {{ nama }},\n\nYour queue number is {{ nomor }} at {{ tempat }}. "
    "We will remind you 1 hour before your turn.",
)


def seed(stdout=None) -> None:
    agency = Agency.objects.get(slug="dinkes-bali")
    application = Application.objects.filter(slug="sistem-antrean-contoh").first()
    if application is None:
        application = services.application_create(
            actor="demo", agency=agency, name="Sistem Antrean (contoh)"
        )
        Application.objects.filter(pk=application.pk).update(slug="sistem-antrean-contoh")
        application.refresh_from_db()
    for language, (subject, text) in (("id", TEMPLATE_ID), ("en", TEMPLATE_EN)):
        if not Template.objects.filter(
            application=application, name="nomor-antrean", language=language
        ).exists():
            services.template_save(
                actor="demo",
                application=application,
                name="nomor-antrean",
                language=language,
                subject=subject,
                text=text,
            )
    if not Message.objects.filter(application=application).exists():
        services.message_send(
            application=application,
            to=["warga"],
            channel="inapp",
            subject="Selamat datang di Bali One Data",
            text="Notifikasi dari instansi akan muncul di sini.",
        )
        services.message_send(
            application=application,
            to=["warga@demo.onedata.local"],
            template="nomor-antrean",
            data={"nama": "Warga Bali", "nomor": "A-012", "tempat": "Puskesmas Denpasar Selatan I"},
        )
