"""The public-report journey in Chromium: a member of the public reports in Kiswahili and follows the
report by its code; the hotline agent triages it and escalates it to the police unit, whose liaison
then reads it (and nothing else). Then an agent logs a call and turns it into a report."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.journey_steps import expect_message, label, open_menu, sign_in, sign_out
from tumaini.core.demo import POLICE_UNIT
from tumaini.hotline.models import Call
from tumaini.tips.enums import Channel
from tumaini.tips.models import Report
from tumaini.tips.services import report_receive

pytestmark = pytest.mark.browser

REFERENCE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$")
WHAT = (
    "Wasichana watatu wamefungiwa katika nyumba karibu na soko la Gikomba; mwanamume mmoja "
    "anachukua simu zao kila usiku."
)
CALL_SUMMARY = (
    "A mother says her son of 15 was taken to a farm in Kiambu by a man who promised school fees; "
    "he is not allowed to leave."
)


@pytest.fixture
def demo(settings, db):
    # The live server runs in this process, so these settings apply to it too.
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=StringIO())
    return settings.TUMAINI_DEMO_PASSWORD


@pytest.fixture
def public(browser):
    """A member of the public: a browser of their own, without the staff's cookies."""
    context = browser.new_context(locale="en-GB", timezone_id="Africa/Nairobi")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def test_public_report_in_kiswahili_is_triaged_escalated_and_read_by_the_police(
    page, public, live_server, demo, artifacts
):
    base = live_server.url
    not_theirs = report_receive(
        channel=Channel.WEB, what_happened="A report that stays with the centre, never escalated."
    )

    # --- The public: Kiswahili, the form, the reference code, the status page -----------------
    public.goto(base + "/")
    public.get_by_role("button", name="Kiswahili").click()
    expect(public.locator("html")).to_have_attribute("lang", "sw")
    public.get_by_role("link", name="Ripoti mtandaoni").click()
    expect(
        public.get_by_role("heading", name="Ripoti unaposhuku usafirishaji haramu wa binadamu")
    ).to_be_visible()
    public.get_by_label(re.compile(r"^Uliona au ulisikia nini\?")).fill(WHAT)
    public.get_by_label("Kuna mtu aliye hatarini sasa hivi").check()
    public.get_by_label(re.compile(r"^Wapi\?")).fill("Gikomba, nyuma ya soko la mitumba")
    public.get_by_label("Ni watu wangapi huenda ni waathiriwa?").fill("3")
    public.get_by_role("button", name="Tuma ripoti").click()
    expect(public.get_by_role("heading", name="Asante. Ripoti yako imepokelewa.")).to_be_visible()
    reference = public.locator("#reference-code").inner_text().strip()
    assert REFERENCE.match(reference), reference
    report = Report.objects.get(reference_code=reference.replace("-", ""))
    assert report.language == "sw"
    assert report.what_happened == WHAT
    public.screenshot(path=str(artifacts / "report-journey-1-thanks-sw.png"), full_page=True)

    public.get_by_role("link", name="Fuatilia ripoti").click()
    # Typed the way people copy codes: lower case, no dash.
    public.get_by_label(re.compile(r"^Nambari ya kumbukumbu")).fill(
        reference.replace("-", "").lower()
    )
    public.get_by_role("button", name="Angalia").click()
    result = public.locator("#status-result")
    expect(result).to_contain_text("Hali ya ripoti yako")
    expect(result).to_contain_text("Imepokelewa: ripoti yako inasubiri kuangaliwa.")

    # --- The hotline agent: the queue, take, escalate to the police unit ----------------------
    sign_in(page, base, "hotline", demo)
    open_menu(page, "Public reports")
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Critical")
    expect(row).to_contain_text("Web form")
    row.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(page.locator(".narrative")).to_contain_text("Gikomba")
    page.get_by_role("button", name="Take this report").click()
    expect_message(page, "Saved.")
    expect(page.locator("#report-status")).to_have_text("Triaging")
    page.get_by_label(label("Law-enforcement unit")).select_option(label=POLICE_UNIT)
    page.get_by_label(label("Officer")).fill("Inspector W. Njoroge")
    page.get_by_label(label("Police reference (OB number)")).fill("OB 14/03/2026")
    page.get_by_role("button", name="Escalate", exact=True).click()
    expect_message(page, "Saved.")
    expect(page.locator("#report-status")).to_have_text("Escalated to law enforcement")
    expect(page.locator("#escalation")).to_contain_text(POLICE_UNIT)
    report_url = page.url
    sign_out(page)

    # The reporter sees the report moved on, and nothing more.
    public.get_by_label(re.compile(r"^Nambari ya kumbukumbu")).fill(reference)
    public.get_by_role("button", name="Angalia").click()
    expect(public.locator("#status-result")).to_contain_text(
        "Imepelekwa kwa polisi au kwa shirika mshirika."
    )
    expect(public.locator("body")).not_to_contain_text("Njoroge")

    # --- The police liaison: the escalated report, and only that --------------------------------
    sign_in(page, base, "police", demo)
    open_menu(page, "Public reports")
    results = page.locator("#report-results")
    expect(results).to_contain_text(reference)
    expect(results).not_to_contain_text(not_theirs.display_reference)
    results.get_by_role("link", name=reference).click()
    assert page.url == report_url
    expect(page.locator(".narrative")).to_contain_text(WHAT)
    expect(page.locator("#escalation")).to_contain_text("OB 14/03/2026")
    # The liaison reads; triage stays with the centre.
    expect(page.get_by_role("button", name="Take this report")).to_have_count(0)
    page.screenshot(path=str(artifacts / "report-journey-2-police.png"), full_page=True)
    response = page.goto(f"{base}/staff/reports/{not_theirs.public_id}/")
    assert response is not None and response.status == 404
    expect(page.locator("body")).not_to_contain_text("stays with the centre")


