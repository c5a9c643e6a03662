"""The case workflow: stage transitions (one service, one declared table) and supervisor approvals.

Every stage change goes through `case_transition`: it checks the table, the preconditions, the
actor's right to update the case and the case version (optimistic lock), then writes the stage,
its StageChange row, the audit event and the notifications in one transaction.

Approvals (a care plan, a closure) are requested by the case manager and decided by a director who
is not the requester; approving moves the case on through `case_transition`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tumaini.accounts.enums import Role
from tumaini.accounts.models import User
from tumaini.cases.enums import (
    ApprovalKind,
    ApprovalStatus,
    CarePlanStatus,
    CaseStage,
    ClosureReason,
    TraffickingDecision,
)
from tumaini.cases.models import (
    ApprovalRequest,
    CarePlan,
    Case,
    NeedsAssessment,
    Notification,
    RiskAssessment,
    Screening,
    StageChange,
)
from tumaini.cases.policies import APPROVE, CASE
from tumaini.core import access
from tumaini.core.services import VersionConflict, save_versioned


class WorkflowRefused(ValidationError):
    """A transition or an approval step that may not happen now; the message says why."""


# --- The transition table -------------------------------------------------------------------------

S = CaseStage

# Where a case may go from each stage by a button on the stage panel. CLOSED is reached only by an
# approved closure (its precondition), and leaving CLOSED is a reopening (see REOPEN_TARGETS).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.SCREENING: (S.PROTECTION, S.ASSESSMENT),
    S.PROTECTION: (S.ASSESSMENT,),
    S.ASSESSMENT: (S.CARE_PLANNING,),
    S.CARE_PLANNING: (S.ASSISTANCE,),
    S.ASSISTANCE: (S.REINTEGRATION, S.FOLLOW_UP),
    S.REINTEGRATION: (S.FOLLOW_UP, S.ASSISTANCE),
    S.FOLLOW_UP: (S.REINTEGRATION, S.ASSISTANCE),
    S.CLOSED: (),
}
# Any open stage may be closed, but only through an approved closure request.
CLOSABLE_FROM = tuple(stage for stage in S.values if stage != S.CLOSED)
# A reopened case goes back to assessment, or to a stage the director or case manager chooses.
REOPEN_TARGETS: tuple[str, ...] = (
    S.ASSESSMENT,
    S.PROTECTION,
    S.CARE_PLANNING,
    S.ASSISTANCE,
    S.REINTEGRATION,
    S.FOLLOW_UP,
)
DECIDED = (TraffickingDecision.POSSIBLE, TraffickingDecision.ACTUAL)


def _has_decided_screening(case: Case) -> bool:
    return Screening.objects.filter(case=case, decision__in=DECIDED).exists()


def _has_needs_assessment(case: Case) -> bool:
    return NeedsAssessment.objects.filter(case=case).exists()


def _has_risk_assessment(case: Case) -> bool:
    return RiskAssessment.objects.filter(case=case).exists()


def _has_approved_care_plan(case: Case) -> bool:
    return CarePlan.objects.filter(case=case, status=CarePlanStatus.APPROVED).exists()


def _closure_approved(case: Case) -> bool:
    """An approved closure not used yet: decided after the case's last stage change."""
    approval = (
        ApprovalRequest.objects.filter(
            case=case, kind=ApprovalKind.CLOSURE, status=ApprovalStatus.APPROVED
        )
        .order_by("-decided_at")
        .first()
    )
    if approval is None:
        return False
    last_change = case.stage_changes.order_by("-changed_at", "-id").first()
    return last_change is None or approval.decided_at >= last_change.changed_at


@dataclass(frozen=True)
class Precondition:
    check: Callable[[Case], bool]
    # Shown as "needs: <missing>" beside the stage's button.
    missing: Any


PRECONDITIONS: dict[str, tuple[Precondition, ...]] = {
    S.ASSESSMENT: (
        Precondition(
            _has_decided_screening,
            gettext_lazy("a screening decided as possible or actual victim"),
        ),
    ),
    S.CARE_PLANNING: (
        Precondition(_has_needs_assessment, gettext_lazy("a needs assessment")),
        Precondition(_has_risk_assessment, gettext_lazy("a risk assessment")),
    ),
    S.ASSISTANCE: (Precondition(_has_approved_care_plan, gettext_lazy("an approved care plan")),),
    S.CLOSED: (Precondition(_closure_approved, gettext_lazy("an approved closure request")),),
}


def missing_for(case: Case, to_stage: str) -> list[str]:
    """What the case still lacks before it may enter `to_stage` (empty: nothing)."""
    return [str(p.missing) for p in PRECONDITIONS.get(to_stage, ()) if not p.check(case)]


def next_stages(case: Case) -> tuple[str, ...]:
    return TRANSITIONS.get(case.stage, ())


def may_reopen(*, actor: Any, case: Case) -> bool:
    """A closed case is reopened by a director (approve right on it) or by its case manager."""
    if case.stage != S.CLOSED:
        return False
    if case.assigned_to_id and case.assigned_to_id == actor.pk:
        return True
    return access.scoped(actor, CASE, APPROVE, Case.objects.filter(pk=case.pk)).exists()


def actor_may_update(actor: Any, case: Case) -> bool:
    return access.scoped(actor, CASE, access.UPDATE, Case.objects.filter(pk=case.pk)).exists()


