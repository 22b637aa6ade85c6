"""The data hub in a real browser: a producer uploads a CSV and sends it for review, the
steward approves, the public sees the table and the chart. Screenshots at 360 px and
desktop when ONEDATA_SCREENSHOT_DIR is set."""

from __future__ import annotations

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # conftest.py skips every test (fails them with ONEDATA_REQUIRE_BROWSER=1)
    expect = None

from onedata.core.regions import regions_load
from onedata.core.roles import Role
from onedata.datahub import demo
from tests.conftest import PASSWORD, make_agency, make_user
from tests.e2e import browser

pytestmark = pytest.mark.e2e

CSV = (
    "kode_wilayah,kabupaten,penduduk\n"
    "51.03,Badung,548191\n51.04,Gianyar,515344\n51.71,Denpasar,726800\n"
)


@pytest.fixture
def hub_world(live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    regions_load()
    badung = make_agency("pemkab-badung", "51.03")
    for name, title, _description in demo.THEMES:
        from onedata.datahub.models import Group

        Group.objects.get_or_create(name=name, defaults={"title": title})
    return {
        "producer": make_user("produsen.e2e", Role.DATA_PRODUCER, badung),
        "steward": make_user("walidata.e2e", Role.DATA_STEWARD, badung),
    }


def log_in(page, username: str) -> None:
    browser.log_in(page, username, PASSWORD)


def producer_publishes_for_review(page, tmp_path) -> None:
    page.goto("/data/baru/")
    page.locator("select[name=organization]").select_option(index=1)
    page.locator("input[name=name]").fill("penduduk-e2e")
    page.locator("input[name=title]").fill("Penduduk per kabupaten (uji)")
    page.locator("input[name=tags]").fill("penduduk, bali")
    page.locator("#main form button[type=submit]").click()
    expect(page.locator("input[name=upload]")).to_be_visible()
    csv_file = tmp_path / "penduduk.csv"
    csv_file.write_text(CSV, encoding="utf-8")
    page.locator("input[name=upload]").set_input_files(str(csv_file))
    # A long unbroken word (a URL, a code) must wrap, not widen the page at 360 px.
    page.locator("textarea[name=description]").fill("Sumber:" + "PendudukBaliPerKabupaten" * 6)
    page.locator("#main form button[type=submit]").click()
    expect(page.locator("#main h1")).to_have_text("Penduduk per kabupaten (uji)")
    expect(page.locator("progress, .badge-ok").first).to_be_visible()
    page.locator("form[action$='/kirim/'] button").click()
    page.wait_for_load_state("load")


def test_producer_uploads_steward_approves_public_sees_table_and_chart(
    new_page, hub_world, tmp_path
):
    producer = new_page()
    log_in(producer, "produsen.e2e")
    producer_publishes_for_review(producer, tmp_path)

    steward = new_page()
    log_in(steward, "walidata.e2e")
    steward.goto("/data/tinjauan/")
    steward.locator("a", has_text="Penduduk per kabupaten (uji)").click()
    steward.locator("select[name=decision]").select_option("approve")
    steward.locator("#review button[type=submit]").click()
    expect(steward.locator(".notice").first).to_be_visible()

    public = new_page()
    public.goto("/data/")
    public.locator("a", has_text="Penduduk per kabupaten (uji)").click()
    expect(public.locator(".dh-bars[role=img]")).to_be_visible()
    # The chart builder: a line of the population by regency.
    public.locator("#chart-kind").select_option("line")
    public.locator("#chart-x").select_option("kabupaten")
    public.locator("#chart-agg").select_option("sum")
    public.locator("#chart .dh-chart-form button[type=submit]").click()
    expect(public.locator(".dh-line[role=img] polyline")).to_have_count(1)
    expect(public.locator("#chart-kind")).to_have_value("line")
    expect(public.locator("#dh-table table")).to_contain_text("Denpasar")
    public.locator("#dh-table th a", has_text="penduduk").click()
    expect(public.locator("#dh-table tbody tr").first).to_contain_text("Gianyar")


@pytest.mark.parametrize("width", [360, 1280])
def test_screenshots_datahub(new_page, hub_world, tmp_path, screenshot_dir, width):
    producer = new_page(width=width)
    log_in(producer, "produsen.e2e")
    producer.goto("/data/baru/")
    if screenshot_dir is not None:
        producer.screenshot(path=screenshot_dir / f"datahub-form-{width}.png", full_page=True)
    producer_publishes_for_review(producer, tmp_path)
    steward = new_page(width=width)
    log_in(steward, "walidata.e2e")
    steward.goto("/data/penduduk-e2e/")
    if screenshot_dir is not None:
        steward.screenshot(path=screenshot_dir / f"datahub-review-{width}.png", full_page=True)
    steward.locator("select[name=decision]").select_option("approve")
    steward.locator("#review button[type=submit]").click()
    public = new_page(width=width)
    pages = (
        ("catalog", "/data/"),
        ("dataset", "/data/penduduk-e2e/"),
        ("chart-line", "/data/penduduk-e2e/?chart=line&x=kabupaten&agg=sum&y=penduduk"),
    )
    for name, url in pages:
        public.goto(url)
        public.wait_for_load_state("networkidle")
        overflow = public.evaluate(
            "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
            " - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways at {width}px"
        if screenshot_dir is not None:
            public.screenshot(path=screenshot_dir / f"datahub-{name}-{width}.png", full_page=True)


def _published_by_steward(new_page, tmp_path, width: int):
    producer = new_page(width=width)
    log_in(producer, "produsen.e2e")
    producer_publishes_for_review(producer, tmp_path)
    steward = new_page(width=width)
    log_in(steward, "walidata.e2e")
    steward.goto("/data/penduduk-e2e/")
    steward.locator("select[name=decision]").select_option("approve")
    steward.locator("#review button[type=submit]").click()
    expect(steward.locator(".notice").first).to_be_visible()
    return steward


def _save_chart(steward, kind: str, title: str, x: str) -> None:
    """Draw a chart with the builder, follow "save", give it a title and save it."""
    steward.goto("/data/penduduk-e2e/")
    steward.locator("#chart-kind").select_option(kind)
    steward.locator("#chart-x").select_option(x)
    steward.locator("#chart-agg").select_option("sum")
    steward.locator("#chart .dh-chart-form button[type=submit]").click()
    steward.locator("#save-chart").click()
    expect(steward.locator("#id_chart_type")).to_have_value(kind)
    steward.locator("#id_title").fill(title)
    steward.locator("#view-form button[type=submit]").first.click()
    expect(steward.locator("#saved-charts")).to_contain_text(title)


def test_steward_saves_a_pie_and_a_map_and_the_public_sees_them_at_360px(
    new_page, hub_world, tmp_path
):
    steward = _published_by_steward(new_page, tmp_path, 360)
    _save_chart(steward, "pie", "Sebaran penduduk", "kabupaten")
    _save_chart(steward, "map", "Peta penduduk", "kode_wilayah")
    # The steward moves the map to the top.
    steward.locator("#saved-charts article").nth(1).locator(
        "button", has_text="Pindah ke atas"
    ).or_(
        steward.locator("#saved-charts article").nth(1).locator("button", has_text="Move up")
    ).click()
    expect(steward.locator("#saved-charts h3").first).to_have_text("Peta penduduk")

    public = new_page(width=360)
    public.goto("/data/penduduk-e2e/")
    expect(public.locator("#saved-charts .dh-map-svg[role=img]")).to_be_visible()
    expect(public.locator("#saved-charts .dh-pie-svg[role=img] path")).to_have_count(3)
    expect(public.locator("#saved-charts")).to_contain_text("Badung (51.03)")
    expect(public.locator("#saved-charts button")).to_have_count(0)  # no edit for the public
    assert browser.overflow(public) <= 0, "the dataset page scrolls sideways at 360px"

    # Deleting asks first; then the chart is gone for everyone.
    pie = steward.locator("#saved-charts article").nth(1)
    pie.locator(".dh-confirm summary").click()
    pie.locator(".dh-confirm button[type=submit]").click()
    expect(steward.locator("#saved-charts h3")).to_have_count(1)
    public.reload()
    expect(public.locator("#saved-charts")).not_to_contain_text("Sebaran penduduk")


@pytest.mark.parametrize("width", [360, 1280])
def test_screenshots_datahub_saved_charts(new_page, hub_world, tmp_path, screenshot_dir, width):
    steward = _published_by_steward(new_page, tmp_path, width)
    _save_chart(steward, "pie", "Sebaran penduduk", "kabupaten")
    _save_chart(steward, "map", "Peta penduduk", "kode_wilayah")
    steward.locator("a", has_text="Ubah grafik").or_(
        steward.locator("a", has_text="Edit chart")
    ).first.click()
    steward.wait_for_load_state("load")
    assert browser.overflow(steward) <= 0, f"the chart form scrolls sideways at {width}px"
    if screenshot_dir is not None:
        steward.screenshot(path=screenshot_dir / f"datahub-chart-form-{width}.png", full_page=True)
    public = new_page(width=width)
    public.goto("/data/penduduk-e2e/")
    public.wait_for_load_state("networkidle")
    assert browser.overflow(public) <= 0, f"the dataset page scrolls sideways at {width}px"
    if screenshot_dir is not None:
        public.locator("#saved-charts").screenshot(
            path=screenshot_dir / f"datahub-saved-charts-{width}.png"
        )
        public.screenshot(
            path=screenshot_dir / f"datahub-dataset-charts-{width}.png", full_page=True
        )
