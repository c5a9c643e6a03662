"""Figures of public reports for hotline supervisors and directors: numbers only, never a report.

Times are summarised with the median (`statistics.median`, the mean of the two middle values for an
even count) and the 90th percentile by nearest rank (the smallest time that at least 90 % of the
reports met).
"""

from __future__ import annotations

import math
import statistics
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.utils import timezone

from tumaini.core import access
from tumaini.core.access import VIEW
from tumaini.tips.enums import Channel, ReportStatus
from tumaini.tips.models import Report
from tumaini.tips.policies import REPORT_FIGURES
from tumaini.tips.sla import TRIAGE_TARGETS

WEEKS = 12


def default_period(*, today: date) -> tuple[date, date]:
    """The last 12 weeks, Monday to today."""
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(weeks=WEEKS - 1), today


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _summary(durations: list[timedelta]) -> dict:
    minutes = [d.total_seconds() / 60 for d in durations]
    return {
        "count": len(minutes),
        "median": statistics.median(minutes) if minutes else None,
        "p90": percentile(minutes, 0.9),
    }


# What `report_timings` reads of each report: one narrow query, nothing decrypted.
TIMING_COLUMNS = (
    "received_at",
    "triaged_at",
    "escalated_at",
    "urgency",
    "status",
    "linked_case_id",
)


def report_timings(rows, *, now: datetime) -> dict:
    """Times to triage and to escalation (minutes: count, median, p90), triage against its target
    (tips/sla.py), and how many reports led to a case, from `rows` of TIMING_COLUMNS.

    Shared by this page and the needs-assessment dashboard, so both count the same way. A report
    still waiting past its target counts as late; one still within it (or closed untriaged) is
    not counted either way yet."""
    triage, escalation = [], []
    within = late = pending = linked = total = 0
    for received, triaged, escalated, urgency, status, case_id in rows:
        total += 1
        linked += case_id is not None
        if escalated is not None:
            escalation.append(escalated - received)
        target = TRIAGE_TARGETS.get(urgency)
        if triaged is not None:
            triage.append(triaged - received)
            if target is not None:
                if triaged - received <= target:
                    within += 1
                else:
                    late += 1
        elif target is not None and status != ReportStatus.CLOSED:
            if now - received > target:
                late += 1
            else:
                pending += 1
    return {
        "total": total,
        "triage": _summary(triage),
        "escalation": _summary(escalation),
        "triage_target": {"within": within, "late": late, "pending": pending},
        "linked": linked,
    }


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
    timings = report_timings(rows.order_by().values_list(*TIMING_COLUMNS), now=timezone.now())
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
