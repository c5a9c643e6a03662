"""Service-level targets for public reports: how soon a report must be triaged, and how soon a
critical one must reach the police. One table, read by the queue, the report page, the periodic
check that alerts the hotline supervisors and the figures page.

Triage counts from `received_at` to `triaged_at` (the first take, assignment, status change or
escalation). Escalation counts from `received_at` to `escalated_at`; it applies to critical reports
still open (not closed, referred or linked to a case), because such a report may rightly end
without the police.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q

from tumaini.tips.enums import ReportStatus, Urgency

# Urgency -> the longest a report may wait for triage.
TRIAGE_TARGETS: dict[str, timedelta] = {
    Urgency.CRITICAL: timedelta(minutes=15),
    Urgency.HIGH: timedelta(hours=1),
    Urgency.NORMAL: timedelta(hours=8),
    Urgency.LOW: timedelta(days=3),
}
# Urgency -> the longest a report may wait to be escalated to law enforcement.
ESCALATION_TARGETS: dict[str, timedelta] = {
    Urgency.CRITICAL: timedelta(hours=1),
}

# Statuses in which an escalation is still expected.
AWAITING_ESCALATION = (ReportStatus.NEW, ReportStatus.TRIAGING)

TRIAGE = "triage"
ESCALATION = "escalation"


@dataclass(frozen=True)
class Deadline:
    kind: str  # TRIAGE or ESCALATION
    due_at: datetime
    now: datetime

    @property
    def overdue(self) -> bool:
        return self.now > self.due_at

    @property
    def remaining(self) -> timedelta:
        return self.due_at - self.now

    @property
    def late_by(self) -> timedelta:
        return self.now - self.due_at

    @property
    def minutes(self) -> int:
        """Whole minutes left (or late), for display."""
        delta = self.late_by if self.overdue else self.remaining
        return int(delta.total_seconds() // 60)


def deadline_for(report, *, now: datetime) -> Deadline | None:
    """The target this report is running against now, or None when none applies."""
    if report.status == ReportStatus.CLOSED:
        return None
    if report.triaged_at is None:
        target = TRIAGE_TARGETS.get(report.urgency)
        if target is not None:
            return Deadline(kind=TRIAGE, due_at=report.received_at + target, now=now)
        return None
    target = ESCALATION_TARGETS.get(report.urgency)
    if target is not None and report.escalated_at is None and report.status in AWAITING_ESCALATION:
        return Deadline(kind=ESCALATION, due_at=report.received_at + target, now=now)
    return None


def triage_breached(now: datetime) -> Q:
    """Reports past their triage target at `now` (a filter for Report querysets)."""
    condition = Q()
    for urgency, target in TRIAGE_TARGETS.items():
        condition |= Q(urgency=urgency, received_at__lt=now - target)
    return condition & Q(triaged_at__isnull=True) & ~Q(status=ReportStatus.CLOSED)


def escalation_breached(now: datetime) -> Q:
    condition = Q()
    for urgency, target in ESCALATION_TARGETS.items():
        condition |= Q(urgency=urgency, received_at__lt=now - target)
    return (
        condition
        & Q(triaged_at__isnull=False, escalated_at__isnull=True)
        & Q(status__in=AWAITING_ESCALATION)
    )


def breached(now: datetime) -> Q:
    return triage_breached(now) | escalation_breached(now)
