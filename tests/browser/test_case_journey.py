"""The main case-management journey, walked in Chromium the way a case manager and a director do it:
intake with a duplicate warning, screening, consent, assessments, a care plan, its approval."""

from __future__ import annotations

import re
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.journey_steps import (
    case_part,
    case_tab,
    choose,
    expect_message,
    label,
    open_menu,
    sign_in,
    sign_out,
)
from tumaini.accounts.models import Team, User
from tumaini.cases.services.intake import case_open_from_intake
from tumaini.core.demo import CENTRE, TEAM_1
from tumaini.people.enums import Gender

pytestmark = pytest.mark.browser

CASE_NUMBER = re.compile(r"TUM-\d{2}-[A-Z0-9]{4}-[A-Z0-9]{2}")


@pytest.fixture
def demo(settings, db):
    # The live server runs in this process, so these settings apply to it too.
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=StringIO())
    call_command("load_screening_sets", stdout=StringIO())
    return settings.TUMAINI_DEMO_PASSWORD


@pytest.fixture
def existing_case(demo):
    """Amina Wanjiru, born 2001, already has a case with the demo case manager's team."""
    caseworker = User.objects.get(username="caseworker")
    return case_open_from_intake(
        actor=caseworker,
        identity={
            "given_name": "Amina",
            "family_name": "Wanjiru",
            "gender": Gender.FEMININE,
            "date_of_birth": date(2001, 3, 14),
        },
        intake={"intake_date": timezone.localdate() - timedelta(days=400), "source": "police"},
        team=Team.objects.get(organisation__name=CENTRE, name=TEAM_1),
        case_manager=caseworker,
    )


