"""Pre-computed counts (insights/aggregates.py): every figure read from them equals the live count
on the fixtures, for each filter and for both kinds of viewer (so suppression is applied after
summing, as live); a refresh picks up new data; the page says "as of"; the dashboard counts live
when the counts cannot answer exactly (no refresh yet, a period not of whole months)."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.insights.builders import survivor
from tests.insights.conftest import EMBAKASI_EAST, KIBRA
from tests.testapp.helpers import sign_in
from tumaini.insights import aggregates
from tumaini.insights.figures import Filters
from tumaini.insights.models import FigureCount
from tumaini.insights.selectors import dashboard_figures, public_headlines

pytestmark = pytest.mark.django_db


@pytest.fixture
def richer(personas, caseload):
    """The dashboard's caseload, plus needs met and unmet, services, referrals, a prosecution and
    a survivor of the other organisation recruited in Kibra."""
    from tests.care.builders import delivery, offering
    from tests.cases.builders_workflow import add_assessments
    from tests.justice.builders import legal_officer, matter_with_prosecution
    from tests.referrals.builders import make_partner, sent_referral
    from tumaini.cases.enums import NeedType

    opened = timezone.localdate() - timedelta(days=40)
    shelter = offering(personas, name="Safe house")
    cases = []
    for i in range(7):
        case = survivor(personas, given_name=f"Needs{i}", opened=opened, recruited_in=(47, KIBRA))
        add_assessments(
            case, by=personas.owner, identified=(NeedType.ACCOMMODATION, NeedType.HEALTH)
        )
        cases.append(case)
    for days_ago, case in zip((37, 35, 30, 30), cases, strict=False):
        delivery(case, by=personas.owner, offering_=shelter, days_ago=days_ago)
    _, service = make_partner()
    for case in cases[:3]:
        sent_referral(personas, service, case=case)
    matter_with_prosecution(personas, legal_officer(personas), case=cases[0])
    survivor(personas, organisation=personas.org_b, given_name="Other", recruited_in=(47, KIBRA))


def _without_as_of(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "as_of"}


FILTERS = {
    "none": lambda p: Filters(),
    "february": lambda p: Filters(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28)),
    "from_january": lambda p: Filters(date_from=date(2026, 1, 1)),
    "until_february": lambda p: Filters(date_to=date(2026, 2, 28)),
    "organisation_a": lambda p: Filters(organisation_id=p.org_a.pk),
    "organisation_b": lambda p: Filters(organisation_id=p.org_b.pk),
    "kibra": lambda p: Filters(sub_county_code=KIBRA),
    "embakasi_this_year": lambda p: Filters(
        sub_county_code=EMBAKASI_EAST, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31)
    ),
    # Periods that start or end inside a month: whole months from the counts, edges counted.
    "part_of_january_to_part_of_march": lambda p: Filters(
        date_from=date(2026, 1, 10), date_to=date(2026, 3, 20)
    ),
    "days_of_one_month": lambda p: Filters(date_from=date(2026, 2, 3), date_to=date(2026, 2, 17)),
    "the_last_70_to_20_days": lambda p: Filters(
        date_from=timezone.localdate() - timedelta(days=70),
        date_to=timezone.localdate() - timedelta(days=20),
    ),
    "kibra_since_50_days": lambda p: Filters(
        sub_county_code=KIBRA, date_from=timezone.localdate() - timedelta(days=50)
    ),
    "organisation_a_until_mid_month": lambda p: Filters(
        organisation_id=p.org_a.pk, date_to=timezone.localdate().replace(day=15)
    ),
}


@pytest.mark.parametrize("name", FILTERS)
@pytest.mark.parametrize("viewer", ["director", "analyst"])
def test_every_figure_from_the_counts_equals_the_live_figure(
    personas, analyst, richer, name, viewer
):
    user = analyst if viewer == "analyst" else personas.director
    filters = FILTERS[name](personas)
    live = dashboard_figures(user=user, filters=filters)
    assert live["as_of"] is None  # no refresh yet: counted live
    aggregates.refresh()
    counted = dashboard_figures(user=user, filters=filters)
    assert counted["as_of"] is not None
    assert _without_as_of(counted) == _without_as_of(live)


def test_the_fixture_is_not_trivial(personas, analyst, richer):
    """The comparison above would prove little on empty figures: these hold counts, suppressed
    cells, medians and a prosecution."""
    aggregates.refresh()
    data = dashboard_figures(user=analyst, filters=Filters())
    assert data["totals"]["survivors"] == 32  # 23 + 1 other organisation + 7 + 1
    assert data["totals"]["prosecuted"] is None  # 1: suppressed for the analyst
    assert data["scope"]["survivors_by_sub_county"][KIBRA] == 22
    exact = dashboard_figures(user=personas.director, filters=Filters())
    assert exact["totals"]["prosecuted"] == 1
    shelter = [row for row in exact["gaps"]["first_service"] if row["cases"] == 4]
    assert shelter and shelter[0]["median_days"] == 7.5  # 3, 5, 10, 10 days
    assert exact["gaps"]["needs"][0]["identified"] == 7


def test_a_refresh_picks_up_new_data_and_the_page_says_as_of_when(client, personas, caseload):
    call_command("refresh_insights", stdout=StringIO())
    sign_in(client, personas.director)
    before = dashboard_figures(user=personas.director, filters=Filters())["totals"]["survivors"]
    body = client.get("/staff/insights/").content.decode()
    refreshed = aggregates.latest()
    assert "Figures as of" in body
    assert refreshed.as_of <= timezone.now()
    survivor(personas, given_name="Newcomer")
    # Until the next refresh the page shows the counts it says it shows.
    assert dashboard_figures(user=personas.director, filters=Filters())["totals"]["survivors"] == (
        before
    )
    out = StringIO()
    call_command("refresh_insights", stdout=out)
    assert "Figures as of" in out.getvalue()
    assert aggregates.latest().as_of > refreshed.as_of
    after = dashboard_figures(user=personas.director, filters=Filters())["totals"]["survivors"]
    assert after == before + 1


def test_a_period_of_part_of_a_month_reads_only_its_partial_months_from_the_records(
    client, personas, caseload
):
    """Its whole months come from the counts; the days of a month it covers in part are counted
    from the records dated up to the refresh (the equality with live counting is tested above)."""
    aggregates.refresh()
    january = Filters(date_from=date(2026, 1, 1), date_to=date(2026, 1, 31))
    part = Filters(date_from=date(2026, 1, 1), date_to=date(2026, 2, 14))
    before = dashboard_figures(user=personas.director, filters=part)
    january_before = dashboard_figures(user=personas.director, filters=january)["totals"]
    assert before["as_of"] is not None
    survivor(personas, given_name="Late", opened=date(2026, 2, 12))
    survivor(personas, given_name="Whole", opened=date(2026, 1, 12))
    after = dashboard_figures(user=personas.director, filters=part)
    # The one in the partial month is read from the records; January waits for the next refresh.
    assert (after["totals"]["survivors"] or 0) == (before["totals"]["survivors"] or 0) + 1
    assert dashboard_figures(user=personas.director, filters=january)["totals"] == january_before
    body = (
        sign_in(client, personas.director)
        .get("/staff/insights/", {"date_from": "2026-01-01", "date_to": "2026-02-14"})
        .content.decode()
    )
    assert "Figures as of" in body


def test_a_grant_finer_than_an_organisation_is_counted_live(personas, caseload):
    """Counts are by organisation; a viewer who may see only their own rows never gets them."""
    from unittest import mock

    from tumaini.core import access

    aggregates.refresh()
    with mock.patch.object(access, "scope_for", return_value=access.Scope.OWN):
        assert aggregates.organisations_for(personas.director, "insights_dashboard") is False
    assert aggregates.organisations_for(personas.director, "insights_dashboard") == [
        personas.director.organisation_id
    ]


def test_the_refresh_replaces_the_counts(personas, caseload):
    aggregates.refresh()
    first = FigureCount.objects.count()
    aggregates.refresh()
    assert FigureCount.objects.count() == first > 0


def test_public_statistics_from_the_counts_equal_the_live_ones(personas, caseload, settings):
    from django.core.cache import cache

    today = date(2026, 12, 1)
    cache.clear()
    live = public_headlines(today=today)
    aggregates.refresh()
    cache.clear()
    counted = public_headlines(today=today)
    assert counted["as_of"] is not None and live["as_of"] is None
    assert counted["years"] == live["years"]
    assert counted["years"][0]["survivors"] == 24  # every organisation


def test_the_periodic_task_refreshes(personas, caseload, settings):
    # Worker-free: the task runs inside enqueue(), through django-tasks' own immediate backend.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from tumaini.core.schedule import JOBS
    from tumaini.insights.tasks import refresh_figures

    assert "refresh_figures" in JOBS
    result = refresh_figures.enqueue()
    assert result.return_value["rows"] == FigureCount.objects.count() > 0
    assert aggregates.latest() is not None


def test_the_dashboard_from_the_counts_runs_a_fixed_number_of_queries(
    client, personas, caseload, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    aggregates.refresh()
    sign_in(client, personas.director)
    client.get("/staff/insights/")
    with CaptureQueriesContext(connection) as one:
        client.get("/staff/insights/")
    for i in range(5):
        survivor(personas, given_name=f"More{i}", recruited_in=(47, EMBAKASI_EAST))
    aggregates.refresh()
    with django_assert_max_num_queries(len(one)):
        body = client.get("/staff/insights/").content.decode()
    assert "Figures as of" in body
