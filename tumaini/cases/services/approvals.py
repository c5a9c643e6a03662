"""Supervisor approvals: sending a care plan or a closure for approval, and deciding it.

Stage changes that follow an approval go through `workflow.case_transition`, like every other.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tumaini.cases.enums import (
    ApprovalKind,
    ApprovalStatus,
    CarePlanStatus,
    ClosureReason,
)
from tumaini.cases.models import (
    ApprovalRequest,
    CarePlan,
    Case,
)
from tumaini.cases.policies import APPROVE, CASE
from tumaini.cases.services.workflow import (
    S,
    WorkflowRefused,
    actor_may_update,
    case_transition,
    directors_of,
    notify,
    record_identity,
)
from tumaini.core import access
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.services import save_versioned

PLAN_SUBMITTABLE_STAGES = (S.CARE_PLANNING, S.ASSISTANCE, S.REINTEGRATION, S.FOLLOW_UP)


def _create_approval(**values) -> ApprovalRequest:
    try:
        with transaction.atomic():
            return ApprovalRequest.objects.create(**values)
    except IntegrityError:
        # The database keeps one pending request per case and kind.
        raise WorkflowRefused(
            _("A request of this kind is already waiting for a decision on this case.")
        ) from None


def care_plan_submit(
    *, actor: Any, plan: CarePlan, expected_version: int, comment: str = "", request: Any = None
) -> ApprovalRequest:
    """Send a draft (or sent-back) care plan to the directors for approval."""
    with transaction.atomic():
        current = CarePlan.objects.select_for_update().select_related("case").get(pk=plan.pk)
        case = current.case
        if not actor_may_update(actor, case):
            raise WorkflowRefused(_("You may not change this case."))
        if current.version != expected_version:
            raise WorkflowRefused(
                _("Someone else changed this care plan after you opened it. Nothing was sent.")
            )
        if current.status not in (CarePlanStatus.DRAFT, CarePlanStatus.REJECTED):
            raise WorkflowRefused(_("Only a draft or a sent-back care plan can be sent."))
        if case.stage not in PLAN_SUBMITTABLE_STAGES:
            raise WorkflowRefused(
                _("Move the case to the care plan stage before sending its care plan.")
            )
        if not current.goals.exists():
            raise WorkflowRefused(_("Add at least one goal before sending the care plan."))
        approval = _create_approval(
            case=case,
            kind=ApprovalKind.CARE_PLAN,
            care_plan=current,
            requested_by=actor,
            request_comment=(comment or "").strip(),
        )
        save_versioned(
            record=current,
            expected_version=expected_version,
            changes={"status": CarePlanStatus.PENDING_APPROVAL},
            actor=actor,
            request=request,
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            **record_identity(approval, case),
            fields_changed=["kind", "care_plan", "request_comment"],
        )
        notify(
            recipients=directors_of(case, exclude=actor),
            case=case,
            message=_("Case %(number)s: a care plan is waiting for your approval.")
            % {"number": case.case_number},
        )
    return approval


def closure_request(
    *,
    actor: Any,
    case: Case,
    reason: str,
    notes: str = "",
    comment: str = "",
    request: Any = None,
) -> ApprovalRequest:
    """Ask the directors to close the case. The notes (encrypted) wait on the case itself, since
    the request's own text fields are not encrypted."""
    if reason not in ClosureReason.values:
        raise WorkflowRefused(_("Choose a reason for closing the case."))
    with transaction.atomic():
        current = Case.objects.select_for_update().get(pk=case.pk)
        if not actor_may_update(actor, current):
            raise WorkflowRefused(_("You may not change this case."))
        if current.stage == S.CLOSED:
            raise WorkflowRefused(_("This case is already closed."))
        approval = _create_approval(
            case=current,
            kind=ApprovalKind.CLOSURE,
            closure_reason=reason,
            requested_by=actor,
            request_comment=(comment or "").strip(),
        )
        save_versioned(
            record=current,
            expected_version=current.version,
            changes={"closure_notes": (notes or "").strip()},
            actor=actor,
            request=request,
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            **record_identity(approval, current),
            fields_changed=["kind", "closure_reason", "request_comment"],
        )
        notify(
            recipients=directors_of(current, exclude=actor),
            case=current,
            message=_("Case %(number)s: a closure is waiting for your approval.")
            % {"number": current.case_number},
        )
    return approval


