"""Service-level targets: time left or overdue on the queue and the report page, the periodic
check that tells the hotline supervisors once per breach, and the home-page panel."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from tests.testapp.helpers import sign_in
from tests.tips.builders import make_report
from tumaini.accounts.enums import Role
from tumaini.cases.models import Notification
from tumaini.tips import sla
from tumaini.tips.enums import ReportStatus, Urgency, VictimAges
from tumaini.tips.models import Report
from tumaini.tips.services import alerts, report_take

pytestmark = pytest.mark.django_db

QUEUE = "/staff/reports/"
HOME = "/staff/"


def _received(minutes_ago: float, **fields):
    return make_report(received_at=timezone.now() - timedelta(minutes=minutes_ago), **fields)


def test_sla_targets_are_one_table_for_every_urgency():
    assert {
        Urgency.CRITICAL: timedelta(minutes=15),
        Urgency.HIGH: timedelta(hours=1),
        Urgency.NORMAL: timedelta(hours=8),
        Urgency.LOW: timedelta(days=3),
    } == sla.TRIAGE_TARGETS
    assert set(sla.ESCALATION_TARGETS) == {Urgency.CRITICAL}


def test_sla_deadline_moves_from_triage_to_escalation_for_critical_reports(desk):
    report = make_report(danger_now=True)
    start = report.received_at
    deadline = sla.deadline_for(report, now=start + timedelta(minutes=10))
    assert (deadline.kind, deadline.overdue, deadline.minutes) == (sla.TRIAGE, False, 5)
    late = sla.deadline_for(report, now=start + timedelta(minutes=40))
    assert (late.kind, late.overdue, late.minutes) == (sla.TRIAGE, True, 25)
    report.triaged_at = start + timedelta(minutes=5)
    escalation = sla.deadline_for(report, now=start + timedelta(minutes=50))
    assert (escalation.kind, escalation.overdue, escalation.minutes) == (sla.ESCALATION, False, 10)
    report.escalated_at = start + timedelta(minutes=55)
    assert sla.deadline_for(report, now=start + timedelta(hours=2)) is None


def test_sla_deadline_none_once_a_normal_report_is_triaged_or_closed(desk):
    report = make_report()
    assert sla.deadline_for(report, now=report.received_at).kind == sla.TRIAGE
    report.triaged_at = report.received_at
    assert sla.deadline_for(report, now=report.received_at + timedelta(days=9)) is None
    other = make_report()
    other.status = ReportStatus.CLOSED
    assert sla.deadline_for(other, now=other.received_at + timedelta(days=9)) is None


def _row(page: str, report) -> str:
    start = page.index(report.display_reference)
    return page[start : page.index("</tr>", start)]


def test_queue_shows_time_left_and_overdue(client, desk):
    overdue = _received(30, danger_now=True)  # critical, 15 min target: 15 min late
    fresh = _received(60, victim_ages=VictimAges.CHILD)  # high, 1 h target: about 0 left
    normal = _received(60)  # normal, 8 h target: about 7 h left
    page = sign_in(client, desk.hotline).get(QUEUE).content.decode()
    assert re.search(r"Triage overdue by 1[45] min", _row(page, overdue))
    assert re.search(r"Triage due in (6 h 59|7 h 0) min", _row(page, normal))
    assert re.search(r"Triage (due in|overdue by) [01] min", _row(page, fresh))


def test_report_page_shows_escalation_target_after_triage(client, desk):
    report = _received(20, danger_now=True)
    report_take(actor=desk.hotline, report=report, expected_version=1)
    page = sign_in(client, desk.hotline).get(f"{QUEUE}{report.public_id}/").content.decode()
    assert 'id="report-sla"' in page
    assert "Escalation due in 3" in page  # 60 - 20 minutes, about 40 left


def test_sla_alerts_notify_supervisors_once_per_breach(desk):
    other_supervisor = UserFactory(organisation=desk.centre, roles=[Role.HOTLINE_SUPERVISOR])
    report = make_report(danger_now=True)
    start = report.received_at
    assert alerts.report_sla_alerts(now=start + timedelta(minutes=10)) == 0
    assert not Notification.objects.exists()

    assert alerts.report_sla_alerts(now=start + timedelta(minutes=20)) == 1
    notes = Notification.objects.filter(case__isnull=True)
    assert set(notes.values_list("recipient", flat=True)) == {
        desk.supervisor.pk,
        other_supervisor.pk,
    }
    message = notes.first().message
    assert report.display_reference in message and "triage" in message
    assert "Three girls" not in message  # never what the report says
    # Hotline agents and directors are not alerted.
    assert not Notification.objects.filter(recipient__in=[desk.hotline, desk.director]).exists()

    # The same breach again: nothing new.
    assert alerts.report_sla_alerts(now=start + timedelta(minutes=30)) == 0
    assert Notification.objects.count() == 2

    # Triaged late, then the escalation target passes: a second, different breach.
    Report.objects.filter(pk=report.pk).update(
        triaged_at=start + timedelta(minutes=31), status=ReportStatus.TRIAGING
    )
    assert alerts.report_sla_alerts(now=start + timedelta(minutes=61)) == 1
    assert Notification.objects.filter(message__contains="escalation").count() == 2
    assert alerts.report_sla_alerts(now=start + timedelta(minutes=90)) == 0


def test_sla_alerts_skip_reports_triaged_or_closed_in_time(desk):
    triaged = make_report(danger_now=True)
    report_take(actor=desk.hotline, report=triaged, expected_version=1)
    Report.objects.filter(pk=triaged.pk).update(escalated_at=timezone.now())
    closed = make_report()
    Report.objects.filter(pk=closed.pk).update(status=ReportStatus.CLOSED)
    assert alerts.report_sla_alerts(now=timezone.now() + timedelta(days=5)) == 0
    assert not Notification.objects.exists()


def test_sla_alert_task_is_a_periodic_job():
    from tumaini.core.schedule import JOBS

    job = JOBS["report_sla_alerts"]
    assert job.task_path == "tumaini.tips.tasks.report_sla_alerts"
    assert job.interval <= timedelta(minutes=5)


def test_home_panel_lists_overdue_reports_for_hotline_staff(client, desk):
    overdue = _received(20, danger_now=True)
    on_time = _received(5, danger_now=True)
    for persona in ("hotline", "supervisor"):
        page = sign_in(client, getattr(desk, persona)).get(HOME).content.decode()
        panel = page[page.index('id="reports-overdue-title"') :]
        panel = panel[: panel.index("</section>")]
        assert overdue.display_reference in panel
        assert on_time.display_reference not in panel
        assert "1 report is past its target." in panel
        client.logout()
    for persona in ("director", "case_manager", "admin", "police"):
        page = sign_in(client, getattr(desk, persona)).get(HOME).content.decode()
        assert "reports-overdue-title" not in page
        assert overdue.display_reference not in page
        client.logout()


def test_home_panel_queries_do_not_grow_with_overdue_reports(client, desk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _received(30, danger_now=True)
    sign_in(client, desk.hotline)
    with CaptureQueriesContext(connection) as one:
        client.get(HOME)
    for _ in range(3):
        _received(30, danger_now=True)
    with CaptureQueriesContext(connection) as three:
        page = client.get(HOME).content.decode()
    assert "4 reports are past their target." in page
    assert len(three) == len(one)
