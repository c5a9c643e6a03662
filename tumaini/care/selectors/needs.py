"""Needs met: for each need of a case's latest needs assessment, whether a service was planned,
delivered, or is still missing, and how long the survivor waited for the first service.

`NEED_SERVICE_TYPES` is the one place that says which services answer which need. A need counts as
delivered when a service of a matching type was delivered on the case (or a delivery served a goal
set for that need, or — for shelter — the survivor was given a bed); planned when a goal of a care
plan in force or in preparation answers it.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F, Min, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from tumaini.care.enums import DELIVERED_OUTCOMES, ServiceType
from tumaini.care.models import ServiceDelivery
from tumaini.care.policies import CARE_DELIVERY
from tumaini.care.selectors.scope import case_in_care_scope, cases_in_care_scope
from tumaini.cases.enums import CarePlanStatus, NeedType
from tumaini.cases.models import CarePlanGoal, Case, Need, NeedsAssessment
from tumaini.core.access import VIEW

N, T = NeedType, ServiceType

NEED_SERVICE_TYPES: dict[str, tuple[str, ...]] = {
    N.SAFETY_THREAT: (T.SHELTER, T.LAW_ENFORCEMENT),
    N.BEING_FOLLOWED: (T.SHELTER, T.LAW_ENFORCEMENT),
    N.ACCOMMODATION: (T.SHELTER,),
    N.FOOD: (T.MATERIAL,),
    N.CLOTHING: (T.MATERIAL,),
    N.MEDICATION: (T.MEDICAL,),
    N.HEALTH: (T.MEDICAL, T.PSYCHOSOCIAL),
    N.DISABILITY: (T.MEDICAL, T.MATERIAL),
    N.UNSAFE_LOCATIONS: (T.SHELTER, T.LAW_ENFORCEMENT),
    N.FAMILY_CONCERNS: (T.PSYCHOSOCIAL, T.FAMILY_TRACING),
    N.FAMILY_CONTACT: (T.FAMILY_TRACING,),
    N.DOCUMENTS: (T.CONSULAR, T.LEGAL_AID),
    # "Other" is met only by a delivery that served a goal set for it.
    N.OTHER: (),
}

DELIVERED, PLANNED, MISSING = "delivered", "planned", "missing"
STATUS_LABELS = {
    DELIVERED: _("Delivered"),
    PLANNED: _("Planned, not delivered yet"),
    MISSING: _("Missing: no service planned"),
}
# Plans whose goals count as "planned".
LIVE_PLAN_STATUSES = (
    CarePlanStatus.DRAFT,
    CarePlanStatus.PENDING_APPROVAL,
    CarePlanStatus.APPROVED,
)


@dataclass
class NeedMet:
    need_type: str
    urgency: str
    identified_on: date
    planned: bool
    first_delivered_on: date | None

    @property
    def label(self) -> str:
        return NeedType(self.need_type).label

    @property
    def status(self) -> str:
        if self.first_delivered_on is not None:
            return DELIVERED
        return PLANNED if self.planned else MISSING

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def days_to_service(self) -> int | None:
        """Days from the need being identified to its first service (0 if it came first)."""
        if self.first_delivered_on is None:
            return None
        return max((self.first_delivered_on - self.identified_on).days, 0)


def _needs_met(cases: QuerySet) -> dict[int, list[NeedMet]]:
    """Needs met of every case in `cases`, in five queries whatever their number."""
    latest = (
        NeedsAssessment.objects.filter(case=OuterRef("case"))
        .order_by("-assessed_on", "-created_at")
        .values("pk")[:1]
    )
    latest_ids = (
        NeedsAssessment.objects.filter(case__in=cases)
        .annotate(latest=Subquery(latest))
        .filter(pk=F("latest"))
    )
    current_needs = list(
        Need.objects.filter(assessment__in=latest_ids, identified=True)
        .values_list("assessment__case_id", "type", "urgency")
        .order_by("assessment__case_id", "id")
    )
    first_identified = {
        (case_id, need_type): first
        for case_id, need_type, first in Need.objects.filter(
            assessment__case__in=cases, identified=True
        )
        .values_list("assessment__case_id", "type")
        .annotate(first=Min("assessment__assessed_on"))
        .values_list("assessment__case_id", "type", "first")
    }
    planned = set(
        CarePlanGoal.objects.filter(plan__case__in=cases, plan__status__in=LIVE_PLAN_STATUSES)
        .exclude(need_type="")
        .values_list("plan__case_id", "need_type")
        .distinct()
    )
    by_type: dict[tuple[int, str], date] = {}
    by_goal_need: dict[tuple[int, str], date] = {}
    delivered = (
        ServiceDelivery.objects.filter(case__in=cases, outcome__in=DELIVERED_OUTCOMES)
        .values_list("case_id", "service_type", "goal__need_type")
        .annotate(first=Min("delivered_on"))
        .order_by()
    )
    for case_id, service_type, goal_need, first in delivered:
        key = (case_id, service_type)
        by_type[key] = min(first, by_type.get(key, first))
        if goal_need:
            key = (case_id, goal_need)
            by_goal_need[key] = min(first, by_goal_need.get(key, first))
    # A bed in one of the centre's shelters is the shelter service, whether or not anyone also
    # recorded it as a delivery.
    from tumaini.shelter.models import Stay

    for case_id, first in (
        Stay.objects.filter(case__in=cases)
        .values_list("case_id")
        .annotate(first=Min("started_on"))
        .values_list("case_id", "first")
        .order_by()
    ):
        key = (case_id, ServiceType.SHELTER)
        by_type[key] = min(first, by_type.get(key, first))
    result: dict[int, list[NeedMet]] = defaultdict(list)
    for case_id, need_type, urgency in current_needs:
        dates = [
            by_type[(case_id, service_type)]
            for service_type in NEED_SERVICE_TYPES.get(need_type, ())
            if (case_id, service_type) in by_type
        ]
        if (case_id, need_type) in by_goal_need:
            dates.append(by_goal_need[(case_id, need_type)])
        result[case_id].append(
            NeedMet(
                need_type=need_type,
                urgency=urgency,
                identified_on=first_identified[(case_id, need_type)],
                planned=(case_id, need_type) in planned,
                first_delivered_on=min(dates) if dates else None,
            )
        )
    return result


def needs_met_for_case(*, user: Any, case: Case) -> list[NeedMet]:
    """The case's needs met, for a user who may see its services (404 otherwise)."""
    if not case_in_care_scope(user=user, resource=CARE_DELIVERY.name, action=VIEW, case=case):
        raise Http404
    return _needs_met(Case.objects.filter(pk=case.pk)).get(case.pk, [])