def test_case_manager_walks_a_case_to_an_approved_care_plan(
    page, live_server, demo, existing_case, artifacts
):
    base = live_server.url
    existing_number = existing_case.case_number
    today = timezone.localdate()

    # --- Intake: the same survivor, typed differently, is recognised --------------------------
    sign_in(page, base, "caseworker", demo)
    open_menu(page, "New intake")
    expect(page.get_by_role("heading", name="New intake")).to_be_visible()
    page.get_by_label(label("Given name")).fill("AMINA ")
    page.get_by_label(label("Family name")).fill("  WANJIRU")
    page.get_by_label(label("Estimated age (years)")).fill(str(today.year - 2001))
    page.get_by_label(label("How they came")).select_option(label="Police")
    page.get_by_label(label("Where identified")).fill("Bus station, Nairobi CBD")
    page.get_by_label(label("What happened, in brief")).fill(
        "Came back from a domestic job abroad; passport kept by the employer."
    )
    page.get_by_label(label("Immediate needs")).fill("Shelter for tonight, food.")
    page.get_by_role("button", name="Open the case").click()

    warning = page.get_by_role("region", name="This survivor may already be registered")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Link the case to the same person")
    match = warning.get_by_role("row").filter(has_text=existing_number)
    expect(match).to_contain_text("Amina Wanjiru")
    expect(match).to_contain_text("similar name")
    expect(match).to_contain_text("same year of birth")
    # What was typed is still there, to be linked or registered.
    expect(page.get_by_label(label("Where identified"))).to_have_value("Bus station, Nairobi CBD")
    match.get_by_role("button", name="Link to this existing person").click()

    number_heading = page.get_by_role("heading", level=1)
    expect(number_heading).to_have_text(CASE_NUMBER)
    case_number = number_heading.inner_text().strip()
    assert case_number != existing_number
    # Saved, the case opens at the person tab (consent comes next); the stage is on the overview.
    expect(page.locator(".case-sections [aria-current=page]")).to_have_text("Person & consent")
    case_url = page.url.split("?")[0]
    # The case belongs to the person already registered (her name as first written).
    expect(case_part(page, "Survivor")).to_contain_text("Amina Wanjiru")
    expect(case_part(page, "Survivor")).to_contain_text("born 14 Mar 2001")
    expect(case_part(page, "Survivor")).to_contain_text("Female")
    expect(case_part(page, "Intake")).to_contain_text("Bus station, Nairobi CBD")
    expect(page.locator(".case-badges")).to_contain_text("Identification and screening")

    # --- Screening: the required questions and a decision -------------------------------------
    case_tab(page, "Assessments & plan")
    case_part(page, "Screening and decision").get_by_role(
        "link", name="Start the screening"
    ).click()
    expect(page.get_by_role("heading", name="New screening")).to_be_visible()
    choose(page, "I explained who we are", "Yes")
    choose(page, "Do you feel safe right now", "Yes")
    page.get_by_label(re.compile(r"^How did you first hear about this work")).select_option(
        label="A recruitment agency"
    )
    page.get_by_label(re.compile(r"^What were you told you would do")).fill(
        "House help in Riyadh, 30,000 shillings a month, a room of her own."
    )
    page.get_by_label(re.compile(r"^When you arrived, what work")).fill(
        "Cleaning and cooking for three households, 18 hours a day."
    )
    choose(page, "Could you leave the place where you worked", "No")
    choose(page, "Decision", "Victim of trafficking")
    page.get_by_label(label("Why this decision")).fill(
        "Recruited by an agency with false promises, passport taken, confined."
    )
    choose(page, "Act", "Recruitment")
    choose(page, "Means", "Deception")
    choose(page, "Purpose (exploitation)", "Forced labour")
    page.get_by_role("button", name="Save the screening").click()

    expect_message(page, "The screening was saved.")
    screening = case_part(page, "Screening and decision")
    expect(screening).to_contain_text("Victim of trafficking")
    expect(screening).to_contain_text("Peter Kamau")

    # --- Consent: services, given by the survivor ---------------------------------------------
    case_tab(page, "Person & consent")
    case_part(page, "Consent").get_by_role("link", name="Record a consent").click()
    expect(page.get_by_role("heading", name=f"Record a consent for {case_number}")).to_be_visible()
    page.get_by_label(label("Purpose")).select_option(label="Receive services from the centre")
    choose(page, "Given by", "The survivor")
    page.get_by_role("button", name="Record the consent").click()

    expect_message(page, "Consent recorded.")
    consent_row = (
        case_part(page, "Consent")
        .get_by_role("row")
        .filter(has_text="Receive services from the centre")
    )
    expect(consent_row).to_contain_text("The survivor")
    expect(consent_row).to_contain_text("no expiry")

    # --- Assessment stage: risk and needs -----------------------------------------------------
    case_tab(page, "Overview")
    stage = case_part(page, "Stage")
    stage.get_by_role("button", name="Move to “Needs and risk assessment”").click()
    expect_message(page, "The case is now at the stage “Needs and risk assessment”.")
    expect(page.locator(".case-badges")).to_contain_text("Needs and risk assessment")

    case_tab(page, "Assessments & plan")
    case_part(page, "Risk assessment").get_by_role("link", name="New risk assessment").click()
    expect(page.get_by_role("heading", name="New risk assessment")).to_be_visible()
    choose(page, "Physical risk", "Medium")
    choose(page, "Psychological risk", "High")
    page.get_by_label(label("Psychological risk: notes")).fill("Nightmares, does not sleep.")
    choose(page, "Health risk", "Low")
    choose(page, "Security risk", "Medium")
    page.get_by_role("button", name="Save the assessment").click()

    expect_message(page, "Risk assessment saved.")
    expect(page.locator(".case-badges")).to_contain_text("Risk: High")
    risk = case_part(page, "Risk assessment")
    expect(risk.get_by_role("row").filter(has_text="Psychological")).to_contain_text("High")

    case_part(page, "Needs assessment").get_by_role("link", name="New needs assessment").click()
    expect(page.get_by_role("heading", name="New needs assessment")).to_be_visible()
    page.get_by_label("Accommodation: identified").check()
    page.get_by_label("Accommodation: urgency").select_option(label="High")
    page.get_by_label("Accommodation: notes").fill("No family in Nairobi.")
    page.get_by_role("button", name="Save the assessment").click()

    expect_message(page, "Needs assessment saved.")
    need_row = (
        case_part(page, "Needs assessment").get_by_role("row").filter(has_text="Accommodation")
    )
    expect(need_row).to_contain_text("High")
    expect(need_row).to_contain_text("No family in Nairobi.")

    # --- Care planning: one goal, sent for approval -------------------------------------------
    case_tab(page, "Overview")
    case_part(page, "Stage").get_by_role("button", name="Move to “Care plan”").click()
    expect_message(page, "The case is now at the stage “Care plan”.")

    case_tab(page, "Assessments & plan")
    case_part(page, "Care plan").get_by_role("link", name="New care plan").click()
    expect(page.get_by_role("heading", name="New care plan")).to_be_visible()
    page.get_by_label(label("Summary")).fill("A safe place to stay, then work near home.")
    goal = page.get_by_role("group", name="Goal 1", exact=True)
    goal.get_by_label(label("Goal")).fill("A place in the safe house until she can go home.")
    goal.get_by_label(label("Type of support")).select_option(label="Social care")
    goal.get_by_label(label("Need it answers")).select_option(label="Accommodation")
    goal.get_by_label(label("Responsible")).select_option(label="Peter Kamau")
    goal.get_by_label(label("Due on")).fill((today + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Save the care plan").click()

    expect_message(page, "Care plan saved as a draft.")
    expect(page.get_by_role("heading", name="Care plan", exact=True)).to_be_visible()
    expect(page.locator("main")).to_contain_text("A place in the safe house until she can go home.")
    page.get_by_label(label("Comment for the director")).fill("Ready: agreed with the survivor.")
    page.get_by_role("button", name="Send to a director for approval").click()

    expect_message(page, "The care plan was sent to the directors for approval.")
    expect(page.locator("main")).to_contain_text("Waiting for approval")
    sign_out(page)

    # --- The director approves ----------------------------------------------------------------
    sign_in(page, base, "director", demo)
    open_menu(page, "Approvals")
    expect(page.get_by_role("heading", name="Approvals waiting")).to_be_visible()
    request_row = page.get_by_role("row").filter(has_text=case_number)
    expect(request_row).to_contain_text("Care plan")
    expect(request_row).to_contain_text("Peter Kamau")
    request_row.get_by_role("link", name=case_number).click()

    expect(page.get_by_role("heading", name=f"Care plan for case {case_number}")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Ready: agreed with the survivor.")
    expect(page.locator("main")).to_contain_text("A place in the safe house until she can go home.")
    choose(page, "Decision", "Approve")
    page.get_by_label(label("Comment")).fill("Approved: review in a month.")
    page.get_by_role("button", name="Record the decision").click()

    expect_message(page, "Request approved.")
    expect(page.get_by_role("row").filter(has_text=case_number)).to_have_count(0)

    # --- The case has moved on -----------------------------------------------------------------
    open_menu(page, "Cases")
    page.get_by_label(label("Case number or name")).fill(case_number)
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=case_number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(case_number)
    assert page.url == case_url

    expect(page.locator(".case-badges")).to_contain_text("Assistance")
    expect(case_part(page, "Stage")).to_contain_text("Current stage: Assistance")
    history_row = case_part(page, "Stage").get_by_role("row").filter(has_text="Care plan approved.")
    expect(history_row).to_contain_text("Grace Wanjiku")
    case_tab(page, "Assessments & plan")
    plan = case_part(page, "Care plan")
    expect(plan).to_contain_text("Approved")
    expect(plan).to_contain_text(f"approved on {timezone.localdate():%Y-%m-%d}")
    expect(plan).to_contain_text("A place in the safe house until she can go home.")
    page.screenshot(path=artifacts / "case-journey.png", full_page=True)
