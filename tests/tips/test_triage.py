"""The staff side: the triage queue, a report's page, take/assign/status/escalate/close, who sees
what (access matrix, reporter contact), and the N+1 guard."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.core.test_csp import assert_no_inline_code
from tests.testapp.helpers import sign_in
from tests.tips.builders import make_report
from tumaini.core.models import AuditEvent
from tumaini.tips.enums import ReportStatus, VictimAges
from tumaini.tips.models import Report

pytestmark = pytest.mark.django_db

QUEUE = "/staff/reports/"


def _detail(report):
    return f"{QUEUE}{report.public_id}/"


@pytest.mark.parametrize(
    ("persona", "queue_status", "detail_status"),
    [
        ("hotline", 200, 200),
        ("supervisor", 200, 200),
        ("director", 200, 200),
        ("police", 200, 404),  # not escalated to them (yet)
        ("case_manager", 200, 200),  # to start an intake from a report or link it to a case
        ("admin", 404, 404),
    ],
)
def test_report_pages_access_matrix(client, desk, persona, queue_status, detail_status):
    report = make_report()
    sign_in(client, getattr(desk, persona))
    queue = client.get(QUEUE)
    assert queue.status_code == queue_status
    if queue_status == 200:
        assert (report.display_reference in queue.content.decode()) == (detail_status == 200)
    assert client.get(_detail(report)).status_code == detail_status


def test_report_pages_anonymous_go_to_login(client, desk):
    report = make_report()
    for url in (QUEUE, _detail(report)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_queue_orders_by_urgency_then_age_and_filters(client, desk):
    normal = make_report()
    child = make_report(victim_ages=VictimAges.CHILD)
    danger = make_report(danger_now=True)
    closed = make_report()
    Report.objects.filter(pk=closed.pk).update(status=ReportStatus.CLOSED)
    html = sign_in(client, desk.hotline).get(QUEUE).content.decode()
    positions = [html.index(r.display_reference) for r in (danger, child, normal)]
    assert positions == sorted(positions)
    assert closed.display_reference not in html
    filtered = client.get(QUEUE + "?urgency=high").content.decode()
    assert child.display_reference in filtered
    assert danger.display_reference not in filtered
    closed_only = client.get(QUEUE + "?status=closed").content.decode()
    assert closed.display_reference in closed_only
    assert normal.display_reference not in closed_only
    assert_no_inline_code(html)


def test_queue_queries_do_not_grow_with_reports(client, desk):
    for _ in range(3):
        make_report(sub_county=desk.sub_county)
    sign_in(client, desk.hotline)
    with CaptureQueriesContext(connection) as few:
        client.get(QUEUE)
    for _ in range(10):
        report = make_report(sub_county=desk.sub_county)
        Report.objects.filter(pk=report.pk).update(assigned_to=desk.hotline)
    with CaptureQueriesContext(connection) as many:
        client.get(QUEUE)
    assert len(many) == len(few)


def test_triage_flow_hotline_takes_and_escalates_police_sees_it(client, desk):
    report = make_report(reporter_contact="Mama Wanjiru 0722000111")
    sign_in(client, desk.hotline)
    page = client.get(_detail(report)).content.decode()
    assert "Three girls locked in a house" in page
    assert_no_inline_code(page)

    client.post(_detail(report) + "take/", {"version": 1})
    report.refresh_from_db()
    assert report.assigned_to == desk.hotline
    assert report.status == ReportStatus.TRIAGING
    assert report.triaged_at is not None

    response = client.post(
        _detail(report) + "escalate/",
        {
            "version": report.version,
            "unit": desk.police_unit.pk,
            "officer": "Inspector Otieno",
            "reference": "OB 12/03/2026",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ESCALATED
    assert report.escalated_to == desk.police_unit
    assert report.escalated_by == desk.hotline
    assert AuditEvent.objects.filter(object_id=str(report.public_id), action="share").exists()

    client.logout()
    sign_in(client, desk.police)
    queue = client.get(QUEUE).content.decode()
    assert report.display_reference in queue
    page = client.get(_detail(report)).content.decode()
    assert "Inspector Otieno" in page
    assert "OB 12/03/2026" in page
    assert "Wanjiru" not in page  # the reporter stays hidden from the police
    assert 'action="/staff/reports/' not in page  # no triage forms
    # The police may read it, not change it.
    assert (
        client.post(
            _detail(report) + "close/", {"version": report.version, "reason": "hoax"}
        ).status_code
        == 404
    )
    assert AuditEvent.objects.filter(
        object_id=str(report.public_id), action="view", actor_username="police"
    ).exists()

    client.logout()
    sign_in(client, desk.other_police)
    assert report.display_reference not in client.get(QUEUE).content.decode()
    assert client.get(_detail(report)).status_code == 404


def test_escalation_only_to_law_enforcement(client, desk):
    report = make_report()
    sign_in(client, desk.hotline)
    response = client.post(
        _detail(report) + "escalate/",
        {"version": 1, "unit": desk.centre.pk, "officer": "Someone"},
    )
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == ReportStatus.NEW


def test_stale_version_is_refused(client, desk):
    report = make_report()
    sign_in(client, desk.hotline)
    client.post(_detail(report) + "status/", {"version": 1, "status": "referred"})
    response = client.post(
        _detail(report) + "status/", {"version": 1, "status": "triaging"}, follow=True
    )
    assert "Someone else changed this record" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.REFERRED


def test_close_with_reason_sets_the_purge_date(client, desk):
    report = make_report()
    sign_in(client, desk.supervisor)
    client.post(_detail(report) + "close/", {"version": 1, "reason": "not_trafficking"})
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED
    assert report.closure_reason == "not_trafficking"
    assert (report.contact_purge_after - report.closed_at).days == 90


def test_assign_only_to_hotline_staff(client, desk):
    report = make_report()
    sign_in(client, desk.supervisor)
    client.post(_detail(report) + "assign/", {"version": 1, "assignee": desk.case_manager.pk})
    report.refresh_from_db()
    assert report.assigned_to is None
    client.post(_detail(report) + "assign/", {"version": 1, "assignee": desk.hotline.pk})
    report.refresh_from_db()
    assert report.assigned_to == desk.hotline


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("supervisor", True), ("hotline", False), ("director", False)],
)
def test_reporter_contact_only_for_hotline_supervisors(client, desk, persona, sees):
    report = make_report(reporter_contact="Mama Wanjiru", reporter_phone="0722 000111")
    html = sign_in(client, getattr(desk, persona)).get(_detail(report)).content.decode()
    assert ("Mama Wanjiru" in html) == sees
    assert ("+254722000111" in html) == sees
    if not sees:
        assert "shown to hotline supervisors only" in html
