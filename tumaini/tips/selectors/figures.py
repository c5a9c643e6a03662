"""Figures of public reports for hotline supervisors and directors: numbers only, never a report.

Times are counted in SQL in steps (`time_step`: whole minutes below an hour, 5 minutes below a day,
whole hours beyond, each truncated to its step's start) and summarised with the median (the mean of
the two middle values for an even count, as `statistics.median`) and the 90th percentile by nearest
rank (the smallest step that at least 90 % of the reports met), both from the histogram of steps:
so a median or 90th percentile is the start of its step (2 h 4 min 59 s counts as 2 h), which keeps
the pre-computed histograms small however continuous the real times are. Whether a report was
triaged within its target is judged on the exact times.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, F, Func, IntegerField, Q, QuerySet, When
from django.db.models.lookups import LessThan
from django.utils import timezone

from tumaini.core import access
from tumaini.core.access import VIEW
from tumaini.core.histograms import median, nearest_rank
from tumaini.tips.enums import Channel, ReportStatus
from tumaini.tips.models import Report
from tumaini.tips.policies import REPORT_FIGURES
from tumaini.tips.sla import TRIAGE_TARGETS

WEEKS = 12


def default_period(*, today: date) -> tuple[date, date]:
    """The last 12 weeks, Monday to today."""
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(weeks=WEEKS - 1), today


class WholeMinutes(Func):
    """Whole minutes from `start` to `end`, truncated towards zero, counted by the database (so a
    histogram of them is one GROUP BY). Exact: PostgreSQL's epoch of an interval is numeric, and
    Django's SQLite function gives the microseconds as an integer."""

    output_field = IntegerField()

    def __init__(self, end: str, start: str):
        super().__init__(F(end), F(start))

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="(EXTRACT(EPOCH FROM (%(expressions)s)) * 1000000)::bigint / 60000000",
            arg_joiner=" - ",
            **extra,
        )

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="django_timestamp_diff(%(expressions)s) / 60000000",
            arg_joiner=", ",
            **extra,
        )


# (below this many minutes, counted in steps of this many minutes); beyond the last, whole hours.
MINUTE_STEPS = ((60, 1), (24 * 60, 5))
LAST_STEP = 60


def time_step(end: str, start: str) -> Case:
    """The time from `start` to `end` as the start, in minutes, of its step (MINUTE_STEPS): the one
    definition of the histograms' keys, for the live figures and the pre-computed counts alike.
    Integer division on both databases (the whole minutes are integers)."""
    minutes = WholeMinutes(end, start)
    return Case(
        *(
            When(LessThan(minutes, below), then=minutes / step * step if step > 1 else minutes)
            for below, step in MINUTE_STEPS
        ),
        default=minutes / LAST_STEP * LAST_STEP,
        output_field=IntegerField(),
    )


def _triage_conditions(now: datetime) -> dict[str, Q]:
    """Triaged within its urgency's target, triaged late, still waiting past it at `now`, still
    within it (a closed untriaged report, or one without a target, is neither)."""
    within, late, waiting_late, waiting = Q(), Q(), Q(), Q()
    for urgency, target in TRIAGE_TARGETS.items():
        within |= Q(urgency=urgency, triaged_at__lte=F("received_at") + target)
        late |= Q(urgency=urgency, triaged_at__gt=F("received_at") + target)
        waiting_late |= Q(urgency=urgency, received_at__lt=now - target)
        waiting |= Q(urgency=urgency, received_at__gte=now - target)
    untriaged = Q(triaged_at__isnull=True) & ~Q(status=ReportStatus.CLOSED)
    return {
        "within": within,
        "late": late | (untriaged & waiting_late),
        "pending": untriaged & waiting,
    }


def timing_counts(reports: QuerySet, *, now: datetime, by: tuple[str, ...] = ()):
    """What the timing figures are made of, as (group, figure, key, n) with `group` the values of
    the `by` columns: histograms of the times to triage and to escalation ("triage_minutes",
    "escalation_minutes", the key the start of the time's step in minutes, see `time_step`), and "report_times" counts (total, linked, within,
    late, pending; see `_triage_conditions`). Three grouped queries whatever the number of
    reports. The pre-computed dashboard counts store exactly these, grouped by month too."""
    reports = reports.order_by()
    for figure, column in (
        ("triage_minutes", "triaged_at"),
        ("escalation_minutes", "escalated_at"),
    ):
        for row in (
            reports.filter(**{f"{column}__isnull": False})
            .values(*by, minutes=time_step(column, "received_at"))
            .annotate(n=Count("id"))
        ):
            yield tuple(row[c] for c in by), figure, str(row["minutes"]), row["n"]
    conditions = _triage_conditions(now)
    counted = {
        "total": Count("id"),
        "linked": Count("id", filter=Q(linked_case_id__isnull=False)),
        **{key: Count("id", filter=condition) for key, condition in conditions.items()},
    }
    # values() of no column would group by every column: ungrouped counts are one aggregate.
    rows = reports.values(*by).annotate(**counted) if by else [reports.aggregate(**counted)]
    for row in rows:
        for key in counted:
            yield tuple(row[c] for c in by), "report_times", key, row[key]


