"""Reads of public reports, each given the acting user (or, for the public status page, only a
reference code)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils import timezone

from tumaini.core import access
from tumaini.core.access import VIEW
from tumaini.core.selectors import record_for_view
from tumaini.tips.enums import PUBLIC_STATUS, ReportStatus
from tumaini.tips.models import REFERENCE_LENGTH, Report
from tumaini.tips.policies import PUBLIC_REPORT, REPORTER_CONTACT

QUEUE_PAGE_SIZE = 25
OPEN = "open"


def _queue_rows(user) -> QuerySet:
    return access.scoped(user, PUBLIC_REPORT, VIEW, Report.objects.all()).select_related(
        "assigned_to", "sub_county", "ward", "escalated_to"
    )


def report_queue(*, user, filters: dict, page_number=1) -> dict:
    """The triage queue: most urgent first, then oldest. Open reports unless a status is chosen."""
    access.require(user, PUBLIC_REPORT, VIEW)
    rows = _queue_rows(user)
    status = filters.get("status") or OPEN
    if status == OPEN:
        rows = rows.exclude(status=ReportStatus.CLOSED)
    else:
        rows = rows.filter(status=status)
    if filters.get("urgency"):
        rows = rows.filter(urgency=filters["urgency"])
    if filters.get("channel"):
        rows = rows.filter(channel=filters["channel"])
    rows = rows.order_by("urgency_rank", "received_at", "pk")
    page = Paginator(rows, QUEUE_PAGE_SIZE).get_page(page_number)
    now = timezone.now()
    return {
        "page": page,
        "rows": [{"report": r, "age": now - r.received_at} for r in page.object_list],
    }


def report_for_view(*, user, public_id, request=None) -> Report:
    """One report, in scope or 404, with its audited `view` event."""
    queryset = Report.objects.select_related(
        "assigned_to", "sub_county", "ward", "escalated_to", "escalated_by", "organisation"
    )
    return record_for_view(
        user=user,
        resource=PUBLIC_REPORT.name,
        queryset=queryset,
        public_id=public_id,
        request=request,
    )


def may_see_contact(*, user, report: Report) -> bool:
    return (
        access.scoped(user, REPORTER_CONTACT, VIEW, Report.objects.all(), include_break_glass=False)
        .filter(pk=report.pk)
        .exists()
    )


def public_status(*, code: str) -> dict | None:
    """What the reporter may learn from their code: the status in plain words and the date of the
    last update. Nothing else from the report leaves through this page."""
    if len(code) != REFERENCE_LENGTH:
        # Still ask the database, so a wrong length costs as long as an unknown code.
        code = "-" * REFERENCE_LENGTH
    found = (
        Report.objects.filter(reference_code=code)
        .values_list("status", "status_changed_at")
        .first()
    )
    if found is None:
        return None
    status, changed = found
    return {"status": PUBLIC_STATUS[ReportStatus(status)], "updated": changed}
