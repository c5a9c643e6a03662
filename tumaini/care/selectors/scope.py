"""The care scope: which cases' deliveries, appointments and follow-ups a user reaches.

A care record is reached through its case. The access policy gives each role a scope on the care
resource (`care.policies`); it is applied to the case (its case manager, team and organisation). Scope
`own` also covers the case's **care team**: staff of the case's organisation who are responsible for a
goal of its care plan, or who hold an appointment with the survivor. That is how a counsellor, a nurse
or a legal officer reaches the cases they work on, and no other.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from tumaini.cases.enums import CarePlanStatus
from tumaini.cases.models import CarePlanGoal, Case
from tumaini.cases.selectors.case import case_in_scope
from tumaini.core import access
from tumaini.core.access import Scope


def care_team_case_ids(*, user: Any) -> QuerySet:
    """Ids of the cases of the user's organisation whose care team the user is on."""
    from tumaini.care.models import Appointment

    goal_cases = (
        CarePlanGoal.objects.filter(owner=user)
        .exclude(plan__status=CarePlanStatus.SUPERSEDED)
        .values("plan__case_id")
    )
    appointment_cases = Appointment.objects.filter(staff=user).values("case_id")
    return Case.objects.filter(
        Q(pk__in=goal_cases) | Q(pk__in=appointment_cases),
        organisation_id=user.organisation_id,
    ).values("pk")


# The resources the care team reaches; follow-ups stay with case management.
CARE_TEAM_RESOURCES = ("care_delivery", "appointment")


def cases_in_care_scope(*, user: Any, resource: str, action: str) -> QuerySet:
    """The cases on which the user may `action` the care `resource` (empty when none)."""
    scope = access.scope_for(user, resource, action)
    if scope == Scope.NONE:
        return Case.objects.none()
    by_policy = access.scoped(user, resource, action, Case.objects.all(), include_break_glass=False)
    if resource not in CARE_TEAM_RESOURCES:
        return Case.objects.filter(pk__in=by_policy.values("pk"))
    return Case.objects.filter(
        Q(pk__in=by_policy.values("pk")) | Q(pk__in=care_team_case_ids(user=user))
    )


def _on_care_team(*, user: Any, case: Case) -> bool:
    """`care_team_case_ids` for one case, asked of that case alone and remembered on it."""
    from tumaini.care.models import Appointment

    cache = case.__dict__.setdefault("_on_care_team", {})
    key = getattr(user, "pk", None)
    if key not in cache:
        cache[key] = case.organisation_id == user.organisation_id and (
            Case.objects.filter(pk=case.pk)
            .filter(
                Exists(
                    CarePlanGoal.objects.filter(plan__case=case.pk, owner=user).exclude(
                        plan__status=CarePlanStatus.SUPERSEDED
                    )
                )
                | Exists(Appointment.objects.filter(case=case.pk, staff=user))
            )
            .exists()
        )
    return cache[key]


def case_in_care_scope(*, user: Any, resource: str, action: str, case: Case) -> bool:
    """`cases_in_care_scope(...)` holds `case`, answered for that one case: the policy part
    through the case's own scope check (shared with the case page's other parts), the care team
    part with one query. (Filtering the whole `cases_in_care_scope` set by the case's id made
    PostgreSQL evaluate the OR of subqueries over every case: 100 ms a question at 10^5 cases.)"""
    return case_in_scope(user=user, case=case, resource=resource, action=action) or (
        resource in CARE_TEAM_RESOURCES
        and access.can(user, resource, action)
        and _on_care_team(user=user, case=case)
    )


def care_case_or_404(*, user: Any, resource: str, action: str, public_id) -> Case:
    """The case, if the user may `action` the care `resource` on it; 404 otherwise."""
    try:
        return (
            cases_in_care_scope(user=user, resource=resource, action=action)
            .select_related("person", "organisation", "assigned_to", "team")
            .get(public_id=public_id)
        )
    except (Case.DoesNotExist, ValueError):
        raise Http404 from None


def scoped_care_records(*, user: Any, resource: str, action: str, queryset: QuerySet) -> QuerySet:
    """Rows of a care model (with a `case` link) the user may `action`: the rows of
    `cases_in_care_scope`, asked of each row's own case (EXISTS on the case's primary key).

    (`case__in=cases_in_care_scope(...)` had PostgreSQL hash every case in scope and every case of
    the organisation before looking at the few rows asked for: 150 ms for the home panel's
    appointments of the day at 10^5 cases.)"""
    if access.scope_for(user, resource, action) == Scope.NONE:
        return queryset.none()
    own_case = Case.objects.filter(pk=OuterRef("case_id"))
    by_policy = access.scoped(user, resource, action, own_case, include_break_glass=False)
    reach = Exists(by_policy)
    if resource in CARE_TEAM_RESOURCES:
        reach |= Exists(care_team_case_ids(user=user).filter(pk=OuterRef("case_id")))
    return queryset.filter(reach)