TIMING_KEYS = ("total", "linked", "within", "late", "pending")


def _summary(histogram: dict[int, int]) -> dict:
    return {
        "count": sum(histogram.values()),
        "median": median(histogram),
        "p90": nearest_rank(histogram, 0.9),
    }


def timings_from(counts: Mapping[tuple[str, str], int]) -> dict:
    """The timing figures from {(figure, key): n} of `timing_counts` (summed over any groups)."""
    histograms: dict[str, dict[int, int]] = {"triage_minutes": {}, "escalation_minutes": {}}
    for (figure, key), n in counts.items():
        if figure in histograms and n:
            histograms[figure][int(key)] = histograms[figure].get(int(key), 0) + n
    times = {key: counts.get(("report_times", key), 0) for key in TIMING_KEYS}
    return {
        "total": times["total"],
        "triage": _summary(histograms["triage_minutes"]),
        "escalation": _summary(histograms["escalation_minutes"]),
        "triage_target": {key: times[key] for key in ("within", "late", "pending")},
        "linked": times["linked"],
    }


def report_timings(reports: QuerySet, *, now: datetime) -> dict:
    """Times to triage and to escalation in minutes (count, median, 90th percentile, each the start
    of its step: see `time_step`), triage
    against its target (tips/sla.py), and how many reports led to a case.

    Shared by this page and the needs-assessment dashboard, so both count the same way. A report
    still waiting past its target counts as late; one still within it (or closed untriaged) is
    not counted either way yet."""
    counts: dict[tuple[str, str], int] = {}
    for _group, figure, key, n in timing_counts(reports, now=now):
        counts[(figure, key)] = counts.get((figure, key), 0) + n
    return timings_from(counts)


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def report_figures(*, user, date_from: date, date_to: date) -> dict:
    """Reports received from `date_from` to `date_to` (both included) in the user's organisation."""
    access.require(user, REPORT_FIGURES, VIEW)
    rows = access.scoped(user, REPORT_FIGURES, VIEW, Report.objects.all()).filter(
        received_at__gte=_start(date_from), received_at__lt=_start(date_to + timedelta(days=1))
    )
    total = rows.count()
    channel_counts = dict(rows.order_by().values_list("channel").annotate(n=Count("id")))
    by_channel = [
        {"label": label, "count": channel_counts.get(value, 0)}
        for value, label in Channel.choices
        if channel_counts.get(value)
    ]
    by_sub_county = [
        {"label": name, "count": n}
        for name, n in rows.order_by()
        .values_list("sub_county__name")
        .annotate(n=Count("id"))
        .order_by("-n", "sub_county__name")
    ]
    # Weeks counted in local time, Monday first, in Python: one narrow column read.
    week_counts: dict[date, int] = {}
    for received in rows.order_by().values_list("received_at", flat=True).iterator():
        day = timezone.localtime(received).date()
        monday = day - timedelta(days=day.weekday())
        week_counts[monday] = week_counts.get(monday, 0) + 1
    last_monday = date_to - timedelta(days=date_to.weekday())
    first_monday = max(
        date_from - timedelta(days=date_from.weekday()), last_monday - timedelta(weeks=WEEKS - 1)
    )
    by_week = []
    monday = first_monday
    while monday <= last_monday:
        by_week.append({"week": monday, "count": week_counts.get(monday, 0)})
        monday += timedelta(weeks=1)
    timings = report_timings(rows, now=timezone.now())
    linked = timings["linked"]
    return {
        "date_from": date_from,
        "date_to": date_to,
        "total": total,
        "by_channel": by_channel,
        "by_sub_county": by_sub_county,
        "by_week": by_week,
        "triage": timings["triage"],
        "escalation": timings["escalation"],
        "linked": linked,
        "linked_share": (100 * linked / total) if total else None,
    }
