"""Follow-ups after a survivor leaves: scheduled once per leaving, recorded, overdue ones notified."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tumaini.care.enums import FOLLOW_UP_MONTHS, LeavingReason
from tumaini.care.models import FollowUp
from tumaini.care.policies import FOLLOW_UP
from tumaini.care.selectors.scope import case_in_care_scope
from tumaini.cases.enums import CaseStage
from tumaini.cases.models import Case, StageChange
from tumaini.core.access import UPDATE
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.services import save_versioned

# Stages at which the survivor is (back) in the centre's services: moving to one of them ends a
# leaving, so a later leaving gets its own follow-ups.
IN_SERVICES_STAGES = (
    CaseStage.SCREENING,
    CaseStage.PROTECTION,
    CaseStage.ASSESSMENT,
    CaseStage.CARE_PLANNING,
    CaseStage.ASSISTANCE,
)


class FollowUpRefused(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def followups_schedule_after_leaving(
    *, user: Any, case: Case, left_on: date, reason: str, request: Any = None
) -> list[FollowUp]:
    """Schedule the follow-ups at 1, 3, 6 and 12 months after `left_on`; returns them.

    Called when the survivor leaves: the case moves to return/reintegration or follow-up, or is
    closed as reintegrated or repatriated (`cases.services.workflow`), or the shelter discharges
    them (`reason="discharged"`). `user` is who made the leaving happen; the caller has already
    checked they may. Idempotent: while the case has not gone back into services since its last
    set was scheduled, a second call returns that set and creates nothing. Audited on the case.
    """
    if reason not in LeavingReason.values:
        raise ValueError(f"unknown leaving reason {reason!r}")
    with transaction.atomic():
        # The case row lock serialises two leavings of the same case (shelter and workflow).
        locked = Case.objects.select_for_update().get(pk=case.pk)
        existing = FollowUp.objects.filter(case=locked)
        back_in_services = (
            StageChange.objects.filter(case=locked, to_stage__in=IN_SERVICES_STAGES)
            .order_by("-changed_at")
            .values_list("changed_at", flat=True)
            .first()
        )
        if back_in_services is not None:
            existing = existing.filter(created_at__gt=back_in_services)
        latest = existing.order_by("-created_at").first()
        if latest is not None:
            return list(FollowUp.objects.filter(case=locked, left_on=latest.left_on))
        follow_ups = FollowUp.objects.bulk_create(
            FollowUp(
                case=locked,
                organisation_id=locked.organisation_id,
                left_on=left_on,
                leaving_reason=reason,
                months=months,
                due_on=add_months(left_on, months),
                scheduled_by=user,
            )
            for months in FOLLOW_UP_MONTHS
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=user,
            request=request,
            obj=locked,
            fields_changed=["follow_ups"],
            detail={
                "follow_ups": len(follow_ups),
                "left_on": left_on.isoformat(),
                "reason": reason,
            },
        )
    return follow_ups


# The answers a follow-up needs once contact was made.
ANSWERS_WHEN_CONTACTED = (
    "contact_method",
    "contacted_on",
    "wellbeing",
    "safety",
    "livelihood",
    "re_trafficked",
)


def followup_record(
    *, actor: Any, follow_up: FollowUp, expected_version: int, answers: dict, request=None
) -> FollowUp:
    """Record (or correct) what a follow-up found. Raises VersionConflict on a stale form."""
    case = follow_up.case
    if not case_in_care_scope(user=actor, resource=FOLLOW_UP.name, action=UPDATE, case=case):
        raise FollowUpRefused(_("You may not record follow-ups on this case."))
    if answers.get("contact_made") is None:
        raise FollowUpRefused(_("Say whether contact was made."), "contact_made")
    if answers["contact_made"]:
        for name in ANSWERS_WHEN_CONTACTED:
            if not answers.get(name):
                raise FollowUpRefused(_("This answer is needed when contact was made."), name)
    contacted_on = answers.get("contacted_on")
    if contacted_on and contacted_on > timezone.localdate():
        raise FollowUpRefused(_("The contact cannot be in the future."), "contacted_on")
    changes = {name: answers.get(name, "") for name in ANSWERS_WHEN_CONTACTED}
    changes["contacted_on"] = contacted_on
    for name in ("wellbeing_notes", "safety_notes", "livelihood_notes"):
        changes[name] = (answers.get(name) or "").strip()
    changes["contact_made"] = answers["contact_made"]
    changes["recorded_by"] = actor
    if follow_up.recorded_at is None:
        changes["recorded_at"] = timezone.now()
    return save_versioned(
        record=follow_up,
        expected_version=expected_version,
        changes=changes,
        actor=actor,
        request=request,
    )


def followups_notify_overdue(*, today: date | None = None) -> int:
    """Tell each overdue follow-up's case manager (once per follow-up); returns how many."""
    from tumaini.cases.services.workflow import notify

    today = today or timezone.localdate()
    overdue = (
        FollowUp.objects.filter(
            due_on__lt=today, recorded_at__isnull=True, overdue_notified_at__isnull=True
        )
        .select_related("case__assigned_to")
        .order_by("due_on", "id")
    )
    told = 0
    for follow_up in overdue[:500]:
        with transaction.atomic():
            # The conditional update claims the follow-up: two runs never notify it twice.
            claimed = FollowUp.objects.filter(
                pk=follow_up.pk, overdue_notified_at__isnull=True
            ).update(overdue_notified_at=timezone.now())
            if not claimed:
                continue
            case = follow_up.case
            if case.assigned_to_id and case.assigned_to.is_active:
                notify(
                    recipients=[case.assigned_to],
                    case=case,
                    message=_("Case %(number)s: the %(months)s-month follow-up was due on %(due)s.")
                    % {
                        "number": case.case_number,
                        "months": follow_up.months,
                        "due": follow_up.due_on.isoformat(),
                    },
                )
            told += 1
    return told
