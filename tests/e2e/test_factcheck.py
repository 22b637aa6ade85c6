"""Fact check in a real browser: a citizen pastes a rumour and sees the verdict; an unknown
message goes to the report form with its text carried over; the fact-checker publishes a
verdict from the desk. Screenshots at 360 px and on a desktop."""

from __future__ import annotations

import pytest
from django.urls import reverse

try:
    from playwright.sync_api import expect
except ImportError:  # conftest.py skips every test
    expect = None

from onedata.core import demo as core_demo
from onedata.factcheck import demo
from onedata.factcheck.models import Claim
from tests.e2e.test_shell import horizontal_overflow, log_in

pytestmark = pytest.mark.e2e

PHONE = 360
DESKTOP = 1280
FORWARDED = (
    "*INFO PENTING!!!* Jangan mau divaksin!! Di dalam vaksin covid ada mikrocip yg "
    "dipakai buat ngelacak kita semua. Sebarkan ke keluarga 🙏"
)


@pytest.fixture
def seeded(live_server):
    core_demo.seed()
    demo.seed()


def test_citizen_pastes_a_rumour_and_sees_the_verdict(new_page, seeded):
    page = new_page(width=PHONE, height=740)
    page.goto(reverse("factcheck:home"))
    page.locator("textarea[name=q]").fill(FORWARDED)
    page.get_by_role("button", name="Periksa").click()
    first = page.locator("#fc-results .fc-card").first
    expect(first).to_contain_text("HOAKS")
    expect(first).to_contain_text("microchip")
    first.locator("h3 a").click()
    expect(page.locator("h1")).to_contain_text("microchip")
    expect(page.get_by_role("link", name="Bagikan ke WhatsApp")).to_be_visible()


def test_unknown_message_goes_to_the_report_form_with_its_text(new_page, seeded):
    page = new_page(width=PHONE, height=740)
    message = "Katanya besok listrik se-Bali padam tiga hari untuk uji coba <b>satelit</b>"
    page.goto(reverse("factcheck:home"))
    page.locator("textarea[name=q]").fill(message)
    page.get_by_role("button", name="Periksa").click()
    expect(page.locator(".fc-empty")).to_be_visible()
    page.locator(".fc-empty a.button").click()
    expect(page.locator("textarea[name=text]")).to_have_value(message)
    page.locator("select[name=channel]").select_option("whatsapp")
    page.locator("select[name=regency]").select_option("51.71")
    page.get_by_role("button", name="Kirim laporan").click()
    expect(page.locator("h1")).to_contain_text("Terima kasih")
    assert Claim.objects.filter(text__contains="satelit").exists()


def test_fact_checker_publishes_a_verdict_from_the_desk(new_page, seeded):
    page = new_page()
    page.goto(reverse("core:login") + "?next=" + reverse("factcheck:desk"))
    log_in(page, "cekfakta", core_demo.DEMO_PASSWORD)
    card = page.locator(".fc-card").filter(has_text="sirih").first
    card.locator("h3 a").click()
    page.locator("select[name=verdict]").select_option("SALAH")
    page.locator("textarea[name=summary]").fill("Belum ada bukti rebusan sirih menyembuhkan.")
    page.locator("textarea[name=explanation]").fill("Tidak ada penelitian pada manusia.")
    page.locator("textarea[name=sources]").fill("WHO | https://www.who.int/")
    page.get_by_role("button", name="Terbitkan putusan").click()
    expect(page.locator(".fc-verdict").first).to_have_text("SALAH")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_screenshots_factcheck(new_page, seeded, screenshot_dir, width):
    page = new_page(width=width, height=740 if width == PHONE else 800)
    overflow = {}

    def snap(name: str) -> None:
        page.wait_for_load_state("load")
        overflow[name] = horizontal_overflow(page)
        if screenshot_dir is not None:
            page.screenshot(path=screenshot_dir / f"factcheck-{name}-{width}.png", full_page=True)

    page.goto(reverse("factcheck:home"))
    snap("home")
    page.goto(reverse("factcheck:home") + "?q=" + "oksigen di rs sanglah habis")
    snap("results")
    claim = Claim.objects.filter(text__contains="Sanglah").first()
    page.goto(reverse("factcheck:claim", args=[claim.pk]))
    snap("claim")
    page.goto(reverse("factcheck:claim_poster", args=[claim.pk]))
    snap("poster")
    page.goto(reverse("factcheck:report") + "?text=Listrik+padam")
    snap("report")
    page.goto(reverse("factcheck:articles"))
    page.locator(".fc-card h3 a").first.click()
    snap("article")
    page.goto(reverse("core:login") + "?next=" + reverse("factcheck:desk"))
    log_in(page, "cekfakta", core_demo.DEMO_PASSWORD)
    page.wait_for_load_state("load")
    snap("desk")
    page.locator(".fc-card h3 a").first.click()
    snap("desk-claim")
    page.goto(reverse("factcheck:weekly"))
    snap("weekly")
    page.context.clear_cookies()
    page.goto(reverse("core:login") + "?next=" + reverse("factcheck:desk"))
    log_in(page, "cekfakta.badung", core_demo.DEMO_PASSWORD)
    page.wait_for_load_state("load")
    snap("desk-regency")
    page.locator(".fc-card").filter(has_text="BPJS").locator("h3 a").first.click()
    snap("desk-regency-claim")
    shared = Claim.objects.filter(text__contains="microchip").first()
    page.goto(reverse("factcheck:desk_claim", args=[shared.pk]))
    snap("desk-regency-shared")
    assert all(value <= 0 for value in overflow.values()), overflow


def test_report_with_a_screenshot_reaches_only_its_regencys_desk(new_page, seeded):
    import io

    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (300, 200), (220, 248, 198)).save(picture, "PNG")
    page = new_page(width=PHONE, height=740)
    page.goto(reverse("factcheck:report"))
    page.locator("textarea[name=text]").fill(
        "Katanya puskesmas di Mengwi tutup sebulan karena semua perawatnya positif covid"
    )
    page.locator("select[name=channel]").select_option("whatsapp")
    page.locator("select[name=regency]").select_option("51.03")
    page.locator("input[name=screenshot]").set_input_files(
        files=[{"name": "tangkapan.png", "mimeType": "image/png", "buffer": picture.getvalue()}]
    )
    page.get_by_role("button", name="Kirim laporan").click()
    expect(page.locator("h1")).to_contain_text("Terima kasih")
    claim = Claim.objects.get(text__contains="Mengwi")

    desk = new_page(width=PHONE, height=740)
    desk.goto(reverse("core:login") + "?next=" + reverse("factcheck:desk"))
    log_in(desk, "cekfakta.badung", core_demo.DEMO_PASSWORD)
    expect(desk.locator("#main")).to_contain_text("Kabupaten Badung")
    card = desk.locator(".fc-card").filter(has_text="Mengwi")
    expect(card).to_have_count(1)
    card.locator("h3 a").click()
    link = desk.get_by_role("link", name="Tangkapan layar").first
    expect(link).to_be_visible()
    response = desk.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "image/png"

    other = new_page(width=PHONE, height=740)
    other.goto(reverse("core:login") + "?next=" + reverse("factcheck:desk"))
    log_in(other, "cekfakta.gianyar", core_demo.DEMO_PASSWORD)
    expect(other.locator("h1")).to_contain_text("Meja")
    expect(other.locator(".fc-card").filter(has_text="Mengwi")).to_have_count(0)
    assert other.goto(reverse("factcheck:desk_claim", args=[claim.pk])).status == 403