def needs_met_summary(*, user: Any, cases: QuerySet | None = None) -> list[dict]:
    """Per need type, over the cases in the user's scope (optionally narrowed to `cases`):
    how many cases identified it, how many had it delivered, planned or missing, and the median
    days to the first service. Counts only: statistics apply their own small-cell suppression."""
    in_scope = cases_in_care_scope(user=user, resource=CARE_DELIVERY.name, action=VIEW)
    if cases is not None:
        in_scope = in_scope.filter(pk__in=cases.values("pk"))
    return needs_met_counts(in_scope)


def needs_met_counts(cases: QuerySet) -> list[dict]:
    """The same rows over `cases` as given: for statistics, whose caller scoped them already."""
    in_scope = cases
    counts: dict[str, dict] = {
        need_type: {"identified": 0, DELIVERED: 0, PLANNED: 0, MISSING: 0, "days": []}
        for need_type in NeedType.values
    }
    for needs in _needs_met(in_scope).values():
        for need in needs:
            row = counts[need.need_type]
            row["identified"] += 1
            row[need.status] += 1
            if need.days_to_service is not None:
                row["days"].append(need.days_to_service)
    return [
        {
            "need_type": need_type,
            "label": NeedType(need_type).label,
            "identified": row["identified"],
            "delivered": row[DELIVERED],
            "planned": row[PLANNED],
            "missing": row[MISSING],
            "median_days_to_service": statistics.median(row["days"]) if row["days"] else None,
        }
        for need_type, row in counts.items()
        if row["identified"]
    ]
