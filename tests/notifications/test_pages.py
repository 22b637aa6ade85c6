"""Inbox, bell and the demo outbox in the browser's HTML."""

from onedata.notifications import outbox, services


def test_inbox_page_lists_my_notifications_and_marks_them_read(people, client_for, regions):
    message = services.send(
        module="attendance",
        to=["warga"],
        channel="inapp",
        subject="Cuti disetujui",
        text="Selamat berlibur",
    )
    client = client_for(people["citizen"])
    page = client.get("/notifikasi/").content.decode()
    assert "Cuti disetujui" in page
    assert 'class="bell-count">1<' in page
    assert client.post(f"/notifikasi/{message.pk}/dibaca/").status_code == 302
    assert 'class="bell-count"' not in client.get("/notifikasi/").content.decode()


def test_someone_elses_notification_cannot_be_marked_read(people, client_for, regions):
    message = services.send(
        module="attendance", to=["warga"], channel="inapp", subject="x", text="y"
    )
    answer = client_for(people["employee"]).post(f"/notifikasi/{message.pk}/dibaca/")
    assert answer.status_code == 404


def test_outbox_shows_mail_caught_by_the_sink(people, client_for, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    (tmp_path / "outbox").mkdir()
    (tmp_path / "outbox" / "20261204T101500-0a1b2c3d.eml").write_bytes(
        b"From: noreply@onedata.local\r\nTo: luh@example.id\r\nSubject: Nomor antrean A-012\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nDatang pukul 09.00.\r\n"
    )
    client = client_for(people["platform_admin"])
    listing = client.get("/notifikasi/kotak-keluar/").content.decode()
    assert "Nomor antrean A-012" in listing
    detail = client.get("/notifikasi/kotak-keluar/20261204T101500-0a1b2c3d.eml/")
    assert "Datang pukul 09.00." in detail.content.decode()
    assert outbox.one("../secret_key") is None


def test_outbox_is_for_platform_admins_only(people, client_for):
    assert client_for(people["citizen"]).get("/notifikasi/kotak-keluar/").status_code == 403
