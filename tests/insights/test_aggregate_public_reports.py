"""Public-report figures from the pre-computed counts: times to triage and escalation (medians and
90th percentiles from histograms of whole minutes), triage within its target, reports that led to a
case, and campaign windows, all equal to the live figures counted at the same moment, for several
filters and both kinds of viewer (suppression applied after summing). A report still waiting for
triage is judged at the refresh, the moment the page gives the figures as of."""

from datetime import date, datetime, time, timedelta
from unittest import mock

import pytest
from django.utils import timezone

from tests.cases.builders_casefile import make_case
from tests.insights.conftest import EMBAKASI_EAST, KIBRA
from tumaini.core.models import SubCounty
from tumaini.insights import aggregates
from tumaini.insights.figures import Filters
from tumaini.insights.selectors import dashboard_figures
from tumaini.tips.models import Campaign, Report
from tumaini.tips.services import report_receive

pytestmark = pytest.mark.django_db


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _report(organisation, received, *, channel="sms", urgency="normal", sub_county=None, **times):
    report = report_receive(
        channel=channel,
        what_happened="Girls kept in a house near the market",
        organisation=organisation,
        received_at=received,
        sub_county=sub_county,
    )
    Report.objects.filter(pk=report.pk).update(urgency=urgency, **times)


@pytest.fixture
def reports(personas, reference):
    """Reports of both organisations in February and March 2026 in two sub-counties and none,
    with times to triage and escalation that are not whole minutes (59 s, 61 s, 2 h 30.5 min...),
    ties, late and timely triage of every urgency, cases; and reports received just now, still
    waiting within their target or past it, one closed untriaged. Campaigns of both."""
    case = make_case(organisation=personas.org_a, assigned_to=personas.owner)
    kibra = SubCounty.objects.get(code=KIBRA)
    embakasi = SubCounty.objects.get(code=EMBAKASI_EAST)
    places = [kibra, embakasi, None]
    urgencies = ["critical", "high", "normal", "low"]
    seconds = [59, 61, 600, 600, 905, 3599, 3601, 9030, 29_000, 90_000, 300_000]
    for i in range(40):
        organisation = personas.org_a if i % 5 else personas.org_b
        received = _at(date(2026, 2, 1) + timedelta(days=i), hour=8 + i % 10)
        triaged = None if i % 7 == 3 else received + timedelta(seconds=seconds[i % len(seconds)])
        escalated = (
            received + timedelta(seconds=seconds[(i + 3) % len(seconds)] + 0.25)
            if i % 3 == 0
            else None
        )
        _report(
            organisation,
            received,
            channel=["sms", "ussd", "web", "hotline"][i % 4],
            urgency=urgencies[i % 4],
            sub_county=places[i % 3],
            triaged_at=triaged,
            escalated_at=escalated,
            linked_case=case if i % 4 == 1 else None,
            status="closed" if i == 10 else "new",
        )
    now = timezone.now()
    for minutes, urgency in ((5, "critical"), (30, "critical"), (30, "high"), (90, "high")):
        _report(personas.org_a, now - timedelta(minutes=minutes), urgency=urgency, sub_county=kibra)
    _report(personas.org_a, now - timedelta(days=5), urgency="low", status="closed")
    for organisation, name, starts, ends in (
        (personas.org_a, "Safe jobs", date(2026, 2, 20), date(2026, 3, 5)),
        (personas.org_a, "Now", timezone.localdate() - timedelta(days=3), date(2027, 1, 31)),
        (personas.org_b, "Posters", date(2026, 3, 1), date(2026, 3, 3)),
    ):
        Campaign.objects.create(
            organisation=organisation,
            name=name,
            starts_on=starts,
            ends_on=ends,
            channels=["sms"],
        )


FILTERS = {
    "none": lambda p: Filters(),
    "february": lambda p: Filters(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28)),
    "from_march": lambda p: Filters(date_from=date(2026, 3, 1)),
    "organisation_b": lambda p: Filters(organisation_id=p.org_b.pk),
    "kibra": lambda p: Filters(sub_county_code=KIBRA),
    "embakasi_march": lambda p: Filters(
        sub_county_code=EMBAKASI_EAST, date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)
    ),
    # Periods that start or end inside a month: whole months from the counts, edges counted.
    "mid_february_to_mid_march": lambda p: Filters(
        date_from=date(2026, 2, 10), date_to=date(2026, 3, 15)
    ),
    "days_of_march": lambda p: Filters(date_from=date(2026, 3, 2), date_to=date(2026, 3, 20)),
    "kibra_until_mid_march": lambda p: Filters(sub_county_code=KIBRA, date_to=date(2026, 3, 15)),
    "this_month_so_far": lambda p: Filters(
        date_from=timezone.localdate().replace(day=1), date_to=timezone.localdate()
    ),
    "since_a_week": lambda p: Filters(date_from=timezone.localdate() - timedelta(days=7)),
}


def _live_at(moment, **kwargs) -> dict:
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return dashboard_figures(use_aggregates=False, **kwargs)


def _without_as_of(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "as_of"}


@pytest.mark.parametrize("name", FILTERS)
@pytest.mark.parametrize("viewer", ["director", "analyst"])
def test_public_report_figures_from_the_counts_equal_the_live_ones(
    personas, analyst, reports, name, viewer
):
    user = analyst if viewer == "analyst" else personas.director
    filters = FILTERS[name](personas)
    refreshed = aggregates.refresh()
    counted = dashboard_figures(user=user, filters=filters)
    assert counted["as_of"] == refreshed.as_of
    live = _live_at(refreshed.as_of, user=user, filters=filters)
    assert live["as_of"] is None
    assert counted["public"]["times"] == live["public"]["times"]
    assert counted["public"]["campaigns"] == live["public"]["campaigns"]
    assert _without_as_of(counted) == _without_as_of(live)