def case_transition(
    *, actor: Any, case: Case, to_stage: str, comment: str = "", request: Any = None
) -> Case:
    """Move `case` to `to_stage`. `case.version` is the version the actor saw: if the case changed
    since, nothing happens (WorkflowRefused). Returns the case at its new version."""
    comment = (comment or "").strip()
    if to_stage not in S.values:
        raise WorkflowRefused(_("There is no such stage."))
    with transaction.atomic():
        current = Case.objects.select_for_update().get(pk=case.pk)
        if not actor_may_update(actor, current):
            raise WorkflowRefused(_("You may not change the stage of this case."))
        if current.version != case.version:
            raise WorkflowRefused(
                _(
                    "Someone else changed this case after you opened it. Nothing was changed: "
                    "look at the case again and retry."
                )
            )
        from_stage = current.stage
        if to_stage == from_stage:
            raise WorkflowRefused(_("The case is already at this stage."))
        changes: dict[str, Any] = {"stage": to_stage}
        if from_stage == S.CLOSED:
            if to_stage not in REOPEN_TARGETS:
                raise WorkflowRefused(_("A closed case cannot be reopened to this stage."))
            if not may_reopen(actor=actor, case=current):
                raise WorkflowRefused(
                    _("Only a director or the case manager may reopen a closed case.")
                )
            if not comment:
                raise WorkflowRefused(_("Say why the case is reopened."))
            changes["closed_at"] = None
            changes["closure_reason"] = ""
        elif to_stage == S.CLOSED:
            if from_stage not in CLOSABLE_FROM:
                raise WorkflowRefused(_("This case cannot be closed from its stage."))
        elif to_stage not in TRANSITIONS.get(from_stage, ()):
            raise WorkflowRefused(
                _("A case cannot go from “%(from)s” to “%(to)s”.")
                % {"from": S(from_stage).label, "to": S(to_stage).label}
            )
        missing = missing_for(current, to_stage)
        if missing:
            raise WorkflowRefused(
                _("The case cannot move to “%(to)s” yet. It needs: %(missing)s.")
                % {"to": S(to_stage).label, "missing": "; ".join(missing)}
            )
        try:
            saved = save_versioned(
                record=current,
                expected_version=case.version,
                changes=changes,
                actor=actor,
                request=request,
            )
        except VersionConflict as conflict:
            raise WorkflowRefused(str(conflict)) from None
        StageChange.objects.create(
            case=saved, from_stage=from_stage, to_stage=to_stage, changed_by=actor, comment=comment
        )
        _follow_ups_if_leaving(actor=actor, case=saved, to_stage=to_stage, request=request)
        if saved.assigned_to_id and saved.assigned_to_id != actor.pk:
            notify(
                recipients=[saved.assigned_to],
                case=saved,
                message=_("Case %(number)s moved to the stage “%(stage)s”.")
                % {"number": saved.case_number, "stage": S(to_stage).label},
            )
    return saved


# Leaving the centre's care: these stages, or a closure for these reasons, start the follow-ups at
# 1, 3, 6 and 12 months (care app). The closure reasons are also the care app's leaving reasons.
LEAVING_STAGES = (S.REINTEGRATION, S.FOLLOW_UP)
LEAVING_CLOSURE_REASONS = (ClosureReason.REINTEGRATED, ClosureReason.REPATRIATED)


def _follow_ups_if_leaving(*, actor: Any, case: Case, to_stage: str, request: Any) -> None:
    if to_stage in LEAVING_STAGES:
        reason = ClosureReason.REINTEGRATED
    elif to_stage == S.CLOSED and case.closure_reason in LEAVING_CLOSURE_REASONS:
        reason = ClosureReason(case.closure_reason)
    else:
        return
    # Imported here: the care app builds on cases, not the other way round.
    from tumaini.care.services.follow_ups import followups_schedule_after_leaving

    followups_schedule_after_leaving(
        user=actor, case=case, left_on=timezone.localdate(), reason=reason.value, request=request
    )


def record_identity(record: Any, case: Case) -> dict:
    """How an audit event names a record that belongs to a case (and so to its organisation)."""
    return {
        "object_type": record._meta.label_lower,
        "object_id": str(getattr(record, "public_id", None) or record.pk),
        "object_organisation_id": case.organisation_id,
    }


# --- Notifications --------------------------------------------------------------------------------


def notify(*, recipients, case: Case | None, message: str) -> list[Notification]:
    """One notification per recipient. The message names the case number, never the survivor."""
    seen: set[int] = set()
    rows = []
    for recipient in recipients:
        if recipient.pk in seen:
            continue
        seen.add(recipient.pk)
        rows.append(Notification(recipient=recipient, case=case, message=message[:300]))
    return Notification.objects.bulk_create(rows)


def notification_mark_read(*, user: Any, public_id=None) -> int:
    """Mark one of the user's notifications (or all of them) read; never anyone else's."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if public_id is not None:
        unread = unread.filter(public_id=public_id)
    return unread.update(read_at=timezone.now())


def directors_of(case: Case, *, exclude: Any = None):
    directors = User.objects.filter(
        organisation_id=case.organisation_id,
        is_active=True,
        role_assignments__role=Role.DIRECTOR,
    ).distinct()
    if exclude is not None:
        directors = directors.exclude(pk=exclude.pk)
    return directors


# --- Approvals ------------------------------------------------------------------------------------

# A care plan can be sent while the case is being planned, or later to revise the plan.
