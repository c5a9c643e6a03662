"""The dashboard's public-report figures: reports by channel during each awareness campaign against
the same length of time just before it, time to triage and escalation, triage within the target,
and the share that led to a case. Expected numbers are worked out here from the fixture's plan, not
with the dashboard's functions; the analyst sees small cells suppressed."""

import math
import re
import statistics
from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.cases.builders_casefile import make_case
from tests.core.test_csp import assert_no_inline_code
from tests.factories import UserFactory
from tests.testapp.helpers import sign_in
from tumaini.accounts.enums import Role
from tumaini.tips.models import Campaign, Report
from tumaini.tips.services import report_receive

pytestmark = pytest.mark.django_db

URL = "/staff/insights/"
MARCH = "?date_from=2026-03-01&date_to=2026-03-31"
CAMPAIGN_START, CAMPAIGN_END = date(2026, 3, 9), date(2026, 3, 22)  # 14 days
# The triage targets of tips/sla.py, in minutes, written out again here.
TARGET_MINUTES = {"critical": 15, "high": 60, "normal": 8 * 60, "low": 3 * 24 * 60}


@pytest.fixture
def reference(db):
    call_command("load_reference_data", stdout=StringIO())


@pytest.fixture
def analyst(personas):
    return UserFactory(username="analyst", organisation=personas.org_a, roles=[Role.COUNTY_ANALYST])


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _plan(personas):
    """(day, channel, organisation, urgency, minutes to triage, minutes to escalation, led to a
    case?). Organisation B's reports count only for the county-wide analyst."""
    a, b = personas.org_a, personas.org_b
    rows = []
    # Before the campaign (23 Feb to 8 Mar): 3 SMS, 1 USSD, 5 web; some in February, outside
    # the period filter but inside the comparison.
    before = [date(2026, 2, 24), date(2026, 3, 2), date(2026, 3, 7)]
    rows += [(before[i], "sms", a, "normal", 30 + 60 * i, None, False) for i in range(3)]
    rows += [(date(2026, 3, 4), "ussd", a, "high", 50, None, False)]
    rows += [
        (date(2026, 2, 23) + timedelta(days=3 * i), "web", a, "low", 600 * (i + 1), None, i == 0)
        for i in range(5)
    ]
    # During it: 8 SMS (two critical, escalated), 6 USSD, 2 web; one untriaged.
    rows += [
        (
            CAMPAIGN_START + timedelta(days=i),
            "sms",
            a,
            "critical" if i < 2 else "normal",
            10 + 5 * i,
            40 + 20 * i if i < 2 else None,
            i % 3 == 0,
        )
        for i in range(8)
    ]
    rows += [
        (
            CAMPAIGN_START + timedelta(days=2 * i),
            "ussd",
            a,
            "normal",
            120 * i if i else None,
            None,
            i == 1,
        )
        for i in range(6)
    ]
    rows += [(CAMPAIGN_END, "web", a, "high", 90, None, False) for _ in range(2)]
    # After it, still in March; and one before the comparison starts.
    rows += [(date(2026, 3, 25), "web", a, "normal", 20, None, False)]
    rows += [(date(2026, 2, 10), "sms", a, "normal", 20, None, False)]
    # Organisation B, during the campaign.
    rows += [(CAMPAIGN_START + timedelta(days=1), "sms", b, "normal", 25, None, False)] * 2
    return rows


@pytest.fixture
def timeline(personas, reference):
    case = make_case(organisation=personas.org_a, assigned_to=personas.owner)
    plan = _plan(personas)
    for day, channel, organisation, urgency, triage, escalation, linked in plan:
        received = _at(day)
        report = report_receive(
            channel=channel,
            what_happened="Girls kept in a house near the market",
            organisation=organisation,
            received_at=received,
        )
        Report.objects.filter(pk=report.pk).update(
            urgency=urgency,
            triaged_at=received + timedelta(minutes=triage) if triage is not None else None,
            escalated_at=received + timedelta(minutes=escalation) if escalation else None,
            linked_case=case if linked else None,
        )
    Campaign.objects.create(
        organisation=personas.org_a,
        name="Safe jobs fortnight",
        starts_on=CAMPAIGN_START,
        ends_on=CAMPAIGN_END,
        channels=["sms", "ussd"],
    )
    # Outside the March filter: not shown then.
    Campaign.objects.create(
        organisation=personas.org_a,
        name="New year radio",
        starts_on=date(2026, 1, 5),
        ends_on=date(2026, 1, 11),
    )
    Campaign.objects.create(
        organisation=personas.org_b,
        name="Other NGO posters",
        starts_on=date(2026, 3, 16),
        ends_on=date(2026, 3, 19),
    )
    return plan


