"""Reads of the hotline desk, each given the acting user; and the voice line's on-duty numbers."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from tumaini.accounts.models import Organisation
from tumaini.core import access
from tumaini.core.access import CREATE, DELETE, UPDATE, VIEW
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.selectors import record_for_view
from tumaini.hotline.models import Call, Shift
from tumaini.hotline.policies import HOTLINE_CALL, HOTLINE_ROSTER

CALL_PAGE_SIZE = 25
TAB_MINE = "mine"
TAB_ALL = "all"
HOME_FOLLOW_UPS_LIMIT = 8
ROSTER_AHEAD = timedelta(days=14)
ROSTER_COMING_LIMIT = 100


def call_list(
    *, user, tab: str = "", filters: dict | None = None, page_number=1, request=None
) -> dict:
    """Calls newest first: the user's own ("my calls") or all of their organisation's. The look
    is audited (one event: the tab, the filters and how many rows)."""
    access.require(user, HOTLINE_CALL, VIEW)
    filters = filters or {}
    if tab not in (TAB_MINE, TAB_ALL):
        # Directors log no calls of their own: they start on all of them.
        tab = TAB_MINE if access.can(user, HOTLINE_CALL, CREATE) else TAB_ALL
    rows: QuerySet = access.scoped(user, HOTLINE_CALL, VIEW, Call.objects.all()).select_related(
        "assigned_to", "report"
    )
    if tab == TAB_MINE:
        rows = rows.filter(assigned_to=user)
    if filters.get("category"):
        rows = rows.filter(category=filters["category"])
    if filters.get("follow_up_open"):
        rows = rows.filter(follow_up_needed=True, follow_up_done_at__isnull=True)
    # The summary and advice are never needed on the list: not decrypted for it.
    rows = rows.defer("summary", "advice", "caller_phone").order_by("-started_at", "-pk")
    today = timezone.localdate()
    with transaction.atomic():
        page = Paginator(rows, CALL_PAGE_SIZE).get_page(page_number)
        shown = [
            {
                "call": call,
                "follow_up_overdue": call.follow_up_open and call.follow_up_due < today,
            }
            for call in page.object_list
        ]
        audit_record(
            action=AuditAction.VIEW,
            actor=user,
            request=request,
            object_type="hotline.calllist",
            object_organisation_id=user.organisation_id,
            detail={
                "tab": tab,
                "category": filters.get("category") or "",
                "follow_up_open": bool(filters.get("follow_up_open")),
                "page": page.number,
                "rows": len(shown),
            },
        )
    return {"tab": tab, "page": page, "rows": shown}


def call_for_view(*, user, public_id, request=None) -> Call:
    """One call, in scope or 404, with its audited `view` event."""
    return record_for_view(
        user=user,
        resource=HOTLINE_CALL.name,
        queryset=Call.objects.select_related(
            "assigned_to", "follow_up_done_by", "report", "organisation"
        ),
        public_id=public_id,
        request=request,
    )


def call_for_update(*, user, public_id) -> Call:
    """A call the user may edit, or 404 (including calls they may only read)."""
    return access.get_scoped_or_404(
        user, HOTLINE_CALL, UPDATE, Call.objects.select_related("report"), public_id=public_id
    )


def may_update_call(*, user, call: Call) -> bool:
    return access.scoped(user, HOTLINE_CALL, UPDATE, Call.objects.all()).filter(pk=call.pk).exists()


def follow_ups_for(*, user) -> dict | None:
    """For the home panel: the user's own calls whose follow-up is due today or overdue."""
    if not access.can(user, HOTLINE_CALL, CREATE):
        return None
    today = timezone.localdate()
    due = access.scoped(user, HOTLINE_CALL, VIEW, Call.objects.all()).filter(
        assigned_to=user,
        follow_up_needed=True,
        follow_up_done_at__isnull=True,
        follow_up_due__lte=today,
    )
    shown = list(
        due.order_by("follow_up_due", "pk").only(
            "public_id", "started_at", "category", "follow_up_due"
        )[: HOME_FOLLOW_UPS_LIMIT + 1]
    )
    count = due.count() if len(shown) > HOME_FOLLOW_UPS_LIMIT else len(shown)
    return {
        "count": count,
        "follow_ups": [
            {"call": call, "overdue": call.follow_up_due < today}
            for call in shown[:HOME_FOLLOW_UPS_LIMIT]
        ],
        "today": today,
    }


# --- Roster --------------------------------------------------------------------------------------


def roster(*, user, at: datetime | None = None, request=None) -> dict:
    """Who is on duty now and the shifts of the next two weeks, in the user's organisation. The
    look is audited: the page shows staff phone numbers to those who manage it."""
    access.require(user, HOTLINE_ROSTER, VIEW)
    at = at or timezone.now()
    may_manage = access.can(user, HOTLINE_ROSTER, CREATE)
    shifts = access.scoped(user, HOTLINE_ROSTER, VIEW, Shift.objects.all()).select_related("agent")
    if not may_manage:
        shifts = shifts.defer("phone")  # not shown to them: not decrypted either
    on_duty = list(shifts.filter(starts_at__lte=at, ends_at__gt=at).order_by("starts_at", "pk"))
    coming = list(
        shifts.filter(starts_at__gt=at, starts_at__lt=at + ROSTER_AHEAD).order_by(
            "starts_at", "pk"
        )[:ROSTER_COMING_LIMIT]
    )
    audit_record(
        action=AuditAction.VIEW,
        actor=user,
        request=request,
        object_type="hotline.roster",
        object_organisation_id=user.organisation_id,
        detail={"on_duty": len(on_duty), "coming": len(coming)},
    )
    return {
        "on_duty": on_duty,
        "coming": coming,
        "may_manage": may_manage,
        "may_remove": access.can(user, HOTLINE_ROSTER, DELETE),
    }


def shift_for_removal(*, user, public_id) -> Shift:
    return access.get_scoped_or_404(
        user, HOTLINE_ROSTER, DELETE, Shift.objects, public_id=public_id
    )


def hotline_numbers_on_duty(*, at: datetime | None = None) -> list[str]:
    """The numbers the voice line dials, in order: agents on duty at `at` (now), earliest shift first.

    Read by the provider callback, which acts for no user: only numbers leave here. Agents who have
    left (inactive) are skipped even if their shift is still on the roster. The receiving centre's
    roster only, since the calls' voicemails become that centre's reports.
    """
    from tumaini.tips.services import receiving_organisation

    at = at or timezone.now()
    try:
        organisation = receiving_organisation()
    except Organisation.DoesNotExist:  # a new installation: nobody is on duty yet
        return []
    shifts = (
        Shift.objects.filter(
            organisation=organisation,
            agent__is_active=True,
            starts_at__lte=at,
            ends_at__gt=at,
        )
        .order_by("starts_at", "pk")
        .only("phone")
    )
    numbers: list[str] = []
    for shift in shifts:
        if shift.phone not in numbers:
            numbers.append(shift.phone)
    return numbers
