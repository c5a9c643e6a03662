"""The shelter manager's journey in Chromium: admit a survivor from their case number to a bed,
move them to another bed, discharge them. Each action updates the occupancy board in place (htmx):
a marker set on `window` before the first action is still there after the last one, so the page
was never reloaded."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.journey_steps import label, open_menu, sign_in
from tumaini.accounts.models import Team, User
from tumaini.cases.services.intake import case_open_from_intake
from tumaini.core.demo import CENTRE, TEAM_1
from tumaini.people.enums import Gender
from tumaini.shelter.models import Facility, Stay
from tumaini.shelter.selectors import free_beds
from tumaini.shelter.services import bed_fit_problem

pytestmark = pytest.mark.browser

SAFE_HOUSE = "Safe house A (demo)"


@pytest.fixture
def demo(settings, db):
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=StringIO())
    return settings.TUMAINI_DEMO_PASSWORD


@pytest.fixture
def new_case(demo):
    caseworker = User.objects.get(username="caseworker")
    return case_open_from_intake(
        actor=caseworker,
        identity={
            "given_name": "Neema",
            "family_name": "Chepkoech",
            "gender": Gender.FEMININE,
            "date_of_birth": date(1998, 6, 2),
        },
        intake={"intake_date": timezone.localdate() - timedelta(days=3), "source": "police"},
        team=Team.objects.get(organisation__name=CENTRE, name=TEAM_1),
        case_manager=caseworker,
    )


def _two_fitting_beds(case):
    facility = Facility.objects.get(site__name=SAFE_HOUSE)
    today = timezone.localdate()
    beds = [
        bed
        for bed in free_beds(organisation_id=facility.organisation_id).filter(
            room__facility=facility
        )
        if bed_fit_problem(bed=bed, person=case.person, on=today) is None
    ]
    assert len(beds) >= 2, "the demo safe house keeps free beds for women"
    return beds[0], beds[1]


def _window_marker(page) -> object:
    return page.evaluate("() => window.shelterJourneyMarker")


def test_shelter_manager_admits_moves_and_discharges_without_reloading(
    page, live_server, demo, new_case, artifacts
):
    base = live_server.url
    number = new_case.case_number
    first_bed, second_bed = _two_fitting_beds(new_case)
    today = timezone.localdate()

    sign_in(page, base, "shelter", demo)
    open_menu(page, "Shelter")
    expect(page.get_by_role("heading", name="Shelter facilities")).to_be_visible()
    page.get_by_role("link", name=SAFE_HOUSE).click()
    expect(page.get_by_role("heading", name="Occupancy board")).to_be_visible()
    board = page.locator("#occupancy-board")
    expect(board).not_to_contain_text(number)
    # Set after the page loaded: a reload or a navigation would wipe it.
    page.evaluate("() => { window.shelterJourneyMarker = 'still here'; }")

    # --- Admit from the case number --------------------------------------------------------------
    board.get_by_role("link", name="Admit a survivor").click()
    panel = page.locator("#board-panel")
    expect(panel.get_by_role("heading", name="Admit a survivor")).to_be_visible()
    panel.get_by_label(label("Case number")).fill(number.lower().replace("-", " "))
    panel.get_by_label(label("Bed")).select_option(str(first_bed.public_id))
    panel.get_by_label(label("Expected to leave on")).fill((today + timedelta(days=60)).isoformat())
    panel.get_by_role("button", name="Admit").click()
    expect(board.get_by_role("status")).to_contain_text(
        f"Neema Chepkoech ({number}) admitted to {first_bed}."
    )
    expect(page.locator(f"#bed-{first_bed.public_id}")).to_contain_text(number)
    assert _window_marker(page) == "still here"

    # --- Move to another bed ------------------------------------------------------------------------
    board.get_by_role("link", name=f"Move {number}").click()
    expect(panel.get_by_role("heading", name=f"Move Neema Chepkoech ({number})")).to_be_visible()
    panel.get_by_label(label("New bed")).select_option(str(second_bed.public_id))
    panel.get_by_label(label("Why move")).fill("Closer to the washroom")
    panel.get_by_role("button", name="Move").click()
    expect(board.get_by_role("status")).to_contain_text(f"Neema Chepkoech moved to {second_bed}")
    expect(page.locator(f"#bed-{second_bed.public_id}")).to_contain_text(number)
    expect(page.locator(f"#bed-{first_bed.public_id}")).not_to_contain_text(number)
    assert _window_marker(page) == "still here"

    # --- Discharge: a date before the admission is refused beside the field, then corrected -------
    board.get_by_role("link", name=f"Discharge {number}").click()
    expect(
        panel.get_by_role("heading", name=f"Discharge Neema Chepkoech ({number})")
    ).to_be_visible()
    panel.get_by_label(label("Left on")).fill((today - timedelta(days=2)).isoformat())
    panel.get_by_label(label("Reason for leaving")).select_option(
        label="The survivor chose to leave"
    )
    panel.get_by_label(label("Destination")).select_option(label="Home or family")
    panel.get_by_label(label("Discharge notes")).fill("Going to her sister in Nakuru")
    panel.get_by_role("button", name="Discharge").click()
    field = panel.locator(".field-error").filter(has=page.get_by_label(label("Left on")))
    expect(field).to_contain_text("they cannot leave before that")
    expect(panel.get_by_label(label("Discharge notes"))).to_have_value(
        "Going to her sister in Nakuru"
    )
    panel.get_by_label(label("Left on")).fill(today.isoformat())
    panel.get_by_role("button", name="Discharge").click()
    expect(board.get_by_role("status")).to_contain_text(f"({number}) was discharged")
    expect(board.locator("tr.bed-occupied").filter(has_text=number)).to_have_count(0)
    assert _window_marker(page) == "still here"
    page.screenshot(path=str(artifacts / "shelter-board.png"), full_page=True)

    stays = list(Stay.objects.filter(case=new_case).order_by("started_on", "id"))
    assert [(s.bed_id, s.end) for s in stays] == [
        (first_bed.pk, "transferred"),
        (second_bed.pk, "discharged"),
    ]
    assert stays[-1].destination == "home_family"