def approval_decide(
    *,
    actor: Any,
    approval: ApprovalRequest,
    approve: bool,
    comment: str = "",
    request: Any = None,
) -> ApprovalRequest:
    """A director approves or rejects a pending request (never their own)."""
    comment = (comment or "").strip()
    if not approve and not comment:
        raise WorkflowRefused({"comment": [_("Say why the request is rejected.")]})
    with transaction.atomic():
        current = (
            # Only the request row is locked: the care plan join is an outer one.
            ApprovalRequest.objects.select_for_update(of=("self",))
            .select_related("case", "care_plan", "requested_by")
            .get(pk=approval.pk)
        )
        case = current.case
        if not access.scoped(actor, CASE, APPROVE, Case.objects.filter(pk=case.pk)).exists():
            raise WorkflowRefused(_("You may not decide requests on this case."))
        if current.requested_by_id == actor.pk:
            raise WorkflowRefused(_("You cannot decide your own request: another director must."))
        if current.status != ApprovalStatus.PENDING:
            raise WorkflowRefused(_("This request has already been decided."))
        now = timezone.now()
        current.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
        current.decided_by = actor
        current.decided_at = now
        current.decision_comment = comment
        current.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            **record_identity(current, case),
            fields_changed=["status", "decided_by", "decided_at", "decision_comment"],
            detail={"decision": current.status},
        )
        if current.kind == ApprovalKind.CARE_PLAN:
            _decide_care_plan(actor=actor, approval=current, approve=approve, request=request)
        else:
            _decide_closure(actor=actor, approval=current, approve=approve, request=request)
        number = case.case_number
        if current.kind == ApprovalKind.CARE_PLAN:
            message = (
                _("Case %(number)s: your care plan was approved.")
                if approve
                else _("Case %(number)s: your care plan was sent back: %(comment)s")
            )
        else:
            message = (
                _("Case %(number)s: the closure was approved; the case is closed.")
                if approve
                else _("Case %(number)s: the closure was refused: %(comment)s")
            )
        notify(
            recipients=[current.requested_by],
            case=case,
            message=message % {"number": number, "comment": comment},
        )
    return current


def _decide_care_plan(*, actor, approval: ApprovalRequest, approve: bool, request) -> None:
    plan = CarePlan.objects.select_for_update().get(pk=approval.care_plan_id)
    case = approval.case
    if not approve:
        save_versioned(
            record=plan,
            expected_version=plan.version,
            changes={"status": CarePlanStatus.REJECTED},
            actor=actor,
            request=request,
        )
        return
    for previous in CarePlan.objects.filter(case=case, status=CarePlanStatus.APPROVED).exclude(
        pk=plan.pk
    ):
        save_versioned(
            record=previous,
            expected_version=previous.version,
            changes={"status": CarePlanStatus.SUPERSEDED},
            actor=actor,
            request=request,
        )
    save_versioned(
        record=plan,
        expected_version=plan.version,
        changes={
            "status": CarePlanStatus.APPROVED,
            "approved_by": actor,
            "approved_at": timezone.now(),
        },
        actor=actor,
        request=request,
    )
    fresh = Case.objects.get(pk=case.pk)
    if fresh.stage == S.CARE_PLANNING:
        case_transition(
            actor=actor,
            case=fresh,
            to_stage=S.ASSISTANCE,
            comment=_("Care plan approved."),
            request=request,
        )


def _decide_closure(*, actor, approval: ApprovalRequest, approve: bool, request) -> None:
    fresh = Case.objects.select_for_update().get(pk=approval.case_id)
    if not approve:
        return
    if fresh.stage == S.CLOSED:
        raise WorkflowRefused(_("This case is already closed."))
    closed = save_versioned(
        record=fresh,
        expected_version=fresh.version,
        changes={"closed_at": timezone.now(), "closure_reason": approval.closure_reason},
        actor=actor,
        request=request,
    )
    case_transition(
        actor=actor,
        case=closed,
        to_stage=S.CLOSED,
        comment=_("Closure approved: %(reason)s")
        % {"reason": ClosureReason(approval.closure_reason).label},
        request=request,
    )
