"""Possible duplicate reports: a triager confirms two reports are about the same incident (they
join one group with one primary report), dismisses the suggestion (it is not made again), or takes
a report back out of its group when the confirmation was wrong."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tumaini.core import access
from tumaini.core.access import UPDATE
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.services import VersionConflict
from tumaini.tips.models import DuplicateDismissal, Report
from tumaini.tips.policies import PUBLIC_REPORT
from tumaini.tips.services import ReportRefused


def _both_in_scope(actor, report: Report, other: Report) -> None:
    for record in (report, other):
        access.get_scoped_or_404(actor, PUBLIC_REPORT, UPDATE, Report.objects, pk=record.pk)
    if report.pk == other.pk:
        raise ReportRefused(_("A report cannot be a duplicate of itself."))


def report_incident_confirm(*, actor, report: Report, other: Report, request: Any = None) -> Report:
    """Put both reports (and the groups they are already in) into one group; returns the primary.

    The primary is the earliest report of the two groups, so the group's story starts at the first
    signal.
    """
    _both_in_scope(actor, report, other)
    with transaction.atomic():
        rows = Report.objects.select_for_update().filter(pk__in=[report.pk, other.pk])
        fresh = {r.pk: r for r in rows}
        heads = {(fresh[r.pk].incident_primary_id or r.pk) for r in (report, other)}
        if len(heads) == 1:
            raise ReportRefused(_("These reports are already grouped as one incident."))
        primaries = list(Report.objects.filter(pk__in=heads).order_by("received_at", "pk"))
        primary, joining = primaries[0], primaries[1]
        moved = list(
            Report.objects.select_for_update().filter(
                Q(pk=joining.pk) | Q(incident_primary=joining)
            )
        )
        Report.objects.filter(pk__in=[r.pk for r in moved]).update(
            incident_primary=primary, version=F("version") + 1, updated_at=timezone.now()
        )
        for record in moved:
            audit_record(
                action=AuditAction.UPDATE,
                actor=actor,
                request=request,
                obj=record,
                fields_changed=["incident_primary"],
                detail={"same_incident_as": str(primary.public_id)},
            )
    return primary


def report_duplicate_dismiss(*, actor, report: Report, other: Report, request: Any = None) -> None:
    """Record that the two reports are not about the same thing."""
    _both_in_scope(actor, report, other)
    first, second = sorted((report.pk, other.pk))
    try:
        with transaction.atomic():
            DuplicateDismissal.objects.create(
                first_id=first, second_id=second, dismissed_by=actor, dismissed_at=timezone.now()
            )
            audit_record(
                action=AuditAction.UPDATE,
                actor=actor,
                request=request,
                obj=report,
                fields_changed=["duplicate_suggestions"],
                detail={"not_duplicate_of": str(other.public_id)},
            )
    except IntegrityError:
        pass  # dismissed already (a second click, a second agent): the same outcome


def report_incident_leave(
    *, actor, report: Report, expected_version: int, request: Any = None
) -> Report | None:
    """Take the report out of its incident group ("not the same incident"); returns the group's
    primary afterwards (None when no group is left).

    Allowed to whoever may confirm a group. When the primary itself leaves, the earliest remaining
    report becomes the primary (the rule confirming uses), so the others stay one group. Each pair of
    the leaving report and a remaining one is recorded as dismissed: the suggestion that led to the
    wrong confirmation does not come back.
    """
    access.get_scoped_or_404(actor, PUBLIC_REPORT, UPDATE, Report.objects, pk=report.pk)
    with transaction.atomic():
        current = Report.objects.select_for_update().get(pk=report.pk)
        if current.version != expected_version:
            raise VersionConflict(current)
        head = current.incident_primary_id or current.pk
        group = list(
            Report.objects.select_for_update()
            .filter(Q(pk=head) | Q(incident_primary_id=head))
            .order_by("received_at", "pk")
        )
        remaining = [r for r in group if r.pk != current.pk]
        if not remaining:
            raise ReportRefused(_("This report is not grouped with another report."))
        now = timezone.now()
        Report.objects.filter(pk=current.pk).update(
            incident_primary=None, version=F("version") + 1, updated_at=now
        )
        left_from = head if head != current.pk else remaining[0].pk
        primary = next(r for r in remaining if r.pk == left_from)
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            obj=current,
            fields_changed=["incident_primary"],
            detail={"left_incident_of": str(primary.public_id)},
        )
        if head == current.pk:
            # The primary left: the earliest remaining report leads the group now.
            moved = remaining
            Report.objects.filter(pk=primary.pk).update(
                incident_primary=None, version=F("version") + 1, updated_at=now
            )
            Report.objects.filter(pk__in=[r.pk for r in moved if r.pk != primary.pk]).update(
                incident_primary=primary, version=F("version") + 1, updated_at=now
            )
            for record in moved:
                audit_record(
                    action=AuditAction.UPDATE,
                    actor=actor,
                    request=request,
                    obj=record,
                    fields_changed=["incident_primary"],
                    detail={"same_incident_as": str(primary.public_id)}
                    if record.pk != primary.pk
                    else {"became_primary_after": str(current.public_id)},
                )
        DuplicateDismissal.objects.bulk_create(
            [
                DuplicateDismissal(
                    first_id=min(current.pk, other.pk),
                    second_id=max(current.pk, other.pk),
                    dismissed_by=actor,
                    dismissed_at=now,
                )
                for other in remaining
            ],
            ignore_conflicts=True,
        )
    return primary if len(remaining) > 1 else None
