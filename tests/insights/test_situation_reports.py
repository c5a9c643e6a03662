"""Situation reports: a director asks for a month or a quarter, the real worker prepares the PDF and
the workbook, progress shows while it runs, and the files name the period and hold its figures."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.cases.test_summary_pdf import pdf_text
from tests.core.test_tasks import run_worker
from tests.factories import UserFactory
from tests.insights.builders import survivor
from tests.testapp.helpers import sign_in
from tumaini.accounts.enums import Role
from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditEvent
from tumaini.insights.enums import ReportStatus
from tumaini.insights.models import SituationReport
from tumaini.insights.reports import period_bounds

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/staff/insights/reports/"


@pytest.fixture
def february(personas):
    for i in range(3):
        survivor(personas, given_name=f"Feb{i}", opened=date(2026, 2, 10 + i))
    survivor(personas, given_name="March", opened=date(2026, 3, 5))


def test_period_bounds_are_the_month_or_the_calendar_quarter():
    assert period_bounds("monthly", date(2026, 2, 17)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert period_bounds("quarterly", date(2026, 5, 3)) == (date(2026, 4, 1), date(2026, 6, 30))
    assert period_bounds("quarterly", date(2024, 12, 31)) == (date(2024, 10, 1), date(2024, 12, 31))


def test_monthly_report_is_prepared_in_the_background_and_downloaded(client, personas, february):
    sign_in(client, personas.director)
    response = client.post(URL, {"period": "monthly", "month": "2026-02"})
    assert response.status_code == 302
    report = SituationReport.objects.get()
    assert report.status == ReportStatus.QUEUED
    page = client.get(URL).content.decode()
    assert "Waiting to start" in page and 'hx-trigger="every 2s"' in page
    # The htmx poll gets only the list back.
    fragment = client.get(URL, headers={"HX-Request": "true"}).content.decode()
    assert fragment.strip().startswith('<section id="report-list"') and "<form" not in fragment

    run_worker()

    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.progress == 100
    page = client.get(URL).content.decode()
    assert "every 2s" not in page
    pdf = client.get(f"{URL}{report.public_id}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert 'filename="tumaini-monthly-2026-02.pdf"' in pdf["Content-Disposition"]
    text = pdf_text(pdf.content)
    assert "Situation report: February 2026" in text
    assert "2026-02-01 – 2026-02-28" in text
    assert "Survivors identified 3" in text  # the March survivor is not in February
    workbook = load_workbook(io.BytesIO(client.get(f"{URL}{report.public_id}/xlsx/").content))
    summary = workbook["Summary"]
    assert summary["B1"].value == "February 2026"
    assert summary["A6"].value == "Survivors identified" and summary["B6"].value == 3
    assert workbook["exploitation"]["A2"].value == "Sexual exploitation"
    assert workbook["exploitation"]["B2"].value == 3
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.EXPORT, object_id=str(report.public_id)
        ).count()
        == 2
    )


def test_a_future_period_is_refused_next_to_the_field(client, personas):
    sign_in(client, personas.director)
    response = client.post(URL, {"period": "quarterly", "month": "2099-01"})
    assert response.status_code == 400
    assert "That period has not started yet." in response.content.decode()
    assert not SituationReport.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("director", 200), ("owner", 404), ("admin_user", 404), (Role.COUNTY_ANALYST, 404)],
)
def test_situation_reports_access_matrix(client, personas, persona, status):
    user = getattr(personas, persona, None) or UserFactory(
        username=f"u-{persona}", organisation=personas.org_a, roles=[persona]
    )
    assert sign_in(client, user).get(URL).status_code == status


def test_another_organisations_report_is_not_found(client, personas, february):
    sign_in(client, personas.director)
    client.post(URL, {"period": "monthly", "month": "2026-02"})
    run_worker()
    report = SituationReport.objects.get()
    sign_in(client, personas.outsider)
    assert report.public_id.hex not in client.get(URL).content.decode().replace("-", "")
    assert client.get(f"{URL}{report.public_id}/pdf/").status_code == 404


def test_report_holds_the_campaign_triage_and_case_figures(client, personas, february):
    """Feb 2026: a campaign from the 9th to the 15th (7 days) with 6 SMS during it and 2 the week
    before; the 8 reports were triaged 30 minutes to 4 hours after they came in, 2 led to a case."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from tests.cases.builders_casefile import make_case
    from tumaini.tips.models import Campaign, Report
    from tumaini.tips.services import report_receive

    case = make_case(organisation=personas.org_a, given_name="Linked")
    plan = [(date(2026, 2, 9 + i), 30 * (i + 1), i < 2) for i in range(6)]
    plan += [(date(2026, 2, 3), 240, False), (date(2026, 2, 5), 60, False)]
    for day, minutes, linked in plan:
        received = timezone.make_aware(datetime.combine(day, time(9)))
        report = report_receive(
            channel="sms",
            what_happened="Girls kept in a house near the market",
            organisation=personas.org_a,
            received_at=received,
        )
        Report.objects.filter(pk=report.pk).update(
            triaged_at=received + timedelta(minutes=minutes), linked_case=case if linked else None
        )
    Campaign.objects.create(
        organisation=personas.org_a,
        name="Short code week",
        starts_on=date(2026, 2, 9),
        ends_on=date(2026, 2, 15),
        channels=["sms"],
    )
    sign_in(client, personas.director)
    client.post(URL, {"period": "monthly", "month": "2026-02"})
    run_worker()
    report = SituationReport.objects.get()
    assert report.status == ReportStatus.READY

    text = pdf_text(client.get(f"{URL}{report.public_id}/pdf/").content)
    assert "Public reports: campaigns, triage and cases" in text
    assert "Short code week" in text
    # 6 during, 2 before; 7 days each, so per week equals the count.
    assert "SMS * 2 2 6 6 +200 %" in text
    # Triage minutes, sorted: 30 60 60 90 120 150 180 240. Median (90 + 120) / 2 = 105 minutes =
    # 1.75 h; the 90th percentile by nearest rank is the 8th, 240 minutes = 4 h.
    assert "Triage 8 1.75 4" in text
    assert "25 % of the reports in this period led to a case." in text

    workbook = load_workbook(io.BytesIO(client.get(f"{URL}{report.public_id}/xlsx/").content))
    times = workbook["report_times"]
    assert [c.value for c in times[2]] == ["Triage", 8, 1.75, 4]
    cases = {row[0].value: row[1].value for row in times.iter_rows(min_row=3) if row[0].value}
    assert cases["Led to a case"] == 2 and cases["No case"] == 6
    assert cases["Led to a case (%)"] == 25
    campaigns = [[c.value for c in row] for row in workbook["campaigns"].iter_rows(min_row=2)]
    assert campaigns[0] == [
        "Short code week",
        "2026-02-09",
        "2026-02-15",
        "2026-02-15",
        7,
        "SMS",
        "yes",
        2,
        2,
        6,
        6,
        200,
    ]
    assert campaigns[-1][5:] == ["All channels", None, 2, 2, 6, 6, 200]
