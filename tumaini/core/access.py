"""The access policy: role x action x scope, declared once per resource, applied everywhere.

Each app declares its resources in its `policies.py` with `declare(...)`. Views, templates, the API
and selectors ask the same three questions:

- `scope_for(user, resource, action)`: how far the user's roles reach (none, own, team, organisation,
  all);
- `can(user, resource, action)`: whether they may do it at all (menus, buttons);
- `scoped(user, resource, action, queryset)`: the rows they may touch; selectors build on this and
  `get_scoped_or_404` turns "outside scope" into the same 404 as "does not exist".

Rows say how they belong to someone through a `ScopeFields` on the model (`scope_fields = ...`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from tumaini.accounts.models import User


class Scope(models.TextChoices):
    NONE = "none", _("none")
    OWN = "own", _("own (assigned to me)")
    TEAM = "team", _("my team")
    ORGANISATION = "organisation", _("my organisation")
    ALL = "all", _("all organisations")


_SCOPE_RANK = {Scope.NONE: 0, Scope.OWN: 1, Scope.TEAM: 2, Scope.ORGANISATION: 3, Scope.ALL: 4}

# Action names used across apps; an app may add its own (e.g. "approve") in its declaration.
VIEW, CREATE, UPDATE, DELETE, EXPORT, SHARE, BREAK_GLASS = (
    "view",
    "create",
    "update",
    "delete",
    "export",
    "share",
    "break_glass",
)
PRINT = "print"


@dataclass(frozen=True)
class ScopeFields:
    """Where a model keeps the user it is assigned to, its team and its organisation.

    Each is a lookup path usable in `filter()`; leave one out when the model has no such link (a
    scope that needs it then matches nothing rather than everything).
    """

    owner: str | None = None
    team: str | None = None
    organisation: str | None = None
    # Extra owners: e.g. a counsellor assigned to a case without being its case manager.
    also_owners: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resource:
    name: str
    label: Any
    # Survivor data: never granted to the system administrator (checked at declaration).
    survivor_data: bool
    grants: dict[str, dict[str, Scope]] = field(default_factory=dict)
    description: Any = ""

    def actions(self) -> list[str]:
        seen: list[str] = []
        for by_action in self.grants.values():
            for action in by_action:
                if action not in seen:
                    seen.append(action)
        return seen


REGISTRY: dict[str, Resource] = {}


class PolicyError(Exception):
    """A declaration that breaks a rule of the policy itself (raised at start-up)."""


def declare(
    name: str,
    *,
    label: Any,
    survivor_data: bool,
    grants: dict[str, dict[str, Scope]],
    description: Any = "",
) -> Resource:
    from tumaini.accounts.enums import Role

    for role, by_action in grants.items():
        if role not in Role.values:
            raise PolicyError(f"{name}: unknown role {role!r}")
        if (
            survivor_data
            and role == Role.SYSTEM_ADMIN
            and any(scope != Scope.NONE for scope in by_action.values())
        ):
            raise PolicyError(f"{name}: the system administrator reads no survivor data")
    resource = Resource(
        name=name, label=label, survivor_data=survivor_data, grants=grants, description=description
    )
    REGISTRY[name] = resource
    return resource


def _resource(resource: str | Resource) -> Resource:
    if isinstance(resource, Resource):
        return resource
    try:
        return REGISTRY[resource]
    except KeyError:
        raise PolicyError(f"undeclared resource {resource!r}") from None


def scope_for(user: User | Any, resource: str | Resource, action: str) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope.NONE
    declared = _resource(resource)
    best = Scope.NONE
    for role in user.role_codes:
        scope = declared.grants.get(role, {}).get(action, Scope.NONE)
        if _SCOPE_RANK[Scope(scope)] > _SCOPE_RANK[best]:
            best = Scope(scope)
    return best


def can(user: User | Any, resource: str | Resource, action: str) -> bool:
    return scope_for(user, resource, action) != Scope.NONE


def _scope_filter(user: User, scope: Scope, fields: ScopeFields) -> Q | None:
    """The rows a scope covers, or None for "nothing"."""
    if scope == Scope.ALL:
        return Q()
    if scope == Scope.ORGANISATION:
        if fields.organisation and user.organisation_id:
            return Q(**{fields.organisation: user.organisation_id})
        return None
    owned = Q()
    matched = False
    for path in (fields.owner, *fields.also_owners):
        if path:
            owned |= Q(**{path: user.pk})
            matched = True
    if scope == Scope.OWN:
        return owned if matched else None
    if scope == Scope.TEAM:
        team_ids = user.team_ids
        if fields.team and team_ids:
            return (
                (owned | Q(**{f"{fields.team}__in": team_ids}))
                if matched
                else Q(**{f"{fields.team}__in": team_ids})
            )
        return owned if matched else None
    return None


def scoped(
    user: User | Any,
    resource: str | Resource,
    action: str,
    queryset: QuerySet,
    *,
    include_break_glass: bool = True,
) -> QuerySet:
    """The part of `queryset` the user may `action`; an empty queryset when none of it."""
    declared = _resource(resource)
    scope = scope_for(user, declared, action)
    fields: ScopeFields = getattr(queryset.model, "scope_fields", ScopeFields())
    condition = _scope_filter(user, scope, fields) if scope != Scope.NONE else None
    if include_break_glass and declared.survivor_data and action == VIEW:
        opened = _break_glass_ids(user, declared.name)
        if opened:
            glass = Q(public_id__in=opened)
            condition = glass if condition is None else condition | glass
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def _break_glass_ids(user: User | Any, resource_name: str) -> list[Any]:
    if not getattr(user, "is_authenticated", False):
        return []
    from tumaini.core.models import BreakGlassGrant

    return list(
        BreakGlassGrant.objects.filter(
            user=user, resource=resource_name, expires_at__gt=timezone.now()
        ).values_list("object_id", flat=True)
    )


def get_scoped_or_404(
    user: User | Any, resource: str | Resource, action: str, queryset: QuerySet, **lookup: Any
) -> Any:
    """One row inside the user's scope; outside scope is the same 404 as not existing."""
    try:
        return scoped(user, resource, action, queryset).get(**lookup)
    except (ObjectDoesNotExist, ValidationError, ValueError):
        # ValidationError/ValueError: a malformed identifier in the URL is "not found" too.
        raise Http404 from None


def require(user: User | Any, resource: str | Resource, action: str) -> None:
    """For pages that are not one record (lists, forms): no grant at all answers 404 too."""
    if not can(user, resource, action):
        raise Http404
