"""The figures page: counts by channel, sub-county and week, times to triage and escalation, share
that led to a case. Expected numbers are computed here from the fixtures, independently."""

import math
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.cases.builders_casefile import make_case
from tests.core.test_csp import assert_no_inline_code
from tests.testapp.helpers import sign_in
from tests.tips.builders import make_report
from tumaini.core.models import SubCounty
from tumaini.tips.enums import Channel
from tumaini.tips.models import Report

pytestmark = pytest.mark.django_db

URL = "/staff/reports/figures/"


def _local(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def period(desk):
    """Ten reports over three weeks ending on a fixed Sunday, and two outside the period."""
    end = date(2026, 3, 29)  # a Sunday
    start = date(2026, 3, 9)  # a Monday, three weeks before
    westlands = SubCounty.objects.create(code=9002, name="Westlands", county=desk.sub_county.county)
    case = make_case(organisation=desk.centre, assigned_to=desk.case_manager)
    # (day, channel, sub-county, minutes to triage or None, minutes to escalation or None, case?)
    plan = [
        (start, Channel.WEB, desk.sub_county, 10, 50, True),
        (start + timedelta(days=1), Channel.SMS, desk.sub_county, 30, None, False),
        (start + timedelta(days=2), Channel.SMS, westlands, 5, 120, False),
        (start + timedelta(days=7), Channel.USSD, None, 60, None, True),
        (start + timedelta(days=8), Channel.USSD, None, None, None, False),
        (start + timedelta(days=9), Channel.WEB, westlands, 240, None, False),
        (start + timedelta(days=15), Channel.VOICE, desk.sub_county, 20, 30, False),
        (start + timedelta(days=16), Channel.SMS, desk.sub_county, 45, None, False),
        (start + timedelta(days=17), Channel.WEB, desk.sub_county, 15, None, False),
        (end, Channel.USSD, westlands, 90, None, False),
    ]
    for day, channel, sub_county, triage, escalation, linked in plan:
        received = _local(day, 9)
        report = make_report(channel=channel, sub_county=sub_county, received_at=received)
        Report.objects.filter(pk=report.pk).update(
            triaged_at=received + timedelta(minutes=triage) if triage is not None else None,
            escalated_at=received + timedelta(minutes=escalation) if escalation else None,
            linked_case=case if linked else None,
        )
    for day in (start - timedelta(days=1), end + timedelta(days=1)):
        make_report(channel=Channel.HOTLINE, received_at=_local(day, 9))
    return {"start": start, "end": end, "plan": plan, "westlands": westlands}


def _expected_summary(values):
    ordered = sorted(values)
    n = len(ordered)
    median = (ordered[(n - 1) // 2] + ordered[n // 2]) / 2
    return median, ordered[math.ceil(0.9 * n) - 1]


def _table(page: str, table_id: str) -> str:
    start = page.index(f'id="{table_id}"')
    return page[start : page.index("</table>", start)]


def _cell_pairs(table: str) -> dict[str, str]:
    import re

    return dict(re.findall(r'<th scope="row">([^<]*)</th><td>([^<]*)</td>', table))


def test_figures_count_and_time_reports_of_the_period(client, desk, period):
    plan = period["plan"]
    query = f"?date_from={period['start']:%Y-%m-%d}&date_to={period['end']:%Y-%m-%d}"
    response = sign_in(client, desk.supervisor).get(URL + query)
    assert response.status_code == 200
    page = response.content.decode()
    assert_no_inline_code(page)
    assert "10 reports received from 2026-03-09 to 2026-03-29." in page

    channels = _cell_pairs(_table(page, "figures-channel"))
    expected = {}
    for _d, channel, *_rest in plan:
        label = str(Channel(channel).label)
        expected[label] = expected.get(label, 0) + 1
    assert {k: int(v) for k, v in channels.items()} == expected
    assert "Hotline call" not in channels

    places = _cell_pairs(_table(page, "figures-sub-county"))
    assert {k: int(v) for k, v in places.items()} == {
        desk.sub_county.name: sum(1 for p in plan if p[2] == desk.sub_county),
        "Westlands": sum(1 for p in plan if p[2] == period["westlands"]),
        "Not given": sum(1 for p in plan if p[2] is None),
    }

    weeks = _cell_pairs(_table(page, "figures-week"))
    assert weeks == {"2026-03-09": "3", "2026-03-16": "3", "2026-03-23": "4"}

    times = _table(page, "figures-times")
    triage = [p[3] for p in plan if p[3] is not None]
    median, p90 = _expected_summary(triage)
    assert f"<td>{len(triage)}</td><td>{median:.1f}</td><td>{p90:.1f}</td>" in times
    escalation = [p[4] for p in plan if p[4]]
    median, p90 = _expected_summary(escalation)
    assert f"<td>{len(escalation)}</td><td>{median:.1f}</td><td>{p90:.1f}</td>" in times

    linked = sum(1 for p in plan if p[5])
    assert f"{linked} reports led to a case ({100 * linked / len(plan):.1f} %)." in page


def test_figures_default_period_is_the_last_twelve_weeks(client, desk):
    make_report(received_at=timezone.now() - timedelta(days=3))
    make_report(received_at=timezone.now() - timedelta(weeks=20))
    page = sign_in(client, desk.director).get(URL).content.decode()
    assert "1 report received from" in page
    assert len(_cell_pairs(_table(page, "figures-week"))) == 12


def test_figures_period_end_before_start_is_explained(client, desk):
    response = sign_in(client, desk.director).get(URL + "?date_from=2026-03-10&date_to=2026-03-01")
    assert response.status_code == 400
    assert "The end of the period comes before its start." in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("supervisor", 200),
        ("director", 200),
        ("hotline", 404),
        ("case_manager", 404),
        ("police", 404),
        ("admin", 404),
    ],
)
def test_figures_access_matrix(client, desk, persona, status):
    make_report()
    response = sign_in(client, getattr(desk, persona)).get(URL)
    assert response.status_code == status
    assert ("1 report received from" in response.content.decode()) == (status == 200)


def test_figures_count_only_the_users_organisation(client, desk):
    from tests.factories import OrganisationFactory

    make_report(organisation=OrganisationFactory())
    page = sign_in(client, desk.director).get(URL).content.decode()
    assert "0 reports received from" in page


def test_figures_queries_do_not_grow_with_reports(client, desk):
    make_report()
    sign_in(client, desk.supervisor)
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for _ in range(5):
        make_report(channel=Channel.SMS)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(one)