def _section(body: str) -> str:
    start = body.index('id="public-reports"')
    return body[start : body.index("</section>", start)]


def _campaign(body: str, name: str) -> str:
    section = _section(body)
    start = section.index(f"<h4>{name}</h4>")
    return section[start : section.index("</table>", start)]


def _rows(html: str) -> dict[str, list[str]]:
    return {
        label.replace(" *", ""): re.findall(r"<td>([^<]*)</td>", cells)
        for label, cells in re.findall(r'<th scope="row">([^<]*)</th>(.*?)</tr>', html, re.S)
    }


def _in(row, start: date, end: date, organisations) -> bool:
    return start <= row[0] <= end and row[2] in organisations


def _nearest_rank(values, share):
    ordered = sorted(values)
    return ordered[math.ceil(share * len(ordered)) - 1]


def _table(section: str, css_class: str) -> str:
    start = section.index(f'class="data-table {css_class}"')
    return section[start : section.index("</table>", start)]


def _one_decimal(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _hours(minutes: float) -> str:
    # As the page's floatformat:"-2": two decimals, none for a whole number.
    hours = round(minutes / 60, 2)
    return str(int(hours)) if hours == int(hours) else f"{hours:.2f}"


def test_campaign_compares_reports_per_week_during_and_before(client, personas, timeline):
    body = sign_in(client, personas.director).get(URL + MARCH).content.decode()
    assert_no_inline_code(body)
    section = _section(body)
    assert "Safe jobs fortnight" in section
    assert "New year radio" not in section  # does not overlap March
    assert "Other NGO posters" not in section  # another organisation's
    assert "From 2026-03-09 to 2026-03-22 (14 days), compared with 2026-02-23 to 2026-03-08" in (
        section
    )
    assert "Channels promoted: SMS, USSD." in section
    assert '<svg class="chart paired-bar-chart"' in section

    days = 14
    before_from = CAMPAIGN_START - timedelta(days=days)
    before_to = CAMPAIGN_START - timedelta(days=1)
    mine = {personas.org_a}
    rows = _rows(_campaign(body, "Safe jobs fortnight"))
    labels = {"sms": "SMS", "ussd": "USSD", "web": "Web form"}
    for channel, label in labels.items():
        before = sum(
            1 for r in timeline if r[1] == channel and _in(r, before_from, before_to, mine)
        )
        during = sum(
            1 for r in timeline if r[1] == channel and _in(r, CAMPAIGN_START, CAMPAIGN_END, mine)
        )
        change = f"{round(100 * (during - before) / before, 1):+g} %"
        assert rows[label] == [
            str(before),
            f"{7 * before / days:g}",
            str(during),
            f"{7 * during / days:g}",
            change,
        ], label
    assert rows["All channels"][0] == "9" and rows["All channels"][2] == "16"
    assert set(rows) == {*labels.values(), "All channels"}


def test_triage_escalation_and_cases_of_the_period(client, personas, timeline):
    body = sign_in(client, personas.director).get(URL + MARCH).content.decode()
    section = _section(body)
    march = [r for r in timeline if _in(r, date(2026, 3, 1), date(2026, 3, 31), {personas.org_a})]

    triage = [r[4] for r in march if r[4] is not None]
    times = _rows(_table(section, "report-times"))
    assert times["Triage"] == [
        str(len(triage)),
        _hours(statistics.median(triage)),
        _hours(_nearest_rank(triage, 0.9)),
    ]
    escalation = [r[5] for r in march if r[5]]
    assert times["Escalation to law enforcement (escalated reports)"] == [
        str(len(escalation)),
        _hours(statistics.median(escalation)),
        _hours(_nearest_rank(escalation, 0.9)),
    ]

    # Every untriaged report of March is long past its target today.
    within = sum(1 for r in march if r[4] is not None and r[4] <= TARGET_MINUTES[r[3]])
    late = len(march) - within
    target = _rows(_table(section, "triage-target"))
    assert target["Triaged within the target"] == [str(within)]
    assert target["Late, or still waiting past the target"] == [str(late)]
    share = round(100 * within / len(march), 1)
    assert f"{share:g} % of the reports whose target has passed were triaged within it." in section

    linked = sum(1 for r in march if r[6])
    cases = _rows(_table(section, "led-to-case"))
    assert cases == {"Led to a case": [str(linked)], "No case": [str(len(march) - linked)]}
    share = round(100 * linked / len(march), 1)
    assert f"{share:g} % of the reports in this period led to a case." in section


def test_sub_county_filter_applies_to_the_public_report_figures(client, personas, timeline):
    from tumaini.core.models import SubCounty

    kibra = SubCounty.objects.get(code=278)
    Report.objects.filter(channel="ussd").update(sub_county=kibra)
    body = sign_in(client, personas.director).get(URL + MARCH + "&sub_county=278")
    rows = _rows(_campaign(body.content.decode(), "Safe jobs fortnight"))
    # Only USSD reports are in Kibra: 1 before, 6 during.
    assert rows["USSD"][0] == "1" and rows["USSD"][2] == "6"
    assert rows["SMS"][0] == "0" and rows["SMS"][2] == "0"  # promoted: shown even at zero
    assert "Web form" not in rows


def test_analyst_sees_small_campaign_and_time_cells_suppressed(client, analyst, timeline):
    body = sign_in(client, analyst).get(URL + MARCH).content.decode()
    section = _section(body)
    # County-wide: organisation B's campaign is shown too.
    assert "Other NGO posters" in section
    rows = _rows(_campaign(body, "Safe jobs fortnight"))
    # Before: SMS 3 and USSD 1 are small; web 5 is not. During: SMS 8 + 2 of organisation B,
    # USSD 6, web 2 -- web is small and alone, so the next smallest (USSD) is hidden with it.
    assert rows["SMS"][:4] == ["&lt;5", "—", "10", "5"]
    assert rows["USSD"][:4] == ["&lt;5", "—", "&lt;5", "—"]
    assert rows["Web form"][:4] == ["5", "2.5", "&lt;5", "—"]
    assert rows["All channels"] == ["&lt;5", "—", "&lt;5", "—", "—"]
    # Escalations: two reports, fewer than the threshold -- no median or percentile either.
    times = _rows(_table(section, "report-times"))
    assert times["Escalation to law enforcement (escalated reports)"] == ["&lt;5"] * 3
    assert times["Triage"][0] != "&lt;5"
    cases = _rows(_table(section, "led-to-case"))
    # 4 of organisation A's March reports led to a case: small, so both cells go.
    assert cases == {"Led to a case": ["&lt;5"], "No case": ["&lt;5"]}
    assert "led to a case." not in section.replace("Reports that led to a case", "")
    assert "Record or edit awareness campaigns" not in section  # the analyst records none


def test_a_running_campaign_is_counted_to_today(client, personas, reference):
    today = timezone.localdate()
    Campaign.objects.create(
        organisation=personas.org_a,
        name="Now",
        starts_on=today - timedelta(days=6),
        ends_on=today + timedelta(days=20),
        channels=["web"],
    )
    for days_ago in (1, 3, 8):
        report_receive(
            channel="web",
            what_happened="A man takes passports at the stage",
            organisation=personas.org_a,
            received_at=timezone.now() - timedelta(days=days_ago),
        )
    body = sign_in(client, personas.director).get(URL).content.decode()
    section = _section(body)
    assert "(7 days)" in section and "Still running until" in section
    assert _rows(_campaign(body, "Now"))["Web form"][:4] == ["1", "1", "2", "2"]
    assert "Record or edit awareness campaigns" in section


def test_public_report_figures_queries_do_not_grow(client, personas, reference):
    sign_in(client, personas.director)
    Campaign.objects.create(
        organisation=personas.org_a,
        name="One",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 3, 14),
    )

    def add_reports(n):
        for i in range(n):
            report = report_receive(
                channel="sms",
                what_happened="Boys selling sweets at midnight",
                organisation=personas.org_a,
                received_at=_at(date(2026, 3, 2 + i)),
            )
            Report.objects.filter(pk=report.pk).update(
                triaged_at=report.received_at + timedelta(minutes=5),
                escalated_at=report.received_at + timedelta(minutes=9),
            )

    add_reports(1)
    client.get(URL)
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    add_reports(6)
    Campaign.objects.create(
        organisation=personas.org_a,
        name="Two",
        starts_on=date(2026, 2, 1),
        ends_on=date(2026, 2, 5),
    )
    with CaptureQueriesContext(connection) as many:
        body = client.get(URL).content.decode()
    assert "<h4>Two</h4>" in body
    assert len(many) == len(one)


def test_public_report_figures_in_kiswahili(client, personas, timeline):
    sign_in(client, personas.director)
    client.post("/i18n/setlang/", {"language": "sw", "next": "/staff/"})
    section = _section(client.get(URL + MARCH).content.decode())
    assert "Ripoti kutoka kwa umma: kampeni, uchambuzi na kesi" in section
    assert "Zilizosababisha kesi" in section
