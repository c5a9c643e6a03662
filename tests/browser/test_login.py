from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(settings, db):
    # The live server runs in this process, so these settings apply to it too.
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=StringIO())
    return settings.TUMAINI_DEMO_PASSWORD


def test_public_page_shows_both_help_lines(page, live_server):
    page.goto(live_server.url + "/")

    text = page.locator("body").inner_text()
    assert "+254 725 624489" in text
    assert "+254 738 041292" in text


def test_director_signs_in_and_sees_the_staff_dashboard(page, live_server, demo, artifacts):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Staff sign-in").first.click()
    page.wait_for_url("**/accounts/login/**")

    page.fill("input[name=login]", "director")
    page.fill("input[name=password]", demo)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(live_server.url + "/staff/")

    text = page.locator("main").inner_text()
    assert "Grace Wanjiku" in text
    assert "Centre director" in text
    assert "Nairobi County Rescue Centre (demo)" in text
    page.screenshot(path=artifacts / "director-dashboard.png", full_page=True)
