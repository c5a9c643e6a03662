"""Care delivery in Chromium: a case worker finds today's appointments, books one (a time that has
passed is refused beside the field), and records a service for a goal of the care plan."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.journey_steps import expect_message, label, open_menu, sign_in
from tumaini.accounts.models import User
from tumaini.care.models import Appointment, ServiceDelivery
from tumaini.cases.enums import CarePlanStatus, CaseStage
from tumaini.cases.models import Case

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(settings, db):
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=StringIO())
    return settings.TUMAINI_DEMO_PASSWORD


def test_case_worker_books_an_appointment_and_records_a_service(page, live_server, demo):
    caseworker = User.objects.get(username="caseworker")
    case = (
        Case.objects.filter(
            assigned_to=caseworker,
            stage=CaseStage.ASSISTANCE,
            care_plans__status=CarePlanStatus.APPROVED,
        )
        .order_by("case_number")
        .first()
    )
    sign_in(page, live_server.url, "caseworker", demo)
    expect(page.get_by_role("region", name="My appointments today")).to_be_visible()

    open_menu(page, "Calendar")
    expect(page.get_by_role("heading", name="My calendar")).to_be_visible()

    page.goto(f"{live_server.url}/staff/care/cases/{case.public_id}/appointments/new/")
    past = timezone.localtime(timezone.now() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label(label("Starts at")).fill(past)
    page.get_by_label(label("Notes")).fill("Bring the letter")
    page.get_by_role("button", name="Book the appointment").click()
    expect(page.locator(".field-error")).to_contain_text("This time has passed")
    expect(page.get_by_label(label("Notes"))).to_have_value("Bring the letter")

    coming = timezone.localtime(timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label(label("Starts at")).fill(coming)
    page.get_by_role("button", name="Book the appointment").click()
    expect_message(page, "Appointment booked.")
    assert "Bring the letter" in [a.notes for a in Appointment.objects.filter(case=case)]

    page.goto(f"{live_server.url}/staff/care/cases/{case.public_id}/services/new/")
    page.get_by_label(label("Service")).select_option(index=1)
    page.get_by_label(label("Care-plan goal it serves")).select_option(index=1)
    page.get_by_label(label("Cost (KES)")).fill("750")
    page.get_by_role("button", name="Record the service").click()
    expect_message(page, "Service recorded.")
    assert ServiceDelivery.objects.filter(case=case, cost_kes=750, goal__isnull=False).exists()
