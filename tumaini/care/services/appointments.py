"""Booking, changing and closing appointments; the reminder job is in `reminders`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tumaini.care.enums import AppointmentStatus
from tumaini.care.models import Appointment
from tumaini.care.policies import APPOINTMENT
from tumaini.care.selectors.scope import case_in_care_scope
from tumaini.cases.models import Case
from tumaini.core.access import CREATE, UPDATE
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.services import save_versioned

A = AppointmentStatus
# Where an appointment may go from each status: attended and missed may be corrected into each other.
STATUS_CHANGES: dict[str, tuple[str, ...]] = {
    A.SCHEDULED: (A.ATTENDED, A.MISSED, A.CANCELLED),
    A.ATTENDED: (A.MISSED,),
    A.MISSED: (A.ATTENDED,),
    A.CANCELLED: (),
}


class AppointmentRefused(Exception):
    """The appointment cannot be saved; `field` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _check_staff(case: Case, staff: Any) -> None:
    if staff is None or not staff.is_active or staff.organisation_id != case.organisation_id:
        raise AppointmentRefused(_("Choose a staff member of the case's organisation."), "staff")


def _check_future(starts_at: datetime) -> None:
    if starts_at <= timezone.now():
        raise AppointmentRefused(
            _("This time has passed: an appointment is booked for a time still to come."),
            "starts_at",
        )


def appointment_book(
    *,
    actor: Any,
    case: Case,
    staff: Any,
    starts_at: datetime,
    duration_minutes: int = 60,
    service_type: str = "",
    location: str = "",
    notes: str = "",
    request=None,
) -> Appointment:
    if not case_in_care_scope(user=actor, resource=APPOINTMENT.name, action=CREATE, case=case):
        raise AppointmentRefused(_("You may not book appointments on this case."))
    _check_staff(case, staff)
    _check_future(starts_at)
    with transaction.atomic():
        appointment = Appointment.objects.create(
            case=case,
            organisation_id=case.organisation_id,
            staff=staff,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            service_type=service_type,
            location=(location or "").strip(),
            notes=(notes or "").strip(),
            created_by=actor,
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=appointment,
            fields_changed=["staff", "starts_at", "duration_minutes"]
            + [n for n, v in (("service_type", service_type), ("location", location)) if v]
            + (["notes"] if notes else []),
            detail={"case": str(case.public_id)},
        )
    return appointment


def appointment_update(
    *, actor: Any, appointment: Appointment, expected_version: int, changes: dict, request=None
) -> Appointment:
    """Change a scheduled appointment. Raises VersionConflict when someone saved it first."""
    case = appointment.case
    if not case_in_care_scope(user=actor, resource=APPOINTMENT.name, action=UPDATE, case=case):
        raise AppointmentRefused(_("You may not change appointments on this case."))
    if appointment.status != A.SCHEDULED:
        raise AppointmentRefused(_("Only a scheduled appointment can be changed."))
    if "staff" in changes:
        _check_staff(case, changes["staff"])
    if "starts_at" in changes and changes["starts_at"] != appointment.starts_at:
        _check_future(changes["starts_at"])
    for name in ("location", "notes"):
        if name in changes:
            changes[name] = (changes[name] or "").strip()
    return save_versioned(
        record=appointment,
        expected_version=expected_version,
        changes=changes,
        actor=actor,
        request=request,
    )


def appointment_set_status(
    *, actor: Any, appointment: Appointment, status: str, expected_version: int, request=None
) -> Appointment:
    """Mark an appointment attended, missed or cancelled."""
    case = appointment.case
    if not case_in_care_scope(user=actor, resource=APPOINTMENT.name, action=UPDATE, case=case):
        raise AppointmentRefused(_("You may not change appointments on this case."))
    if status not in STATUS_CHANGES.get(appointment.status, ()):
        raise AppointmentRefused(
            _("An appointment that is “%(from)s” cannot become “%(to)s”.")
            % {
                "from": A(appointment.status).label,
                "to": A(status).label if status in A.values else status,
            },
            "status",
        )
    if status in (A.ATTENDED, A.MISSED) and appointment.starts_at > timezone.now():
        raise AppointmentRefused(
            _("The appointment has not started yet: it can be cancelled, not marked."), "status"
        )
    # Raises VersionConflict when someone changed the appointment after the page was shown.
    return save_versioned(
        record=appointment,
        expected_version=expected_version,
        changes={
            "status": status,
            "status_changed_at": timezone.now(),
            "status_changed_by": actor,
        },
        actor=actor,
        request=request,
    )
