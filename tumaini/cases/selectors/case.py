"""Reading one case through the access policy. Every survivor-data view starts here."""

from django.db.models import QuerySet

from tumaini.cases.models import Case
from tumaini.cases.policies import CASE
from tumaini.core import access
from tumaini.core.selectors import record_for_view


def cases_queryset() -> QuerySet:
    return Case.objects.select_related("person", "assigned_to", "team", "organisation")


def case_for_view(*, user, public_id, request=None) -> Case:
    """The case if the user may view it (404 otherwise), with a `view` audit event."""
    return record_for_view(
        user=user, resource=CASE, queryset=cases_queryset(), public_id=public_id, request=request
    )


def case_for_action(*, user, public_id, action: str = access.UPDATE) -> Case:
    """The case if the user may do `action` on it (404 otherwise). The service doing the action
    writes its own audit event."""
    return access.get_scoped_or_404(user, CASE, action, cases_queryset(), public_id=public_id)


def case_in_scope(*, user, case: Case, resource, action: str) -> bool:
    """Whether `case` is within the user's scope for `action` on `resource`, a resource whose rows
    are reached through the case (the case itself, or a part of it such as care deliveries).

    The answer depends only on how far the scope reaches (own, team, organisation...), so it is
    remembered on the case per scope: the case page asks a dozen parts and actions, and most of
    them share one or two scopes. Break-glass access is not a scope: it opens viewing only.
    """
    scope = access.scope_for(user, resource, action)
    if scope == access.Scope.NONE:
        return False
    cache = case.__dict__.setdefault("_in_scope", {})
    key = (getattr(user, "pk", None), scope)
    if key not in cache:
        cache[key] = access.scoped(
            user, resource, action, Case.objects.filter(pk=case.pk), include_break_glass=False
        ).exists()
    return cache[key]


def case_allows(*, user, case: Case, action: str) -> bool:
    """Whether the user may do `action` on this case (buttons and forms on the case page)."""
    return case_in_scope(user=user, case=case, resource=CASE, action=action)
