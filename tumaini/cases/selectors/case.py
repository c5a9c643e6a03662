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
