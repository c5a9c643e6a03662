"""Calendars (per staff member, per survivor) and the appointments panel of the staff home."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from tumaini.accounts.models import User
from tumaini.care.enums import AppointmentStatus
from tumaini.care.models import Appointment
from tumaini.care.policies import APPOINTMENT
from tumaini.care.selectors.display import staff_label, survivor_label
from tumaini.care.selectors.scope import scoped_care_records
from tumaini.core import access
from tumaini.core.access import UPDATE, VIEW
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction

PAGE_SIZE = 20
DAY, WEEK = "day", "week"
HOME_PANEL_LIMIT = 10


@dataclass
class AppointmentRow:
    appointment: Appointment
    survivor: str
    is_child: bool
    staff: str
    is_overdue: bool


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def period(day: date, span: str) -> tuple[date, date]:
    """The first day of the period and the day after it (weeks begin on Monday)."""
    if span == DAY:
        return day, day + timedelta(days=1)
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=7)


def appointments_queryset(*, user: Any, action: str = VIEW):
    return scoped_care_records(
        user=user,
        resource=APPOINTMENT.name,
        action=action,
        queryset=Appointment.objects.select_related("case__person", "staff"),
    )


def _row(appointment: Appointment, now) -> AppointmentRow:
    person = appointment.case.person
    return AppointmentRow(
        appointment=appointment,
        survivor=survivor_label(person),
        is_child=bool(person.is_child),
        staff=staff_label(appointment.staff),
        is_overdue=appointment.status == AppointmentStatus.SCHEDULED
        and appointment.starts_at < now,
    )


def calendar_staff_member(*, user: Any, staff_public_id=None) -> User:
    """The staff member whose calendar is asked for: oneself, or a colleague (same organisation)."""
    access.require(user, APPOINTMENT, VIEW)
    if staff_public_id is None:
        return user
    colleague = User.objects.filter(
        public_id=staff_public_id, organisation_id=user.organisation_id, is_active=True
    ).first()
    if colleague is None:
        raise Http404
    return colleague


def calendar(
    *,
    user: Any,
    day: date,
    span: str,
    staff: Any = None,
    case: Any = None,
    page_number=1,
    request=None,
) -> dict:
    """One page of the appointments of `staff` or of `case` in the day or week around `day`.

    Only appointments the user may see are listed; the look is audited (one event, no names).
    """
    access.require(user, APPOINTMENT, VIEW)
    span = span if span in (DAY, WEEK) else WEEK
    first, after = period(day, span)
    appointments = appointments_queryset(user=user).filter(
        starts_at__gte=_start_of(first), starts_at__lt=_start_of(after)
    )
    if staff is not None:
        appointments = appointments.filter(staff=staff)
    if case is not None:
        appointments = appointments.filter(case=case)
    now = timezone.now()
    with transaction.atomic():
        page = Paginator(appointments.order_by("starts_at", "id"), PAGE_SIZE).get_page(page_number)
        rows = [_row(appointment, now) for appointment in page.object_list]
        detail = {
            "from": first.isoformat(),
            "to": after.isoformat(),
            "page": page.number,
            "rows": len(rows),
        }
        if case is not None:
            audit_record(
                action=AuditAction.VIEW,
                actor=user,
                request=request,
                obj=case,
                detail={**detail, "part": "appointments"},
            )
        else:
            audit_record(
                action=AuditAction.VIEW,
                actor=user,
                request=request,
                object_type="care.calendar",
                object_id=str(staff.public_id),
                object_organisation_id=user.organisation_id,
                detail=detail,
            )
    step = timedelta(days=1 if span == DAY else 7)
    return {
        "span": span,
        "day": day,
        "first": first,
        "last": after - timedelta(days=1),
        "previous_day": first - step,
        "next_day": first + step,
        "page": page,
        "rows": rows,
    }


def appointment_for(*, user: Any, public_id, action: str = VIEW) -> Appointment:
    """One appointment the user may `action` (404 otherwise)."""
    found = (
        appointments_queryset(user=user, action=action)
        .select_related("case__organisation")
        .filter(public_id=public_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def appointments_of_case(*, user: Any, case: Any, limit: int = 5) -> dict:
    """For the case page: the next appointments and the missed ones (no audit: the page has one)."""
    now = timezone.now()
    mine = appointments_queryset(user=user).filter(case=case)
    upcoming = list(
        mine.filter(status=AppointmentStatus.SCHEDULED, starts_at__gte=now).order_by("starts_at")[
            :limit
        ]
    )
    recent = list(mine.filter(starts_at__lt=now).order_by("-starts_at")[:limit])
    return {
        "upcoming": [_row(a, now) for a in upcoming],
        "recent": [_row(a, now) for a in recent],
        "missed_count": mine.filter(status=AppointmentStatus.MISSED).count(),
    }


def appointments_home_panel(*, user: Any) -> dict | None:
    """Today's appointments of the user, and their past ones still not marked attended or missed."""
    if not access.can(user, APPOINTMENT, VIEW):
        return None
    now = timezone.now()
    today = timezone.localdate()
    mine = appointments_queryset(user=user).filter(staff=user)
    todays = list(
        mine.filter(
            starts_at__gte=_start_of(today), starts_at__lt=_start_of(today + timedelta(days=1))
        )
        .exclude(status=AppointmentStatus.CANCELLED)
        .order_by("starts_at", "id")[:HOME_PANEL_LIMIT]
    )
    overdue = list(
        mine.filter(status=AppointmentStatus.SCHEDULED, starts_at__lt=_start_of(today)).order_by(
            "-starts_at", "-id"
        )[:HOME_PANEL_LIMIT]
    )
    return {
        "today": [_row(a, now) for a in todays],
        "overdue": [_row(a, now) for a in overdue],
    }


def may_update_appointment(*, user: Any, appointment: Appointment) -> bool:
    return appointments_queryset(user=user, action=UPDATE).filter(pk=appointment.pk).exists()
