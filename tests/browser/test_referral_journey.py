"""Closed-loop referrals walked in Chromium: a case manager refers a survivor to the demo hospital
sharing two fields; the hospital's partner user sees only those, accepts and reports the outcome,
which the case then shows. And a partner without an account answers through a one-time link, which
stops working once used, or once expired."""

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
from tumaini.accounts.models import Organisation, Team, User
from tumaini.cases.enums import ConsentGiver, ConsentPurpose
from tumaini.cases.services.consent import consent_record
from tumaini.cases.services.intake import case_open_from_intake
from tumaini.core.demo import CENTRE, HOSPITAL, TEAM_1
from tumaini.people.enums import Gender
from tumaini.referrals.enums import ReferralUrgency, SharedField
from tumaini.referrals.models import ReferralLink
from tumaini.referrals.services import link_issue, referral_create, referral_send

pytestmark = pytest.mark.browser

SERVICE = "Post-rape care and medical examination"
REFERENCE = re.compile(r"REF-[0-9A-F]{8}")


@pytest.fixture
def demo(settings, db):
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=StringIO())
    return settings.TUMAINI_DEMO_PASSWORD


@pytest.fixture
def consented_case(demo):
    """Zawadi Mutiso, 24, consented to a referral to the demo hospital."""
    caseworker = User.objects.get(username="caseworker")
    case = case_open_from_intake(
        actor=caseworker,
        identity={
            "given_name": "Zawadi",
            "family_name": "Mutiso",
            "gender": Gender.FEMININE,
            "date_of_birth": date(timezone.localdate().year - 24, 1, 10),
        },
        intake={"intake_date": timezone.localdate(), "source": "walk_in"},
        team=Team.objects.get(organisation__name=CENTRE, name=TEAM_1),
        case_manager=caseworker,
    )
    consent_record(
        actor=caseworker,
        case=case,
        purpose=ConsentPurpose.REFERRAL,
        recipient=Organisation.objects.get(name=HOSPITAL),
        given_by=ConsentGiver.SELF,
        given_on=timezone.localdate(),
    )
    return case


def test_partner_with_an_account_answers_a_referral_and_the_case_shows_the_outcome(
    page, live_server, demo, consented_case, artifacts
):
    base = live_server.url
    case_url = base + consented_case.get_absolute_url()

    # --- The case manager refers, sharing the first name and the age only --------------------
    sign_in(page, base, "caseworker", demo)
    page.goto(case_url)
    case_tab(page, "Referrals & justice")
    case_part(page, "Referrals").get_by_role("link", name="Refer to a partner").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("to a partner")
    page.get_by_label(label("Partner service")).select_option(label=f"{HOSPITAL} — {SERVICE}")
    page.get_by_label(label("Urgency")).select_option(label="Urgent")
    page.get_by_label(label("Reason for the referral")).fill(
        "Medical examination and PEP after an assault two days ago."
    )
    choose(page, "Information shared with the partner", "First name")
    choose(page, "Information shared with the partner", "Age")
    page.get_by_role("button", name="Save the referral").click()
    expect_message(page, "Referral saved as a draft.")
    expect(page.locator("main")).to_contain_text("First name, Age")
    page.get_by_role("button", name="Send to the partner").click()
    expect_message(page, "Referral sent.")
    expect(page.locator(".referral-status")).to_have_text("Sent")
    reference = REFERENCE.search(page.get_by_role("heading", level=1).inner_text()).group(0)
    sign_out(page)

    # --- The hospital's partner user sees only what was shared --------------------------------
    sign_in(page, base, "partner", demo)
    open_menu(page, "Referrals received")
    page.get_by_role("link", name=reference).click()
    shared = page.locator(".shared-fields")
    expect(shared).to_contain_text("Medical examination and PEP after an assault")
    expect(shared).to_contain_text("Zawadi")
    expect(shared).to_contain_text("24")
    expect(page.locator("main")).not_to_contain_text("Mutiso")
    expect(page.locator("main")).not_to_contain_text("Sex / gender")
    expect(page.locator("main")).not_to_contain_text(consented_case.case_number)
    page.get_by_role("button", name="Accept the referral").click()
    expect_message(page, "Accepted: the centre has been told.")
    page.get_by_label(label("Outcome")).fill("Examined; PEP started; review in 7 days.")
    page.get_by_role("button", name="Report the outcome").click()
    expect_message(page, "Outcome reported: the referral is completed.")
    expect(page.locator(".referral-status")).to_have_text("Completed")
    sign_out(page)

    # --- The case shows the outcome ------------------------------------------------------------
    sign_in(page, base, "caseworker", demo)
    page.goto(case_url)
    case_tab(page, "Referrals & justice")
    row = case_part(page, "Referrals").get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Completed")
    expect(row).to_contain_text("Acknowledged in time")
    expect(row).to_contain_text("Examined; PEP started; review in 7 days.")
    page.screenshot(path=artifacts / "referral-journey.png", full_page=True)


def test_partner_without_an_account_uses_a_one_time_link(
    page, live_server, demo, consented_case, artifacts
):
    base = live_server.url
    caseworker = User.objects.get(username="caseworker")
    service = Organisation.objects.get(name=HOSPITAL).partner_services.get(name=SERVICE)
    referral = referral_send(
        actor=caseworker,
        referral=referral_create(
            actor=caseworker,
            case=consented_case,
            service=service,
            reason="Counselling and a check-up.",
            urgency=ReferralUrgency.ROUTINE,
            shared_fields=[SharedField.FIRST_NAME],
        ),
    )

    # --- The case manager makes a link and is shown it once ------------------------------------
    sign_in(page, base, "caseworker", demo)
    page.goto(base + f"/staff/referrals/{referral.public_id}/")
    page.get_by_role("button", name="Make a one-time link").click()
    expect(page.locator("main")).to_contain_text("it is shown only this once")
    link_url = page.locator(".referral-link-url").inner_text().strip()
    assert re.fullmatch(re.escape(base) + r"/r/[A-Za-z0-9_-]{43,}/", link_url)
    sign_out(page)

    # --- The partner opens it, acknowledges, accepts: the link is used up -----------------------
    page.goto(link_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Referral {referral.reference}")
    expect(page.locator(".shared-fields")).to_contain_text("Zawadi")
    expect(page.locator("main")).not_to_contain_text("Mutiso")
    page.get_by_role("button", name="Acknowledge receipt").click()
    expect_message(page, "Acknowledged: the centre knows you have the referral.")
    expect(page.locator(".referral-status")).to_have_text("Acknowledged")
    page.get_by_role("button", name="Accept the referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    expect(page.locator("main")).to_contain_text("This link has now been used")
    page.goto(link_url)
    expect(page.get_by_role("heading", name="This link cannot be used")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Zawadi")
    referral.refresh_from_db()
    assert referral.status == "accepted"

    # --- A second link fails once it has expired ----------------------------------------------
    issued = link_issue(
        actor=caseworker, referral=referral, url_for=lambda token: f"{base}/r/{token}/"
    )
    ReferralLink.objects.filter(pk=issued.link.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    page.goto(f"{base}/r/{issued.token}/")
    expect(page.get_by_role("heading", name="This link cannot be used")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Kiungo hiki hakiwezi kutumika")
    expect(page.locator("main")).not_to_contain_text("Zawadi")
    page.screenshot(path=artifacts / "referral-link-expired.png", full_page=True)
