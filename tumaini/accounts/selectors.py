"""Reads of the accounts app, always through the access policy for the acting user.

Resources: "organisation" covers organisations, their sites and teams; "staff_account" covers
users. Outside the user's scope is a 404 (`get_scoped_or_404`), the same as not existing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from tumaini.accounts.models import Organisation, RoleAssignment, Site, Team, User
from tumaini.core.access import VIEW, can, get_scoped_or_404, scoped

ORGANISATION = "organisation"
STAFF_ACCOUNT = "staff_account"


def organisations_visible_to(*, user: User, action: str = VIEW) -> QuerySet[Organisation]:
    queryset = Organisation.objects.select_related("county").annotate(
        staff_count=Count("users", filter=Q(users__is_active=True), distinct=True)
    )
    return scoped(user, ORGANISATION, action, queryset).order_by("name")


def organisation_get(*, user: User, public_id: Any, action: str = VIEW) -> Organisation:
    return get_scoped_or_404(
        user,
        ORGANISATION,
        action,
        Organisation.objects.select_related("county"),
        public_id=public_id,
    )


def organisation_sites(*, user: User, organisation: Organisation) -> QuerySet[Site]:
    queryset = Site.objects.filter(organisation=organisation).select_related(
        "sub_county", "sub_county__county"
    )
    return scoped(user, ORGANISATION, VIEW, queryset).order_by("name")


def organisation_teams(*, user: User, organisation: Organisation) -> QuerySet[Team]:
    queryset = (
        Team.objects.filter(organisation=organisation)
        .select_related("site")
        .prefetch_related(Prefetch("members", queryset=User.objects.order_by("username")))
    )
    return scoped(user, ORGANISATION, VIEW, queryset).order_by("name")


def site_get(*, user: User, public_id: Any, action: str = VIEW) -> Site:
    return get_scoped_or_404(
        user, ORGANISATION, action, Site.objects.select_related("organisation"), public_id=public_id
    )


def team_get(*, user: User, public_id: Any, action: str = VIEW) -> Team:
    return get_scoped_or_404(
        user, ORGANISATION, action, Team.objects.select_related("organisation"), public_id=public_id
    )


def _users_with_relations() -> QuerySet[User]:
    # Everything a staff list or detail shows, in a fixed number of queries.
    return User.objects.select_related("organisation").prefetch_related(
        Prefetch("teams", queryset=Team.objects.order_by("name")),
        Prefetch("role_assignments", queryset=RoleAssignment.objects.order_by("role")),
    )


def staff_visible_to(
    *,
    user: User,
    search: str = "",
    organisation: Organisation | None = None,
    role: str = "",
    active: bool | None = None,
) -> QuerySet[User]:
    """Staff accounts the user may see, filtered; names and username are searched (not phones)."""
    queryset = scoped(user, STAFF_ACCOUNT, VIEW, _users_with_relations())
    search = search.strip()
    if search:
        condition = Q()
        for word in search.split():
            condition &= (
                Q(username__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
            )
        queryset = queryset.filter(condition)
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    if role:
        queryset = queryset.filter(role_assignments__role=role)
    if active is not None:
        queryset = queryset.filter(is_active=active)
    return queryset.order_by("username")


def staff_get(*, user: User, public_id: Any, action: str = VIEW) -> User:
    return get_scoped_or_404(
        user, STAFF_ACCOUNT, action, _users_with_relations(), public_id=public_id
    )


def staff_mfa_types(*, user: User, staff: User) -> list[str]:
    """Which second factors the person has set up (the types only, never the secrets)."""
    from allauth.mfa.models import Authenticator

    # `staff` comes from staff_get, already inside the user's scope.
    return sorted(set(Authenticator.objects.filter(user=staff).values_list("type", flat=True)))


def organisations_for_filter(*, user: User) -> QuerySet[Organisation]:
    """The organisations offered in the staff list's filter: those the user can see."""
    return scoped(user, ORGANISATION, VIEW, Organisation.objects.all()).order_by("name")


def may(*, user: User, resource: str, action: str, record: Any) -> bool:
    """Whether the user may `action` this very record (buttons on a detail page)."""
    if not can(user, resource, action):
        return False
    return scoped(user, resource, action, type(record).objects.filter(pk=record.pk)).exists()
