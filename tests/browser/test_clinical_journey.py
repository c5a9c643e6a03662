"""Counselling and medical care in Chromium: the case manager gives a case to the counsellor, who
writes a session note nobody else reads; the director opens it only by break-glass, and the
counsellor is told; the nurse records a consent and a treated visit, and the case page shows only
the date."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.journey_steps import (
    case_part,
    case_tab,
    expect_message,
    label,
    open_menu,
    sign_in,
    sign_out,
)
from tumaini.cases.models import Case
from tumaini.clinical.models import CounsellingClient

pytestmark = pytest.mark.browser

NOTE = "Talked about the journey back from Muscat and the fear of the agent."
FINDINGS = "Healing cut on the left palm."


@pytest.fixture
def demo(settings, db):
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=StringIO())
    return settings.TUMAINI_DEMO_PASSWORD


@pytest.fixture
def new_client_case(demo):
    """An adult case of the counsellor's team that the counsellor does not see yet."""
    taken = CounsellingClient.objects.values("case_id")
    return (
        Case.objects.filter(team__name="Case management team 1", person__is_child=False)
        .exclude(pk__in=taken)
        .exclude(stage="closed")
        .order_by("case_number")
        .first()
    )


def test_counselling_and_medical_journey(page, live_server, demo, new_client_case):
    base = live_server.url
    case_url = f"{base}/staff/cases/{new_client_case.public_id}/"
    number = new_client_case.case_number

    # The case manager gives the case to the counsellor.
    sign_in(page, base, "caseworker", demo)
    page.goto(case_url)
    case_tab(page, "Care")
    counselling = case_part(page, "Counselling")
    counselling.get_by_text("Assign a counsellor").click()
    counselling.get_by_label(label("Counsellor")).select_option(label="Mercy Njeri")
    counselling.get_by_role("button", name="Assign").click()
    expect_message(page, "The counsellor now has this case as a client.")
    sign_out(page)

    # The counsellor finds the client and writes a note.
    sign_in(page, base, "counsellor", demo)
    open_menu(page, "My clients")
    page.get_by_role("row", name=re.compile(number)).get_by_role("link").click()
    page.get_by_role("link", name="Write a session note").click()
    page.get_by_label(label("Duration (minutes)")).fill("50")
    page.get_by_label(label("Modality")).select_option(label="Individual")
    page.get_by_label("Trauma", exact=True).check()
    page.get_by_label(label("Note")).fill(NOTE)
    page.get_by_role("button", name="Save the note").click()
    expect_message(page, "Session note saved.")
    expect(page.get_by_text(NOTE)).to_be_visible()
    note_url = page.url
    sign_out(page)

    # The director sees a count only, and opens the note by break-glass.
    sign_in(page, base, "director", demo)
    page.goto(note_url)
    expect(page.get_by_text(NOTE)).to_have_count(0)
    page.goto(case_url)
    case_tab(page, "Care")
    counselling = case_part(page, "Counselling")
    expect(counselling).to_contain_text("1 counselling session, last on")
    expect(page.get_by_text(NOTE)).to_have_count(0)
    counselling.get_by_text("Open a session note by break-glass").click()
    counselling.get_by_role("link", name=re.compile("^Session of")).click()
    page.get_by_label(label("Why do you need this record now?")).fill(
        "Client at risk tonight; need her safety plan now."
    )
    page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_text(NOTE)).to_be_visible()
    expect(page.get_by_text("through break-glass access")).to_be_visible()
    sign_out(page)

    sign_in(page, base, "counsellor", demo)
    expect(page.get_by_text("Records of yours opened by break-glass")).to_be_visible()
    expect(page.get_by_text("Client at risk tonight")).to_be_visible()
    sign_out(page)

    # The nurse records a consent and a visit with a treatment.
    sign_in(page, base, "nurse", demo)
    open_menu(page, "Medical records")
    page.get_by_label(label("Case number")).fill(number)
    page.get_by_role("button", name="Open the medical record").click()
    page.get_by_role("link", name="Record a visit").click()
    page.get_by_label(label("Reason for the visit")).fill("Cut hand")
    page.get_by_label(label("Findings")).fill(FINDINGS)
    page.get_by_label(label("Treatment given")).fill("Cleaned and dressed.")
    page.get_by_role("button", name="Record the visit").click()
    # The message stands next to the field (and in the summary of errors above the form).
    expect(
        page.get_by_text(
            "Record the survivor's consent to treatment before recording a treatment.", exact=True
        )
    ).to_be_visible()
    expect(page.get_by_label(label("Findings"))).to_have_value(FINDINGS)
    page.get_by_role("link", name=re.compile("^Back to the medical record")).click()
    page.get_by_role("link", name="Record a consent to treatment").click()
    page.get_by_label(label("Given by")).select_option(label="The survivor")
    page.get_by_label(label("Treatment consented to")).fill("Examination and first aid")
    page.get_by_role("button", name="Record the consent").click()
    expect_message(page, "Consent to treatment recorded.")
    page.get_by_role("link", name="Record a visit").click()
    page.get_by_label(label("Reason for the visit")).fill("Cut hand")
    page.get_by_label(label("Findings")).fill(FINDINGS)
    page.get_by_label(label("Treatment given")).fill("Cleaned and dressed.")
    page.get_by_role("button", name="Record the visit").click()
    expect_message(page, "Visit recorded.")
    expect(page.get_by_text(FINDINGS)).to_be_visible()
    sign_out(page)

    # The case manager sees the date only.
    sign_in(page, base, "caseworker", demo)
    page.goto(case_url)
    case_tab(page, "Care")
    expect(case_part(page, "Medical care")).to_contain_text("Seen by the medical team on")
    expect(page.get_by_text(FINDINGS)).to_have_count(0)
