"""Pre-computed counts of the dashboard, so that it answers in milliseconds at county scale.

`refresh()` (the `refresh_insights` command and a periodic task) rebuilds `FigureCount`: every
figure's counts by month, organisation and sub-county. `counted()` sums them for a viewer and a
filter (the whole months of the period; the days of a month it covers in part are counted from the
records, the refresh's way, up to the refresh), and the caller counts live instead when:

- no refresh has run yet;
- the viewer's grant is narrower than an organisation (own or team scope) or includes
  break-glass access to single records: the counts cannot tell those rows apart, and they never
  widen what a viewer sees.

The figures are built from the summed counts in figures/from_counts.py, in the live figures' shapes;
suppression of small cells is applied by the caller after summing, exactly as on live counts.
Medians come from histograms (days to the first service of each type, to a need being met; whole
minutes to triage and to escalation, with the 90th percentile too): exact. Public reports are also
counted by day and channel (`ReportDayCount`) for the campaign windows, which are days. What
depends on the time of the look is taken at the refresh's `as_of`: a report still waiting for
triage is late if its target had passed then, and a running campaign is counted to that day.
The refresh reads each identified case once in chunks (ages, places and needs follow the same
rules as figures.py), groups public reports in SQL, and replaces the tables in one transaction, so
readers see the old counts until the new ones are complete.
"""

from __future__ import annotations

import calendar
import time as clock
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from tumaini.cases.enums import TraffickingEventType
from tumaini.cases.models import Case, ExploitationProfile, Screening, TraffickingEvent
from tumaini.core import access
from tumaini.core.bulk import insert_rows
from tumaini.insights import figures
from tumaini.insights.ctdc import GENDERS
from tumaini.insights.figures.from_counts import SEP
from tumaini.insights.models import FigureCount, FiguresRefresh, ReportDayCount

ALL_SUB_COUNTIES = 0
CHUNK = 5000


# --- Refresh ------------------------------------------------------------------------------------


def refresh() -> FiguresRefresh:
    started = clock.perf_counter()
    as_of = timezone.now()
    counts: dict[tuple, int] = defaultdict(int)
    _count_cases(counts)
    _count_reports(counts)
    _count_report_times(counts, as_of)
    rows = [(m, org, sc, fig, key, n) for (m, org, sc, fig, key), n in counts.items() if n]
    days = _report_days()
    with transaction.atomic():
        FigureCount.objects.all().delete()
        insert_rows(
            FigureCount._meta.db_table,
            ["month", "organisation_id", "sub_county", "figure", "key", "n"],
            rows,
        )
        ReportDayCount.objects.all().delete()
        insert_rows(
            ReportDayCount._meta.db_table,
            ["day", "organisation_id", "sub_county", "channel", "n"],
            days,
        )
        done, _ = FiguresRefresh.objects.update_or_create(
            pk=1,
            defaults={
                "as_of": as_of,
                "seconds": clock.perf_counter() - started,
                "rows": len(rows),
            },
        )
    if connection.vendor == "postgresql":
        # The tables were replaced whole: fresh statistics keep the planner on the index, and a
        # VACUUM clears the old rows, which the dashboard's scans would otherwise read until
        # autovacuum came (217 ms instead of a few after a refresh at 10^6 reports). VACUUM cannot
        # run inside a transaction (a caller's, or a test's): then statistics only.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for model in (FigureCount, ReportDayCount):
                cursor.execute(f"{command} {model._meta.db_table}")
    return done


def _month(at) -> date:
    return timezone.localtime(at).date().replace(day=1)


def _identified():
    return Case.objects.filter(
        person__merged_into__isnull=True,
        pk__in=Screening.objects.filter(decision__in=figures.VICTIM_DECISIONS).values("case_id"),
    )


