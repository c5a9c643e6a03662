"""Reads of risk and needs assessments and care plans. The case itself is always fetched first
through selectors.case (scoped, and audited when viewed); these read what belongs to it."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Window
from django.shortcuts import get_object_or_404

from tumaini.cases.enums import CarePlanStatus
from tumaini.cases.models import CarePlan, CarePlanGoal, Case, Need, NeedsAssessment, RiskAssessment
from tumaini.cases.selectors.case import case_allows
from tumaini.cases.services.assessments import EDITABLE_PLAN_STATUSES
from tumaini.core import access


def may_update_case(*, user: Any, case: Case) -> bool:
    # Remembered on the case: the case page asks it for several parts.
    return case_allows(user=user, case=case, action=access.UPDATE)


def risk_assessments_of(*, case: Case):
    return RiskAssessment.objects.filter(case=case).select_related("assessed_by")


def needs_assessments_of(*, case: Case):
    return (
        NeedsAssessment.objects.filter(case=case)
        .select_related("assessed_by")
        .prefetch_related(Prefetch("needs", queryset=Need.objects.order_by("id")))
    )


def care_plans_of(*, case: Case):
    return (
        CarePlan.objects.filter(case=case)
        .select_related("created_by", "approved_by", "needs_assessment")
        .prefetch_related(Prefetch("goals", queryset=CarePlanGoal.objects.select_related("owner")))
    )


def current_care_plan(*, case: Case) -> CarePlan | None:
    """The plan in force (approved), else the newest one being prepared."""
    plans = care_plans_of(case=case).exclude(status=CarePlanStatus.SUPERSEDED)
    return plans.filter(status=CarePlanStatus.APPROVED).first() or plans.first()


def care_plan_of_case(*, case: Case, public_id) -> CarePlan:
    return get_object_or_404(care_plans_of(case=case), public_id=public_id)


def goal_of_plan(*, plan: CarePlan, public_id) -> CarePlanGoal:
    return get_object_or_404(
        CarePlanGoal.objects.select_related("plan"), plan=plan, public_id=public_id
    )


def plan_is_editable(plan: CarePlan) -> bool:
    return plan.status in EDITABLE_PLAN_STATUSES


# --- Parts of the case page -------------------------------------------------------------------------


def _latest_and_count(assessments) -> tuple[Any, int]:
    """The first row and how many rows there are, in one query (a window count over the rows)."""
    latest = assessments.annotate(rows_in_all=Window(Count("pk"))).first()
    return latest, (latest.rows_in_all if latest is not None else 0)


def _needs_assessment_count(case: Case) -> int:
    # Remembered on the case: the needs part counts them, the care plan part asks whether any.
    if "_needs_assessment_count" not in case.__dict__:
        _latest_and_count_needs(case)
    return case.__dict__["_needs_assessment_count"]


def _latest_and_count_needs(case: Case):
    latest, count = _latest_and_count(needs_assessments_of(case=case))
    case.__dict__["_needs_assessment_count"] = count
    return latest, count


def risk_part(*, user: Any, case: Case) -> dict:
    latest, count = _latest_and_count(risk_assessments_of(case=case))
    return {
        "latest": latest,
        "count": count,
        "can_update": may_update_case(user=user, case=case),
    }


def needs_part(*, user: Any, case: Case) -> dict:
    latest, count = _latest_and_count_needs(case)
    return {
        "latest": latest,
        "identified": [need for need in latest.needs.all() if need.identified] if latest else [],
        "count": count,
        "can_update": may_update_case(user=user, case=case),
    }


def care_plan_part(*, user: Any, case: Case) -> dict:
    # Every plan of the case at once (a case has a handful), the current one picked here as
    # current_care_plan does: the one approved, else the newest not superseded.
    plans = list(care_plans_of(case=case))
    live = [plan for plan in plans if plan.status != CarePlanStatus.SUPERSEDED]
    plan = next((p for p in live if p.status == CarePlanStatus.APPROVED), None) or next(
        iter(live), None
    )
    return {
        "plan": plan,
        "editable": plan is not None and plan_is_editable(plan),
        "has_needs_assessment": _needs_assessment_count(case) > 0,
        "count": len(plans),
        "can_update": may_update_case(user=user, case=case),
    }
