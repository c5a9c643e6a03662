"""Services delivered to a survivor, and the service catalogue."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Sum

from tumaini.care.models import ServiceDelivery, ServiceOffering
from tumaini.care.policies import CARE_DELIVERY, SERVICE_CATALOGUE
from tumaini.care.selectors.scope import scoped_care_records
from tumaini.cases.enums import CarePlanStatus
from tumaini.cases.models import CarePlanGoal
from tumaini.core import access
from tumaini.core.access import VIEW
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction

PAGE_SIZE = 25


def deliveries_queryset(*, user: Any, action: str = VIEW):
    return scoped_care_records(
        user=user,
        resource=CARE_DELIVERY.name,
        action=action,
        queryset=ServiceDelivery.objects.select_related(
            "offering__provider", "delivered_by", "goal"
        ),
    )


def deliveries_of_case(*, user: Any, case: Any, page_number=1, request=None) -> dict:
    """One page of the case's deliveries, newest first, with totals; the look is audited."""
    deliveries = deliveries_queryset(user=user).filter(case=case)
    with transaction.atomic():
        page = Paginator(deliveries.order_by("-delivered_on", "-id"), PAGE_SIZE).get_page(
            page_number
        )
        rows = list(page.object_list)
        audit_record(
            action=AuditAction.VIEW,
            actor=user,
            request=request,
            obj=case,
            detail={"part": "deliveries", "page": page.number, "rows": len(rows)},
        )
    totals = deliveries.aggregate(count=Count("id"), cost=Sum("cost_kes"))
    return {
        "page": page,
        "deliveries": rows,
        "total_count": totals["count"],
        "total_cost": totals["cost"] or 0,
    }


def recent_deliveries_of_case(*, user: Any, case: Any, limit: int = 5) -> dict:
    """For the case page part (the case page writes its own view event)."""
    deliveries = deliveries_queryset(user=user).filter(case=case)
    totals = deliveries.aggregate(count=Count("id"), cost=Sum("cost_kes"))
    return {
        "deliveries": list(deliveries.order_by("-delivered_on", "-id")[:limit]),
        "total_count": totals["count"],
        "total_cost": totals["cost"] or 0,
    }


def goals_of_case(*, case: Any):
    """Goals a delivery may serve: those of the case's plans still in force or in preparation."""
    return (
        CarePlanGoal.objects.filter(plan__case=case)
        .exclude(plan__status__in=(CarePlanStatus.SUPERSEDED, CarePlanStatus.REJECTED))
        .select_related("plan")
        .order_by("due_on", "id")
    )


def catalogue_of(*, user: Any, active_only: bool = False):
    """The user's organisation's catalogue (empty for users without the right to see it)."""
    offerings = access.scoped(
        user, SERVICE_CATALOGUE, VIEW, ServiceOffering.objects.select_related("provider")
    ).filter(organisation_id=user.organisation_id)
    if active_only:
        offerings = offerings.filter(is_active=True)
    return offerings.order_by("service_type", "name")


def offerings_for_case(*, case: Any):
    """The active services of the case's organisation (what a delivery can be)."""
    return (
        ServiceOffering.objects.filter(organisation_id=case.organisation_id, is_active=True)
        .select_related("provider")
        .order_by("service_type", "name")
    )
