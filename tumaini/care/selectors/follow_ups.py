"""Follow-ups after leaving: the case's list and the overdue ones for the staff home."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone

from tumaini.care.models import FollowUp
from tumaini.care.policies import FOLLOW_UP
from tumaini.care.selectors.scope import scoped_care_records
from tumaini.core import access
from tumaini.core.access import VIEW, Scope

HOME_PANEL_LIMIT = 10


def follow_ups_queryset(*, user: Any, action: str = VIEW):
    return scoped_care_records(
        user=user,
        resource=FOLLOW_UP.name,
        action=action,
        queryset=FollowUp.objects.select_related("recorded_by", "case"),
    )


def follow_ups_of_case(*, user: Any, case: Any) -> list[FollowUp]:
    today = timezone.localdate()
    follow_ups = list(
        follow_ups_queryset(user=user).filter(case=case).order_by("-left_on", "due_on")
    )
    for follow_up in follow_ups:
        follow_up.is_overdue = follow_up.recorded_at is None and follow_up.due_on < today
    return follow_ups


def follow_up_for(*, user: Any, public_id, action: str = VIEW) -> FollowUp:
    found = (
        follow_ups_queryset(user=user, action=action)
        .select_related("case__person", "case__organisation")
        .filter(public_id=public_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def follow_ups_home_panel(*, user: Any) -> dict | None:
    """Overdue follow-ups (case numbers only): a case manager's own cases, a director's
    organisation."""
    scope = access.scope_for(user, FOLLOW_UP, VIEW)
    if scope == Scope.NONE:
        return None
    overdue = follow_ups_queryset(user=user).filter(
        recorded_at__isnull=True, due_on__lt=timezone.localdate()
    )
    organisation_wide = scope in (Scope.ORGANISATION, Scope.ALL)
    if not organisation_wide:
        overdue = overdue.filter(case__assigned_to=user)
    rows = list(
        overdue.order_by("due_on", "id").values(
            "public_id", "months", "due_on", "case__public_id", "case__case_number"
        )[: HOME_PANEL_LIMIT + 1]
    )
    count = overdue.count() if len(rows) > HOME_PANEL_LIMIT else len(rows)
    return {
        "overdue_count": count,
        "overdue": rows[:HOME_PANEL_LIMIT],
        "organisation_wide": organisation_wide,
    }