def test_the_report_time_fixture_is_not_trivial(personas, analyst, reports):
    """What the comparison above compares: medians of an even count, percentiles, truncated
    minutes, late and pending reports, suppressed cells for the analyst."""
    aggregates.refresh()
    times = dashboard_figures(user=personas.director, filters=Filters())["public"]["times"]
    # The director's organisation: 32 of the 40, and the 5 received just now.
    assert times["total"] == 37
    assert times["triage"]["count"] == 27  # 5 never triaged
    # 27 times in whole minutes, the middle one 905 s (15 min), the 25th 90,000 s (1500 min).
    assert times["triage"]["median_hours"] == 0.25 and times["triage"]["p90_hours"] == 25
    assert times["escalation"]["count"] == 11
    target = times["triage_target"]
    # Late: 8 triaged after their target, 5 never triaged, critical 30 min ago, high 90 min ago.
    assert {c.key: c.count for c in target.cells} == {"within": 19, "late": 15}
    assert times["triage_pending"] == 2  # critical 5 min ago, high 30 min ago
    campaigns = {
        c["name"]: c
        for c in dashboard_figures(user=personas.director, filters=Filters())["public"]["campaigns"]
    }
    assert set(campaigns) == {"Safe jobs", "Now"}  # "Posters" is the other organisation's

    def sms(campaign, kind):
        return next(c.count for c in campaigns[campaign][kind].cells if c.key == "sms")

    # 20 Feb to 5 Mar: the director's SMS of days 24, 28 and 32; 6 to 19 Feb: days 8, 12, 16.
    assert (sms("Safe jobs", "during"), sms("Safe jobs", "before")) == (3, 3)
    # Running: the four received just now, and the closed one of five days ago before it.
    assert (sms("Now", "during"), sms("Now", "before")) == (4, 1)
    # Every escalated report is in Kibra; in March 3 of the director's, 4 in all: suppressed for
    # the analyst.
    march = Filters(sub_county_code=KIBRA, date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
    assert (
        dashboard_figures(user=personas.director, filters=march)["public"]["times"]["escalation"][
            "count"
        ]
        == 3
    )
    analysed = dashboard_figures(user=analyst, filters=march)["public"]["times"]
    assert analysed["escalation"] == {"count": None, "median_hours": None, "p90_hours": None}


def test_the_triage_median_counts_whole_minutes(personas, reference):
    """59 s is 0 minutes and 61 s is 1: the median of the two is half a minute (0.01 hours), on
    both paths."""
    received = _at(date(2026, 2, 3))
    for seconds in (59, 61):
        _report(personas.org_a, received, triaged_at=received + timedelta(seconds=seconds))
    live = dashboard_figures(user=personas.director, filters=Filters(), use_aggregates=False)
    aggregates.refresh()
    counted = dashboard_figures(user=personas.director, filters=Filters())
    for data in (live, counted):
        assert data["public"]["times"]["triage"] == {
            "count": 2,
            "median_hours": 0.01,
            "p90_hours": 0.02,
        }


def test_a_report_waiting_past_its_target_after_the_refresh_is_late_only_live(personas, reference):
    """The counts judge waiting reports at the refresh; live figures at the time of the look."""
    _report(personas.org_a, timezone.now() - timedelta(minutes=10), urgency="critical")
    refreshed = aggregates.refresh()
    later = refreshed.as_of + timedelta(minutes=6)  # the 15-minute target has now passed
    with mock.patch("django.utils.timezone.now", return_value=later):
        counted = dashboard_figures(user=personas.director, filters=Filters())
    live = _live_at(later, user=personas.director, filters=Filters())
    assert counted["as_of"] == refreshed.as_of
    assert counted["public"]["times"]["triage_pending"] == 1
    assert live["public"]["times"]["triage_pending"] == 0
    assert {c.key: c.count for c in live["public"]["times"]["triage_target"].cells} == {
        "within": 0,
        "late": 1,
    }


def test_times_are_counted_in_steps_at_the_step_edges(personas, reference):
    """Whole minutes below an hour, 5-minute steps below a day, whole hours beyond, each time
    counted as the start of its step, the same on both paths; one report a month, so each month's
    median is one time's step."""
    edges = [  # (time to triage, the start of its step in minutes)
        (timedelta(minutes=59, seconds=59), 59),
        (timedelta(minutes=60), 60),
        (timedelta(minutes=61), 60),
        (timedelta(minutes=64, seconds=59), 60),
        (timedelta(minutes=65), 65),
        (timedelta(hours=23, minutes=59), 1435),
        (timedelta(hours=24), 1440),
        (timedelta(hours=24, minutes=59), 1440),
        (timedelta(hours=25), 1500),
        (timedelta(days=5, hours=3, minutes=30), 123 * 60),
    ]
    months = [date(2025, 1 + i, 1) for i in range(len(edges))]
    for month, (after, _step) in zip(months, edges, strict=True):
        received = _at(month + timedelta(days=4))
        _report(personas.org_a, received, triaged_at=received + after)
    aggregates.refresh()
    for month, (after, step) in zip(months, edges, strict=True):
        last = (month + timedelta(days=31)).replace(day=1) - timedelta(days=1)
        filters = Filters(date_from=month, date_to=last)
        counted = dashboard_figures(user=personas.director, filters=filters)
        live = dashboard_figures(user=personas.director, filters=filters, use_aggregates=False)
        assert counted["as_of"] is not None and live["as_of"] is None
        for data in (counted, live):
            assert data["public"]["times"]["triage"] == {
                "count": 1,
                "median_hours": round(step / 60, 2),
                "p90_hours": round(step / 60, 2),
            }, after