def test_hotline_agent_logs_a_call_and_creates_a_report_from_it(page, live_server, demo, artifacts):
    base = live_server.url
    sign_in(page, base, "hotline", demo)
    # The demo roster has the agent on duty, and the home page lists the follow-ups due.
    expect(page.get_by_role("region", name="Call follow-ups due")).to_be_visible()
    open_menu(page, "Hotline calls")
    page.get_by_role("link", name="Log a call").click()
    page.get_by_label(label("Duration")).fill("7:30")
    page.get_by_label(label("Who called")).select_option(label="Family member")
    page.get_by_label(label("Language of the call")).select_option(label="Kiswahili")
    page.get_by_label(label("What the call was about")).select_option(label="Trafficking report")
    page.get_by_label(label("Urgency")).select_option(label="High")
    page.get_by_label(label("Summary of the call")).fill(CALL_SUMMARY)
    page.get_by_label(label("Advice given")).fill(
        "Do not go to the farm alone; we alert the police."
    )
    page.get_by_label(label("Caller's phone number (optional)")).fill("0722 400 311")
    page.get_by_label("Follow-up needed").check()
    page.get_by_label(label("Follow-up due on")).fill("2030-01-15")
    page.get_by_role("button", name="Log the call").click()
    expect_message(page, "The call was logged.")
    expect(page.locator("#call-category")).to_have_text("Trafficking report")
    # An agent does not read the caller's number back.
    expect(page.locator("#caller-phone")).to_contain_text("shown to hotline supervisors only")
    expect(page.locator("#follow-up")).to_contain_text("2030-01-15")

    page.get_by_role("link", name="Create a report").click()
    expect(page.get_by_label(label("What the caller reported"))).to_have_value(CALL_SUMMARY)
    page.get_by_label(label("How many people may be victims?")).fill("1")
    page.get_by_label(label("Their ages")).select_option(label="Children (under 18)")
    page.get_by_label(label("Where? (place, street, building, landmark)")).fill(
        "A farm near Limuru"
    )
    page.get_by_label("Keep the caller's phone number as the reporter's contact").check()
    page.get_by_role("button", name="Create the report").click()
    expect(page.get_by_role("status").filter(has_text="was created from the call.")).to_be_visible()

    # The only call of 7 min 30 s: the one just logged (demo calls last whole minutes).
    call = Call.objects.select_related("report").get(duration_seconds=450)
    report = call.report
    assert report.reporter_phone == "+254722400311"
    page.screenshot(path=str(artifacts / "report-journey-3-call.png"), full_page=True)
    link = page.locator("#call-report").get_by_role("link", name=report.display_reference)
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(report.display_reference)
    expect(page.locator(".narrative")).to_contain_text("Kiambu")
    expect(page.locator(".facts").first).to_contain_text("Hotline call")
    expect(page.locator(".facts").first).to_contain_text("High")

    # The agent sees who is on duty (the demo roster has them on now), not the numbers dialled.
    open_menu(page, "Hotline roster")
    on_duty = page.get_by_role("region", name="On duty now")
    expect(on_duty).to_contain_text("Brian Mutua")
    expect(page.locator("body")).not_to_contain_text("+254700100201")
    expect(page.get_by_role("heading", name="Add a shift")).to_have_count(0)
