"""Reads of public reports, each given the acting user (or, for the public status page, only a
reference code)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils import timezone

from tumaini.accounts.enums import Role
from tumaini.core import access
from tumaini.core.access import VIEW
from tumaini.core.selectors import record_for_view
from tumaini.tips import sla
from tumaini.tips.enums import PUBLIC_STATUS, ReportStatus
from tumaini.tips.models import REFERENCE_LENGTH, Report
from tumaini.tips.policies import PUBLIC_REPORT, REPORTER_CONTACT
from tumaini.tips.selectors.duplicates import duplicate_counts

QUEUE_PAGE_SIZE = 25
OPEN = "open"
OPEN_STATUSES = [s for s in ReportStatus.values if s != ReportStatus.CLOSED]


HOME_OVERDUE_LIMIT = 10
# Encrypted fields the queue never shows: not decrypting them keeps the page cheap.
QUEUE_DEFERRED = (
    "what_happened",
    "place_text",
    "occurred_text",
    "suspects_description",
    "suspect_phone",
    "vehicles",
    "reporter_contact",
    "reporter_phone",
    "closure_note",
)


def _queue_rows(user) -> QuerySet:
    return (
        access.scoped(user, PUBLIC_REPORT, VIEW, Report.objects.all())
        .select_related("assigned_to", "sub_county", "ward", "escalated_to")
        .defer(*QUEUE_DEFERRED)
    )


def report_queue(*, user, filters: dict, page_number=1, now=None) -> dict:
    """The triage queue: most urgent first, then oldest. Open reports unless a status is chosen."""
    access.require(user, PUBLIC_REPORT, VIEW)
    rows = _queue_rows(user)
    status = filters.get("status") or OPEN
    # A list of statuses rather than "not closed": the (organisation, status, ...) index then finds
    # the open reports without reading the closed ones, which pile up over the years.
    statuses = OPEN_STATUSES if status == OPEN else [status]
    rows = rows.filter(status__in=statuses)
    if filters.get("urgency"):
        rows = rows.filter(urgency=filters["urgency"])
    if filters.get("channel"):
        rows = rows.filter(channel=filters["channel"])
    rows = rows.order_by("urgency_rank", "received_at", "pk")
    page = Paginator(rows, QUEUE_PAGE_SIZE).get_page(page_number)
    now = now or timezone.now()
    reports = list(page.object_list)
    duplicates = duplicate_counts(user=user, reports=reports)
    return {
        "page": page,
        "rows": [
            {
                "report": r,
                "age": now - r.received_at,
                "deadline": sla.deadline_for(r, now=now),
                "possible_duplicates": duplicates[r.pk],
            }
            for r in reports
        ],
    }


def reports_overdue(*, user, now=None) -> dict | None:
    """Reports past a service-level target, most urgent first, for hotline staff's home page."""
    if not user.role_codes & {Role.HOTLINE_AGENT, Role.HOTLINE_SUPERVISOR}:
        return None
    now = now or timezone.now()
    overdue = (
        access.scoped(user, PUBLIC_REPORT, VIEW, Report.objects.all())
        .filter(sla.breached(now))
        .only(
            "public_id",
            "reference_code",
            "urgency",
            "status",
            "received_at",
            "triaged_at",
            "escalated_at",
        )
        .order_by("urgency_rank", "received_at", "pk")
    )
    shown = list(overdue[:HOME_OVERDUE_LIMIT])
    return {
        "overdue_count": len(shown) if len(shown) < HOME_OVERDUE_LIMIT else overdue.count(),
        "overdue_reports": [{"report": r, "deadline": sla.deadline_for(r, now=now)} for r in shown],
    }


def linked_case_for(*, user, report: Report):
    """The case the report is linked to, if the user may see that case; None otherwise (hotline
    staff learn only that it is linked)."""
    if not report.linked_case_id:
        return None
    from tumaini.cases.selectors.lists import cases_visible_to

    return cases_visible_to(user=user).filter(pk=report.linked_case_id).first()


def reports_linked_to_case(*, user, case) -> list[dict]:
    """The public reports that led to this case (the case page's part), and whether the user may
    open each one."""
    reports = list(
        Report.objects.filter(linked_case=case)
        .only("public_id", "reference_code", "channel", "urgency", "received_at", "linked_at")
        .order_by("received_at", "pk")
    )
    openable: set[int] = set()
    if reports and access.can(user, PUBLIC_REPORT, VIEW):
        openable = set(
            access.scoped(
                user, PUBLIC_REPORT, VIEW, Report.objects.filter(linked_case=case)
            ).values_list("pk", flat=True)
        )
    return [{"report": r, "may_open": r.pk in openable} for r in reports]


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
