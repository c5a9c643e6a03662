"""Writes of risk and needs assessments and of the individual care plan.

Assessments are repeatable: each one is a new row, the latest counts. A risk assessment sets the
case's risk level (the highest of its four) and the "high risk" flag. A care plan answers one needs
assessment; it is edited while a draft or sent back, then approved through services.workflow.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tumaini.accounts.enums import Role
from tumaini.accounts.models import User
from tumaini.cases.enums import CarePlanStatus, CaseFlag, GoalStatus, NeedType, RiskLevel
from tumaini.cases.models import (
    CarePlan,
    CarePlanGoal,
    Case,
    Need,
    NeedsAssessment,
    RiskAssessment,
)
from tumaini.cases.policies import CASE
from tumaini.cases.services.workflow import record_identity
from tumaini.core import access
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.services import save_versioned

RISK_AREAS = ("physical", "psychological", "health", "security")
GOAL_FIELDS = ("goal", "support_type", "need_type", "services", "owner", "due_on", "status")
EDITABLE_PLAN_STATUSES = (CarePlanStatus.DRAFT, CarePlanStatus.REJECTED)


class AssessmentRefused(ValidationError):
    """A write the rules refuse; the message (or the field errors) say why."""


def _require_update(actor: Any, case: Case) -> None:
    if not access.scoped(actor, CASE, access.UPDATE, Case.objects.filter(pk=case.pk)).exists():
        raise AssessmentRefused(_("You may not change this case."))


def _audit_create(*, actor, request, record, case: Case, fields) -> None:
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        request=request,
        fields_changed=list(fields),
        **record_identity(record, case),
    )


def _not_in_future(day: date) -> None:
    if day > timezone.localdate():
        raise AssessmentRefused({"assessed_on": [_("The date cannot be in the future.")]})


# --- Risk -----------------------------------------------------------------------------------------


def risk_assessment_create(
    *, actor: Any, case: Case, assessed_on: date, request: Any = None, **levels_and_notes: Any
) -> RiskAssessment:
    """Record a risk assessment: `physical`, `psychological`, `health`, `security` (RiskLevel)
    and their `<area>_notes`."""
    _not_in_future(assessed_on)
    values = {}
    for area in RISK_AREAS:
        level = levels_and_notes.get(area)
        if level not in RiskLevel.values:
            raise AssessmentRefused({area: [_("Choose low, medium or high.")]})
        values[area] = level
        values[f"{area}_notes"] = (levels_and_notes.get(f"{area}_notes") or "").strip()
    with transaction.atomic():
        current = Case.objects.select_for_update().get(pk=case.pk)
        _require_update(actor, current)
        assessment = RiskAssessment.objects.create(
            case=current, assessed_on=assessed_on, assessed_by=actor, **values
        )
        _audit_create(
            actor=actor,
            request=request,
            record=assessment,
            case=current,
            fields=["assessed_on", *values.keys()],
        )
        # The newest assessment decides the case's level, even when an older date is entered
        # later: the latest by date wins.
        latest = RiskAssessment.objects.filter(case=current).first()
        overall = latest.overall
        flags = [flag for flag in (current.flags or []) if flag != CaseFlag.HIGH_RISK]
        if overall == RiskLevel.HIGH:
            flags.append(str(CaseFlag.HIGH_RISK))
        save_versioned(
            record=current,
            expected_version=current.version,
            changes={"risk_level": overall, "flags": flags},
            actor=actor,
            request=request,
        )
    return assessment


# --- Needs ----------------------------------------------------------------------------------------


def needs_assessment_create(
    *, actor: Any, case: Case, assessed_on: date, needs: list[dict], request: Any = None
) -> NeedsAssessment:
    """Record a needs assessment: one item per NeedType (type, identified, urgency, notes)."""
    _not_in_future(assessed_on)
    by_type = {item["type"]: item for item in needs}
    if sorted(by_type) != sorted(NeedType.values) or len(needs) != len(NeedType.values):
        raise AssessmentRefused(_("Answer every need exactly once."))
    for item in needs:
        if item.get("urgency") and item["urgency"] not in RiskLevel.values:
            raise AssessmentRefused(_("Urgency is low, medium or high."))
    with transaction.atomic():
        _require_update(actor, case)
        assessment = NeedsAssessment.objects.create(
            case=case, assessed_on=assessed_on, assessed_by=actor
        )
        Need.objects.bulk_create(
            Need(
                assessment=assessment,
                type=need_type,
                identified=bool(by_type[need_type].get("identified")),
                urgency=(by_type[need_type].get("urgency") or "")
                if by_type[need_type].get("identified")
                else "",
                notes=(by_type[need_type].get("notes") or "").strip(),
            )
            for need_type in NeedType.values
        )
        _audit_create(
            actor=actor,
            request=request,
            record=assessment,
            case=case,
            fields=["assessed_on", "needs"],
        )
    return assessment


# --- Care plan ------------------------------------------------------------------------------------


# Staff who deliver care; a fundraiser or the system administrator is never a goal's owner.
CARE_ROLES = (
    Role.CASE_MANAGER,
    Role.DIRECTOR,
    Role.COUNSELLOR,
    Role.MEDICAL_OFFICER,
    Role.LEGAL_OFFICER,
    Role.SHELTER_MANAGER,
)


def responsible_staff(case: Case):
    """Who may be responsible for a goal: active care staff of the case's organisation."""
    return (
        User.objects.filter(
            organisation_id=case.organisation_id,
            is_active=True,
            role_assignments__role__in=CARE_ROLES,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def identified_needs(assessment: NeedsAssessment) -> list[str]:
    return list(
        assessment.needs.filter(identified=True).order_by("id").values_list("type", flat=True)
    )


def _clean_goals(*, case: Case, assessment: NeedsAssessment, goals: list[dict]) -> list[dict]:
    if not goals:
        raise AssessmentRefused(_("A care plan needs at least one goal."))
    allowed_needs = set(identified_needs(assessment))
    staff_ids = set(responsible_staff(case).values_list("pk", flat=True))
    today = timezone.localdate()
    cleaned = []
    for number, goal in enumerate(goals, start=1):
        if not (goal.get("goal") or "").strip():
            raise AssessmentRefused(_("Goal %(n)d: say what the goal is.") % {"n": number})
        if goal.get("need_type") and goal["need_type"] not in allowed_needs:
            raise AssessmentRefused(
                _("Goal %(n)d: the need must be one the needs assessment identified.")
                % {"n": number}
            )
        owner = goal.get("owner")
        if owner is None or owner.pk not in staff_ids:
            raise AssessmentRefused(
                _("Goal %(n)d: the responsible person must be active staff of the organisation.")
                % {"n": number}
            )
        if goal.get("due_on") is None or goal["due_on"] < today:
            raise AssessmentRefused(
                _("Goal %(n)d: the due date cannot be in the past.") % {"n": number}
            )
        cleaned.append(
            {
                "goal": goal["goal"].strip(),
                "support_type": goal["support_type"],
                "need_type": goal.get("need_type") or "",
                "services": (goal.get("services") or "").strip(),
                "owner": owner,
                "due_on": goal["due_on"],
                "status": goal.get("status") or GoalStatus.NOT_STARTED,
            }
        )
    return cleaned


def latest_needs_assessment(case: Case) -> NeedsAssessment | None:
    return NeedsAssessment.objects.filter(case=case).first()


def care_plan_create(
    *, actor: Any, case: Case, summary: str, goals: list[dict], request: Any = None
) -> CarePlan:
    """A new draft care plan answering the case's latest needs assessment."""
    assessment = latest_needs_assessment(case)
    if assessment is None:
        raise AssessmentRefused(
            _("Record a needs assessment first: a care plan answers the needs it identified.")
        )
    cleaned = _clean_goals(case=case, assessment=assessment, goals=goals)
    with transaction.atomic():
        _require_update(actor, case)
        plan = CarePlan.objects.create(
            case=case,
            needs_assessment=assessment,
            summary=(summary or "").strip(),
            created_by=actor,
        )
        CarePlanGoal.objects.bulk_create(CarePlanGoal(plan=plan, **goal) for goal in cleaned)
        _audit_create(
            actor=actor,
            request=request,
            record=plan,
            case=case,
            fields=["summary", "needs_assessment", "goals"],
        )
    return plan


def care_plan_update(
    *,
    actor: Any,
    plan: CarePlan,
    expected_version: int,
    summary: str,
    goals: list[dict],
    request: Any = None,
) -> CarePlan:
    """Edit a draft or sent-back plan (its goals are replaced). An edited sent-back plan becomes a
    draft again, to be sent once more."""
    case = plan.case
    cleaned = _clean_goals(case=case, assessment=plan.needs_assessment, goals=goals)
    with transaction.atomic():
        current = CarePlan.objects.select_for_update().get(pk=plan.pk)
        _require_update(actor, case)
        if current.version != expected_version:
            raise AssessmentRefused(
                _(
                    "Someone else changed this care plan after you opened it. Your changes were "
                    "not saved: open it again."
                )
            )
        if current.status not in EDITABLE_PLAN_STATUSES:
            raise AssessmentRefused(_("Only a draft or a sent-back care plan can be edited."))
        current.summary = (summary or "").strip()
        current.status = CarePlanStatus.DRAFT
        current.version = expected_version + 1
        current.save(update_fields=["summary", "status", "version"])
        current.goals.all().delete()
        CarePlanGoal.objects.bulk_create(CarePlanGoal(plan=current, **goal) for goal in cleaned)
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            fields_changed=["summary", "status", "goals"],
            detail={"version": current.version},
            **record_identity(current, case),
        )
    return current


def goal_status_update(
    *, actor: Any, goal: CarePlanGoal, status: str, request: Any = None
) -> CarePlanGoal:
    """The case manager keeps a goal's progress up to date, whatever the plan's status."""
    if status not in GoalStatus.values:
        raise AssessmentRefused({"status": [_("Choose a status.")]})
    case = goal.plan.case
    with transaction.atomic():
        _require_update(actor, case)
        current = CarePlanGoal.objects.select_for_update().get(pk=goal.pk)
        if current.status == status:
            return current
        current.status = status
        current.save(update_fields=["status"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            fields_changed=["status"],
            **record_identity(current, case),
        )
    return current
