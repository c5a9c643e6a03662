"""Small helpers the care views share."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.dateparse import parse_date

from tumaini.cases import parts
from tumaini.cases.selectors.case import case_allows
from tumaini.core.access import VIEW


def day_from(request) -> date:
    try:
        return parse_date(request.GET.get("day") or "") or timezone.localdate()
    except ValueError:
        return timezone.localdate()


def case_link(*, user, case, part: str) -> str | None:
    """The case page at one of its parts, for users who may open it (counsellors reach care pages
    only)."""
    return parts.part_url(case, part) if case_allows(user=user, case=case, action=VIEW) else None


def apply_refusal(form, refused) -> None:
    """A service's refusal next to its field (or on top of the form)."""
    field = getattr(refused, "field", None)
    form.add_error(field if field in form.fields else None, str(refused))