def _count_cases(counts: dict) -> None:
    ids = list(_identified().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for (month, org, places), contributions in _case_contributions(chunk):
            for slice_ in (ALL_SUB_COUNTIES, *places):
                for (fig, key), n in contributions.items():
                    counts[(month, org, slice_, fig, key)] += n


def _case_contributions(ids: list[int]):
    """For each case: (month, organisation, its sub-counties) and what it adds to each figure."""
    from tumaini.care.enums import DELIVERED_OUTCOMES
    from tumaini.care.models import ServiceDelivery
    from tumaini.care.selectors.needs import _needs_met
    from tumaini.justice.enums import Outcome
    from tumaini.justice.models import PoliceReport, Prosecution
    from tumaini.referrals.enums import ReferralStatus
    from tumaini.referrals.models import Referral

    cases = Case.objects.filter(pk__in=ids)
    rows = list(
        cases.values(
            "id",
            "organisation_id",
            "opened_at",
            "person__gender",
            "person__date_of_birth",
            "person__estimated_age",
            "person__age_estimated_on",
            "person__is_child",
            "person__citizenship_id",
            "intake__sub_county_id",
        )
    )
    profiles = {
        p["case_id"]: p
        for p in ExploitationProfile.objects.filter(case_id__in=ids).values(
            "case_id", "exploitation_types", "labour_sectors"
        )
    }
    events: dict[int, list[dict]] = defaultdict(list)
    for event in TraffickingEvent.objects.filter(case_id__in=ids).values(
        "case_id", "type", "country_id", "county_id", "sub_county_id", "ward_id"
    ):
        events[event["case_id"]].append(event)
    reported = set(
        PoliceReport.objects.filter(matter__case_id__in=ids).values_list(
            "matter__case_id", flat=True
        )
    )
    prosecuted = set(
        Prosecution.objects.filter(matter__case_id__in=ids).values_list(
            "matter__case_id", flat=True
        )
    )
    convicted = set(
        Prosecution.objects.filter(matter__case_id__in=ids, outcome=Outcome.CONVICTED).values_list(
            "matter__case_id", flat=True
        )
    )
    first_services: dict[int, list] = defaultdict(list)
    for case_id, service_type, first in (
        ServiceDelivery.objects.filter(case_id__in=ids, outcome__in=DELIVERED_OUTCOMES)
        .values_list("case_id", "service_type")
        .annotate(first=Min("delivered_on"))
        .values_list("case_id", "service_type", "first")
        .order_by()
    ):
        first_services[case_id].append((service_type, first))
    needs = _needs_met(cases)
    referrals: dict[int, Counter] = defaultdict(Counter)
    for case_id, name, status, n in (
        Referral.objects.filter(case_id__in=ids)
        .exclude(status__in=[ReferralStatus.DRAFT, ReferralStatus.CANCELLED])
        .values_list("case_id", "recipient__name", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        referrals[case_id][name + SEP + status] += n

    for row in rows:
        opened = timezone.localtime(row["opened_at"]).date()
        c: Counter = Counter()
        c[("total", "")] += 1
        c[("months", opened.strftime("%Y-%m"))] += 1
        profile = profiles.get(row["id"], {})
        for kind in set(profile.get("exploitation_types") or []):
            c[("exploitation", kind)] += 1
        for sector in set(profile.get("labour_sectors") or []):
            c[("sectors", sector)] += 1
        sex = GENDERS.get(row["person__gender"], "Unknown")
        c[("age_sex", figures._band(figures._age(row, opened)) + SEP + sex)] += 1
        c[("children", "child" if row["person__is_child"] else "adult")] += 1
        c[("citizenship", row["person__citizenship_id"] or "unknown")] += 1
        case_events = events.get(row["id"], [])
        countries = {e["country_id"] for e in case_events}
        reach = (
            "unknown"
            if not countries
            else "domestic"
            if countries == {figures.KENYA}
            else "transnational"
        )
        c[("reach", reach)] += 1
        for event in case_events:
            if event["type"] == TraffickingEventType.RECRUITMENT:
                c[("recruitment_places", figures._place_key(event))] += 1
                if event["sub_county_id"]:
                    c[("recruitment_by_sub_county", str(event["sub_county_id"]))] += 1
                if event["ward_id"]:
                    c[("recruitment_by_ward", str(event["ward_id"]))] += 1
            elif event["type"] == TraffickingEventType.EXPLOITATION:
                c[("exploitation_places", figures._place_key(event))] += 1
        places = ({e["sub_county_id"] for e in case_events} | {row["intake__sub_county_id"]}) - {
            None
        }
        for code in places:
            c[("survivors_by_sub_county", str(code))] += 1
        for code in {e["ward_id"] for e in case_events if e["ward_id"]}:
            c[("survivors_by_ward", str(code))] += 1
        for name, cases_with in (
            ("reported", reported),
            ("prosecuted", prosecuted),
            ("convicted", convicted),
        ):
            if row["id"] in cases_with:
                c[("justice", name)] += 1
        for service_type, first in first_services.get(row["id"], []):
            days = max((first - opened).days, 0)
            c[("first_service", service_type + SEP + str(days))] += 1
        for need in needs.get(row["id"], []):
            c[("needs", need.need_type + SEP + "identified")] += 1
            c[("needs", need.need_type + SEP + need.status)] += 1
            if need.days_to_service is not None:
                c[("need_days", need.need_type + SEP + str(need.days_to_service))] += 1
        for key, n in referrals.get(row["id"], {}).items():
            c[("referrals", key)] += n
        yield (opened.replace(day=1), row["organisation_id"], places), c


def _count_reports(counts: dict, reports=None) -> None:
    from tumaini.tips.models import Report

    reports = Report.objects.all() if reports is None else reports
    grouped = reports.order_by().annotate(m=TruncMonth("received_at"))
    for month, org, sub_county, channel, n in (
        grouped.values_list("m", "organisation_id", "sub_county_id", "channel")
        .annotate(n=Count("id"))
        .values_list("m", "organisation_id", "sub_county_id", "channel", "n")
    ):
        month = _as_date(month)
        for slice_ in (ALL_SUB_COUNTIES, sub_county) if sub_county else (ALL_SUB_COUNTIES,):
            counts[(month, org, slice_, "reports", "")] += n
            counts[(month, org, slice_, "channels", channel)] += n
            if sub_county:
                counts[(month, org, slice_, "reports_by_sub_county", str(sub_county))] += n
    for month, org, sub_county, ward, n in (
        grouped.exclude(ward=None)
        .values_list("m", "organisation_id", "sub_county_id", "ward_id")
        .annotate(n=Count("id"))
        .values_list("m", "organisation_id", "sub_county_id", "ward_id", "n")
    ):
        month = _as_date(month)
        for slice_ in (ALL_SUB_COUNTIES, sub_county) if sub_county else (ALL_SUB_COUNTIES,):
            counts[(month, org, slice_, "reports_by_ward", str(ward))] += n


def _count_report_times(counts: dict, as_of, reports=None) -> None:
    """The histograms and counts of report times (tips.selectors.figures.timing_counts) by month,
    organisation and sub-county; a report still waiting is judged at `as_of`, the time the page
    gives the figures as of."""
    from tumaini.tips.models import Report
    from tumaini.tips.selectors.figures import timing_counts

    reports = Report.objects.all() if reports is None else reports
    grouped = reports.annotate(m=TruncMonth("received_at"))
    for (month, org, sub_county), fig, key, n in timing_counts(
        grouped, now=as_of, by=("m", "organisation_id", "sub_county_id")
    ):
        month = _as_date(month)
        for slice_ in (ALL_SUB_COUNTIES, sub_county) if sub_county else (ALL_SUB_COUNTIES,):
            counts[(month, org, slice_, fig, key)] += n


def _report_days() -> list[tuple]:
    """Reports by local day, organisation, sub-county and channel, for the campaign windows: the
    rows of ReportDayCount."""
    from tumaini.tips.models import Report

    days: dict[tuple, int] = defaultdict(int)
    for day, org, sub_county, channel, n in (
        Report.objects.order_by()
        .annotate(d=TruncDate("received_at"))
        .values_list("d", "organisation_id", "sub_county_id", "channel")
        .annotate(n=Count("id"))
        .values_list("d", "organisation_id", "sub_county_id", "channel", "n")
    ):
        for slice_ in (ALL_SUB_COUNTIES, sub_county) if sub_county else (ALL_SUB_COUNTIES,):
            days[(day, org, slice_, channel)] += n
    return [(*key, n) for key, n in days.items()]


def _as_date(value) -> date:
    # TruncMonth gives a (local, aware) datetime on a DateTimeField.
    return timezone.localtime(value).date() if hasattr(value, "hour") else value


# --- Reading ------------------------------------------------------------------------------------


def latest() -> FiguresRefresh | None:
    return FiguresRefresh.objects.filter(pk=1).first()


def counted(
    filters: figures.Filters, organisation_ids: list[int] | None, *, as_of
) -> Counter[tuple[str, str]]:
    """The counts of a period: its whole months from FigureCount, and the days of a month it
    covers only in part (at either end) counted from the records the way the refresh counts them,
    up to `as_of`, so the answer is what the page says: the figures as of the refresh. Only the
    edges are read, whatever the length of the period."""
    inner, edges = _split(filters)
    counts: Counter = Counter()
    if inner is not None:
        counts.update(summed(inner, organisation_ids))
    for start, end in edges:
        counts.update(_edge_counts(filters, organisation_ids, start, end, as_of))
    return counts


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _split(filters: figures.Filters) -> tuple[figures.Filters | None, list[tuple[date, date]]]:
    """The whole months inside the period (None if there are none) and the partial months at its
    ends, as (first day, last day) pairs."""
    start, end = filters.date_from, filters.date_to
    if start and end and (start.year, start.month) == (end.year, end.month):
        if start.day == 1 and end == _month_end(end):
            return filters, []
        return None, [(start, end)]
    edges = []
    inner_from, inner_to = start, end
    if start and start.day != 1:
        edges.append((start, _month_end(start)))
        inner_from = _month_end(start) + timedelta(days=1)
    if end and end != _month_end(end):
        edges.append((end.replace(day=1), end))
        inner_to = end.replace(day=1) - timedelta(days=1)
    if inner_from and inner_to and inner_from > inner_to:
        return None, edges
    return replace(filters, date_from=inner_from, date_to=inner_to), edges


def _edge_counts(filters, organisation_ids, start: date, end: date, as_of) -> Counter:
    """Counts of the days start..end, keyed as `summed` gives them, for the filter's slice."""
    from tumaini.tips.models import Report

    days = replace(filters, date_from=start, date_to=end)
    slice_ = filters.sub_county_code or ALL_SUB_COUNTIES
    # filtered_cases keeps identified survivors only, as _identified() does for the refresh.
    cases = figures.filtered_cases(Case.objects.all(), days).filter(opened_at__lte=as_of)
    reports = figures.filtered_reports(Report.objects.all(), days).filter(received_at__lte=as_of)
    if organisation_ids is not None:
        cases = cases.filter(organisation_id__in=organisation_ids)
        reports = reports.filter(organisation_id__in=organisation_ids)
    keyed: dict[tuple, int] = defaultdict(int)
    ids = list(cases.order_by("pk").values_list("pk", flat=True))
    for first in range(0, len(ids), CHUNK):
        for (_month, _org, places), contributions in _case_contributions(
            ids[first : first + CHUNK]
        ):
            if slice_ == ALL_SUB_COUNTIES or slice_ in places:
                for key, n in contributions.items():
                    keyed[key] += n
    report_counts: dict[tuple, int] = defaultdict(int)
    _count_reports(report_counts, reports)
    _count_report_times(report_counts, as_of, reports)
    for (_month, _org, sc, fig, key), n in report_counts.items():
        if sc == slice_:
            keyed[(fig, key)] += n
    return Counter(keyed)


def organisations_for(user, resource) -> list[int] | None | bool:
    """The organisations a viewer's grant covers as counts can tell them: None for all, a list,
    or False when the grant is finer than an organisation (then compute live)."""
    scope = access.scope_for(user, resource, access.VIEW)
    if access._break_glass_ids(user, access._resource(resource).name):
        return False
    if scope == access.Scope.ALL:
        return None
    if scope == access.Scope.ORGANISATION and user.organisation_id:
        return [user.organisation_id]
    return False


def summed(
    filters: figures.Filters, organisation_ids: list[int] | None
) -> Counter[tuple[str, str]]:
    rows = FigureCount.objects.filter(sub_county=filters.sub_county_code or ALL_SUB_COUNTIES)
    if filters.date_from:
        rows = rows.filter(month__gte=filters.date_from)
    if filters.date_to:
        rows = rows.filter(month__lte=filters.date_to)
    if organisation_ids is not None:
        rows = rows.filter(organisation_id__in=organisation_ids)
    if filters.organisation_id:
        rows = rows.filter(organisation_id=filters.organisation_id)
    return Counter(
        {
            (fig, key): n
            for fig, key, n in rows.order_by()
            .values_list("figure", "key")
            .annotate(total=Sum("n"))
            .values_list("figure", "key", "total")
        }
    )


def campaigns_from(
    filters: figures.Filters,
    organisation_ids: list[int] | None,
    campaigns: list[dict],
    *,
    today: date,
) -> list[dict]:
    """The campaign comparisons summed from the day counts, as `figures.campaign_figures` counts
    them live: one query over the days of the windows."""
    windows = figures.campaign_windows(campaigns, today=today)
    if not windows:
        return []
    rows = ReportDayCount.objects.filter(sub_county=filters.sub_county_code or ALL_SUB_COUNTIES)
    if organisation_ids is not None:
        rows = rows.filter(organisation_id__in=organisation_ids)
    if filters.organisation_id:
        rows = rows.filter(organisation_id=filters.organisation_id)
    summed_days, anywhere = {}, Q()
    for index, window in enumerate(windows):
        for kind in ("during", "before"):
            in_window = Q(day__range=window[kind])
            summed_days[f"{kind}_{index}"] = Sum("n", filter=in_window)
            anywhere |= in_window
    # The outer range lets the index narrow the days; the windows then pick theirs.
    first = min(w["before"][0] for w in windows)
    last = max(w["during"][1] for w in windows)
    rows = rows.filter(anywhere, day__range=(first, last))
    by_channel = {
        row["channel"]: row for row in rows.order_by().values("channel").annotate(**summed_days)
    }
    return figures.campaign_result(campaigns, windows, by_channel)
