"""The director's statistics journey in Chromium: the dashboard, a sub-county chosen on the map,
and the monthly situation report prepared by the worker and downloaded as a PDF."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from tests.browser.journey_steps import label, open_menu, sign_in
from tests.cases.test_summary_pdf import pdf_text
from tests.core.test_tasks import run_worker

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(settings, db):
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=StringIO())
    return settings.TUMAINI_DEMO_PASSWORD


def test_director_filters_by_sub_county_on_the_map_and_downloads_the_monthly_report(
    page, live_server, demo, artifacts
):
    base = live_server.url
    sign_in(page, base, "director", demo)
    open_menu(page, "Statistics")
    expect(
        page.get_by_role("heading", name="Needs assessment: the scope of trafficking")
    ).to_be_visible()
    everyone = int(page.locator(".figure-survivors").inner_text())
    assert everyone > 0

    # The sub-county with the most survivors, as the map's own labels say.
    areas = page.locator(".nairobi-map a")
    counts = {}
    for index in range(areas.count()):
        name, count = areas.nth(index).get_attribute("aria-label").rsplit(": ", 1)
        counts[name] = int(count) if count.isdigit() else 0
    busiest = max(counts, key=counts.get)
    assert 0 < counts[busiest] <= everyone
    page.locator(".nairobi-map").get_by_label(f"{busiest}: {counts[busiest]}").click()
    page.wait_for_url(re.compile(r"sub_county=\d+"))
    expect(page.locator(".figure-survivors")).to_have_text(str(counts[busiest]))
    expect(page.get_by_label(label("Sub-county"))).to_have_value(re.compile(r"^\d+$"))
    expect(page.locator(".nairobi-map .map-selected")).to_have_count(1)
    page.screenshot(path=str(artifacts / "statistics-dashboard.png"), full_page=True)

    # The monthly situation report for this month, prepared in the background.
    open_menu(page, "Situation reports")
    today = timezone.localdate()
    page.get_by_label(label("Report")).select_option(label="Monthly")
    page.get_by_label(label("Month (for a quarter: any month in it)")).fill(today.strftime("%Y-%m"))
    page.get_by_role("button", name="Prepare the report").click()
    row = page.locator("tr.situation-report").first
    expect(row).to_contain_text("Waiting to start")

    run_worker()

    # The list polls (htmx) and shows the links once the report is ready, without a reload.
    expect(row).to_have_attribute("data-status", "ready", timeout=20_000)
    with page.expect_download() as download:
        row.get_by_role("link", name="PDF").click()
    with open(download.value.path(), "rb") as pdf:
        text = pdf_text(pdf.read())
    period = date_format(today, "F Y")
    assert f"Situation report: {period}" in text
    assert "Survivors identified" in text
