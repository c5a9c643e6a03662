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
