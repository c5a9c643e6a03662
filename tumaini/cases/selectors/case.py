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


def case_allows(*, user, case: Case, action: str) -> bool:
    """Whether the user may do `action` on this case (buttons and forms on the case page).

    Remembered on the case instance: several parts of one page ask the same question.
    """
    cache = case.__dict__.setdefault("_allows", {})
    key = (getattr(user, "pk", None), action)
    if key not in cache:
        cache[key] = (
            access.scoped(
                user, CASE, action, Case.objects.filter(pk=case.pk), include_break_glass=False
            ).exists()
            if access.can(user, CASE, action)
            else False
        )
    return cache[key]
