"""Recording a service delivered to a survivor."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tumaini.care.models import ServiceDelivery, ServiceOffering
from tumaini.care.policies import CARE_DELIVERY
from tumaini.care.selectors.scope import case_in_care_scope
from tumaini.cases.models import CarePlanGoal, Case
from tumaini.core.access import CREATE
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction


class DeliveryRefused(Exception):
    """The delivery cannot be recorded; `field` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def delivery_record(
    *,
    actor: Any,
    case: Case,
    offering: ServiceOffering,
    delivered_on: date,
    outcome: str,
    goal: CarePlanGoal | None = None,
    delivered_by: Any = None,
    cost_kes: Decimal = Decimal("0"),
    outcome_notes: str = "",
    request=None,
) -> ServiceDelivery:
    if not case_in_care_scope(user=actor, resource=CARE_DELIVERY.name, action=CREATE, case=case):
        raise DeliveryRefused(_("You may not record services on this case."))
    if offering.organisation_id != case.organisation_id or not offering.is_active:
        raise DeliveryRefused(_("Choose a service of the catalogue."), "offering")
    if goal is not None and goal.plan.case_id != case.pk:
        raise DeliveryRefused(_("Choose a goal of this case's care plan."), "goal")
    if delivered_on > timezone.localdate():
        raise DeliveryRefused(_("A service cannot be delivered in the future."), "delivered_on")
    if cost_kes < 0:
        raise DeliveryRefused(_("The cost cannot be negative."), "cost_kes")
    with transaction.atomic():
        delivery = ServiceDelivery.objects.create(
            case=case,
            organisation_id=case.organisation_id,
            offering=offering,
            service_type=offering.service_type,
            goal=goal,
            delivered_on=delivered_on,
            delivered_by=delivered_by,
            outcome=outcome,
            outcome_notes=(outcome_notes or "").strip(),
            cost_kes=cost_kes,
            recorded_by=actor,
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=delivery,
            fields_changed=[
                name
                for name, value in (
                    ("offering", offering),
                    ("goal", goal),
                    ("delivered_on", delivered_on),
                    ("delivered_by", delivered_by),
                    ("outcome", outcome),
                    ("outcome_notes", outcome_notes),
                    ("cost_kes", cost_kes),
                )
                if value
            ],
            detail={"case": str(case.public_id), "service_type": offering.service_type},
        )
    return delivery
