"""Reads of the workflow: the stage panel, the approvals queue, notifications."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tumaini.cases.enums import ApprovalStatus, CaseStage
from tumaini.cases.models import ApprovalRequest, Case, Notification, StageChange
from tumaini.cases.policies import APPROVE, CASE
from tumaini.cases.selectors.case import case_allows
from tumaini.cases.services import workflow as rules
from tumaini.core import access

STAGE_HISTORY_LIMIT = 20
HOME_NOTIFICATIONS_LIMIT = 10


def stage_panel(*, user: Any, case: Case) -> dict:
    """The current stage, the journey so far, the stages it may go to next and what each lacks."""
    order = list(CaseStage.values)
    position = order.index(case.stage)
    # A stage counts as done only if the case went through it: skipping "immediate protection"
    # (no shelter needed) must not show it as done.
    visited = set(StageChange.objects.filter(case=case).values_list("to_stage", flat=True))
    visited.add(CaseStage.SCREENING)

    def state(index: int, stage: str) -> str:
        if stage == case.stage:
            return "current"
        if index > position:
            return "upcoming"
        return "done" if stage in visited else "skipped"

    progress = [
        {"stage": stage, "label": CaseStage(stage).label, "state": state(index, stage)}
        for index, stage in enumerate(order)
    ]
    can_update = case_allows(user=user, case=case, action=access.UPDATE)
    options = [
        {"stage": stage, "label": CaseStage(stage).label, "missing": rules.missing_for(case, stage)}
        for stage in rules.next_stages(case)
    ]
    pending = list(
        ApprovalRequest.objects.filter(case=case, status=ApprovalStatus.PENDING)
        .select_related("requested_by")
        .order_by("requested_at")
    )
    history = list(
        StageChange.objects.filter(case=case)
        .select_related("changed_by")
        .order_by("-changed_at", "-id")[:STAGE_HISTORY_LIMIT]
    )
    closed = case.stage == CaseStage.CLOSED
    return {
        "stage_label": CaseStage(case.stage).label,
        "progress": progress,
        "options": options if can_update else [],
        "can_update": can_update,
        "can_reopen": can_update and rules.may_reopen(actor=user, case=case),
        "reopen_targets": [(s, CaseStage(s).label) for s in rules.REOPEN_TARGETS],
        "can_request_closure": can_update
        and not closed
        and not any(a.kind == "closure" for a in pending),
        "pending": pending,
        "history": history,
    }


def approvals_queryset(*, user: Any) -> QuerySet:
    """Requests on cases the user may approve (their organisation for a director)."""
    cases = access.scoped(user, CASE, APPROVE, Case.objects.all())
    return ApprovalRequest.objects.filter(case__in=cases.values("pk")).select_related(
        "case", "requested_by", "care_plan"
    )


def approvals_pending(*, user: Any) -> QuerySet:
    access.require(user, CASE, APPROVE)
    return (
        approvals_queryset(user=user)
        .filter(status=ApprovalStatus.PENDING)
        .order_by("requested_at", "id")
    )


def approvals_waiting_count(*, user: Any) -> int:
    """Pending requests the user could decide (not their own)."""
    return (
        approvals_queryset(user=user)
        .filter(status=ApprovalStatus.PENDING)
        .exclude(requested_by=user)
        .count()
    )


def approval_for_decision(*, user: Any, public_id) -> ApprovalRequest:
    """One request on a case the user may approve; 404 for anyone else."""
    access.require(user, CASE, APPROVE)
    return get_object_or_404(
        approvals_queryset(user=user).select_related("decided_by", "case__organisation"),
        public_id=public_id,
    )


def unread_notifications(*, user: Any) -> QuerySet:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).select_related("case")
