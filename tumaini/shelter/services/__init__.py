"""Writes of the shelter: admissions, transfers, discharges, the waiting list, the house log; the
set-up of facilities, rooms and beds is in `setup`.

Every refusal is a `ShelterRefused` naming the form field it belongs to, so the page shows it next
to that field. The two guarantees the issue asks for live in the database (partial unique
constraints on open stays); the services lock the bed first so that a race for the last bed ends in
one admission and one clear message, and turn a constraint violation into that same message.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tumaini.care.enums import LeavingReason
from tumaini.care.services.follow_ups import followups_schedule_after_leaving
from tumaini.cases.models import Case
from tumaini.core import access
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.people.enums import Disability, Gender
from tumaini.shelter.enums import (
    DischargeDestination,
    RoomAgeGroup,
    RoomSex,
    StayEnd,
    WaitingStatus,
)
from tumaini.shelter.models import Bed, Facility, Incident, Stay, WaitingEntry
from tumaini.shelter.policies import (
    ADMIT,
    SHELTER_INCIDENT,
    SHELTER_STAY,
    SHELTER_WAITING,
)

FEMALE = {Gender.FEMININE, Gender.TRANSGENDER_FEMININE}
MALE = {Gender.MASCULINE, Gender.TRANSGENDER_MASCULINE}
# Who needs a bed without steps: the disability recorded on the person.
NEEDS_ACCESSIBLE = {Disability.PHYSICAL, Disability.MULTIPLE}


class ShelterRefused(Exception):
    """The action cannot be done; `field` says which form field the message belongs beside."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _require_in_scope(actor, resource, action, model, pk) -> None:
    """Services re-check the policy: a view's mistake must not become an admission."""
    if not access.scoped(actor, resource, action, model.objects.filter(pk=pk)).exists():
        raise ShelterRefused(_("You may not do this here."))


# --- The bed fit rule ------------------------------------------------------------------------------


def bed_fit_problem(*, bed: Bed, person, on: date) -> str | None:
    """Why this bed does not suit this survivor, or None. Sex, age group, age range, access."""
    room = bed.room
    if not bed.in_service:
        return _("This bed is out of service.")
    if room.sex == RoomSex.FEMALE and person.gender not in FEMALE:
        return _("%(room)s is for women and girls only.") % {"room": room.name}
    if room.sex == RoomSex.MALE and person.gender not in MALE:
        return _("%(room)s is for men and boys only.") % {"room": room.name}
    if room.age_group == RoomAgeGroup.ADULTS_ONLY and person.is_child:
        return _("%(room)s is for adults only, and the survivor is a child.") % {"room": room.name}
    if room.age_group == RoomAgeGroup.CHILDREN_ONLY and not person.is_child:
        return _("%(room)s is for children only, and the survivor is an adult.") % {
            "room": room.name
        }
    if room.min_age is not None or room.max_age is not None:
        age = person.age_on(on)
        if age is None:
            return _("%(room)s takes certain ages only, and the survivor's age is not known.") % {
                "room": room.name
            }
        if (room.min_age is not None and age < room.min_age) or (
            room.max_age is not None and age > room.max_age
        ):
            return _("%(room)s takes ages %(low)s to %(high)s; the survivor is %(age)s.") % {
                "room": room.name,
                "low": room.min_age if room.min_age is not None else 0,
                "high": room.max_age if room.max_age is not None else "—",
                "age": age,
            }
    if person.disability in NEEDS_ACCESSIBLE and not bed.accessible:
        return _("The survivor needs an accessible bed; this one is not.")
    return None


def _check_day(day: date, *, field: str) -> None:
    if day > timezone.localdate():
        raise ShelterRefused(_("This date is in the future."), field=field)


def _lock_free_bed(bed: Bed, *, organisation_id: int) -> Bed:
    # The lock serialises admissions to one bed on PostgreSQL (SQLite's IMMEDIATE transactions
    # already hold the write lock); the constraint stays the last word either way.
    locked = (
        Bed.objects.select_for_update()
        .select_related("room__facility__site")
        .filter(pk=bed.pk, room__facility__organisation_id=organisation_id)
        .first()
    )
    if locked is None or not locked.room.facility.is_active:
        raise ShelterRefused(_("Choose a bed in one of your facilities."), field="bed")
    if Stay.objects.filter(bed=locked, ended_on__isnull=True).exists():
        raise ShelterRefused(_bed_taken_message(), field="bed")
    return locked


def _bed_taken_message() -> str:
    return _(
        "This bed is taken: someone else was just given it. Choose another bed; nothing was saved."
    )


def _open_stay_message(stay: Stay) -> str:
    return _("This survivor already has a bed: %(bed)s in %(facility)s. Move them instead.") % {
        "bed": stay.bed,
        "facility": stay.facility,
    }


def _check_no_overlap(*, bed: Bed, person, start: date) -> None:
    """A stay dated in the past must not overlap a stay that already ended after that day."""
    bed_until = Stay.objects.filter(bed=bed, ended_on__gt=start).order_by("-ended_on").first()
    if bed_until is not None:
        raise ShelterRefused(
            _("This bed was occupied until %(day)s: choose that day or later.")
            % {"day": bed_until.ended_on.isoformat()},
            field="bed",
        )
    person_until = (
        Stay.objects.filter(person=person, ended_on__gt=start).order_by("-ended_on").first()
        if person is not None
        else None
    )
    if person_until is not None:
        raise ShelterRefused(
            _("The survivor was in a shelter bed until %(day)s: choose that day or later.")
            % {"day": person_until.ended_on.isoformat()},
            field="case",
        )


def _create_stay(**values) -> Stay:
    """Insert a stay; a constraint violation (a race the lock did not cover) becomes the message."""
    try:
        with transaction.atomic():
            return Stay.objects.create(**values)
    except IntegrityError:
        open_stay = (
            Stay.objects.select_related("bed__room", "facility__site")
            .filter(person=values["person"], ended_on__isnull=True)
            .first()
        )
        if open_stay is not None:
            raise ShelterRefused(_open_stay_message(open_stay), field="case") from None
        raise ShelterRefused(_bed_taken_message(), field="bed") from None


# --- Admission, transfer, discharge ----------------------------------------------------------------


def stay_admit(
    *,
    actor,
    case: Case,
    bed: Bed,
    admitted_on: date,
    expected_leave_on: date | None = None,
    waiting_entry: WaitingEntry | None = None,
    request=None,
) -> Stay:
    """Give the survivor of `case` the bed `bed` from `admitted_on`."""
    _require_in_scope(actor, SHELTER_STAY, ADMIT, Case, case.pk)
    _check_day(admitted_on, field="admitted_on")
    if expected_leave_on is not None and expected_leave_on < admitted_on:
        raise ShelterRefused(
            _("The expected leaving date cannot be before the admission."),
            field="expected_leave_on",
        )
    if admitted_on < timezone.localdate(case.opened_at):
        raise ShelterRefused(
            _("The case was opened on %(day)s: the admission cannot be earlier.")
            % {"day": timezone.localdate(case.opened_at).isoformat()},
            field="admitted_on",
        )
    person = case.person
    with transaction.atomic():
        bed = _lock_free_bed(bed, organisation_id=case.organisation_id)
        open_stay = (
            Stay.objects.select_related("bed__room", "facility__site")
            .filter(person=person, ended_on__isnull=True)
            .first()
        )
        if open_stay is not None:
            raise ShelterRefused(_open_stay_message(open_stay), field="case")
        problem = bed_fit_problem(bed=bed, person=person, on=admitted_on)
        if problem:
            raise ShelterRefused(problem, field="bed")
        _check_no_overlap(bed=bed, person=person, start=admitted_on)
        facility = bed.room.facility
        stay = _create_stay(
            organisation_id=facility.organisation_id,
            facility=facility,
            bed=bed,
            case=case,
            person=person,
            admitted_on=admitted_on,
            started_on=admitted_on,
            expected_leave_on=expected_leave_on,
            created_by=actor,
        )
        entries = WaitingEntry.objects.filter(person=person, status=WaitingStatus.WAITING)
        if waiting_entry is not None:
            entries = entries | WaitingEntry.objects.filter(pk=waiting_entry.pk)
        # Admitted anywhere: the survivor no longer waits for a bed anywhere.
        entries.update(status=WaitingStatus.ADMITTED, closed_at=timezone.now(), stay=stay)
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=stay,
            fields_changed=["bed", "admitted_on"]
            + (["expected_leave_on"] if expected_leave_on else []),
            detail={"case": str(case.public_id), "facility": str(facility.public_id)},
        )
    return stay


def _lock_open_stay(stay: Stay) -> Stay:
    locked = (
        Stay.objects.select_for_update()
        .select_related("bed__room", "facility__site", "case", "person")
        .filter(pk=stay.pk)
        .first()
    )
    if locked is None or locked.ended_on is not None:
        raise ShelterRefused(_("This stay has already ended; the board has been refreshed."))
    return locked


def stay_transfer(
    *, actor, stay: Stay, bed: Bed, moved_on: date, reason: str = "", request=None
) -> Stay:
    """Move a resident to another bed, in the same facility or another of the organisation."""
    _require_in_scope(actor, SHELTER_STAY, access.UPDATE, Stay, stay.pk)
    _check_day(moved_on, field="moved_on")
    with transaction.atomic():
        current = _lock_open_stay(stay)
        if moved_on < current.started_on:
            raise ShelterRefused(
                _("The survivor is in this bed since %(day)s: the move cannot be earlier.")
                % {"day": current.started_on.isoformat()},
                field="moved_on",
            )
        if bed.pk == current.bed_id:
            raise ShelterRefused(_("The survivor is already in this bed."), field="bed")
        bed = _lock_free_bed(bed, organisation_id=current.organisation_id)
        problem = bed_fit_problem(bed=bed, person=current.person, on=moved_on)
        if problem:
            raise ShelterRefused(problem, field="bed")
        _check_no_overlap(bed=bed, person=None, start=moved_on)
        current.ended_on = moved_on
        current.end = StayEnd.TRANSFERRED
        current.ended_by = actor
        current.transfer_reason = reason
        current.save(update_fields=["ended_on", "end", "ended_by", "transfer_reason"])
        facility = bed.room.facility
        moved = _create_stay(
            organisation_id=facility.organisation_id,
            facility=facility,
            bed=bed,
            case=current.case,
            person=current.person,
            admitted_on=current.admitted_on,
            started_on=moved_on,
            expected_leave_on=current.expected_leave_on,
            previous=current,
            created_by=actor,
        )
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            obj=current,
            fields_changed=["bed", "ended_on"] + (["transfer_reason"] if reason else []),
            detail={"to_stay": str(moved.public_id), "facility": str(facility.public_id)},
        )
    return moved


# Leaving the shelter for these places is leaving the centre's care: follow-ups at 1, 3, 6 and 12
# months start. Another shelter is a move, not a leaving; an absconded survivor cannot be reached.
LEAVING_DESTINATIONS = {
    DischargeDestination.HOME_FAMILY: LeavingReason.DISCHARGED,
    DischargeDestination.INDEPENDENT: LeavingReason.DISCHARGED,
    DischargeDestination.OTHER: LeavingReason.DISCHARGED,
    DischargeDestination.REPATRIATED: LeavingReason.REPATRIATED,
}


def stay_discharge(
    *,
    actor,
    stay: Stay,
    left_on: date,
    reason: str,
    destination: str,
    notes: str = "",
    request=None,
) -> Stay:
    """The survivor leaves the shelter. The one place a discharge happens: follow-ups after leaving
    (care app) are scheduled from here."""
    _require_in_scope(actor, SHELTER_STAY, access.UPDATE, Stay, stay.pk)
    _check_day(left_on, field="left_on")
    with transaction.atomic():
        current = _lock_open_stay(stay)
        if left_on < current.started_on:
            raise ShelterRefused(
                _("The survivor is in this bed since %(day)s: they cannot leave before that.")
                % {"day": current.started_on.isoformat()},
                field="left_on",
            )
        current.ended_on = left_on
        current.end = StayEnd.DISCHARGED
        current.ended_by = actor
        current.discharge_reason = reason
        current.destination = destination
        current.discharge_notes = notes
        current.save(
            update_fields=[
                "ended_on",
                "end",
                "ended_by",
                "discharge_reason",
                "destination",
                "discharge_notes",
            ]
        )
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            obj=current,
            fields_changed=["ended_on", "discharge_reason", "destination"]
            + (["discharge_notes"] if notes else []),
            detail={"case": str(current.case.public_id)},
        )
        leaving = LEAVING_DESTINATIONS.get(destination)
        if leaving:
            followups_schedule_after_leaving(
                user=actor, case=current.case, left_on=left_on, reason=leaving, request=request
            )
    return current


# --- Waiting list ----------------------------------------------------------------------------------


def waiting_request(
    *, actor, case: Case, facility: Facility, needed_from: date, note: str = "", request=None
) -> WaitingEntry:
    """The case manager asks for a bed: the survivor joins the facility's waiting list."""
    _require_in_scope(actor, SHELTER_WAITING, access.CREATE, Case, case.pk)
    if facility.organisation_id != case.organisation_id or not facility.is_active:
        raise ShelterRefused(_("Choose one of your organisation's facilities."), field="facility")
    with transaction.atomic():
        if Stay.objects.filter(person_id=case.person_id, ended_on__isnull=True).exists():
            raise ShelterRefused(_("The survivor already has a bed."), field="facility")
        try:
            with transaction.atomic():
                entry = WaitingEntry.objects.create(
                    organisation_id=facility.organisation_id,
                    facility=facility,
                    case=case,
                    person_id=case.person_id,
                    needed_from=needed_from,
                    note=note,
                    requested_by=actor,
                )
        except IntegrityError:
            raise ShelterRefused(
                _("The survivor is already on this facility's waiting list."), field="facility"
            ) from None
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=entry,
            fields_changed=["facility", "needed_from"] + (["note"] if note else []),
            detail={"case": str(case.public_id)},
        )
    return entry


def waiting_withdraw(*, actor, entry: WaitingEntry, request=None) -> WaitingEntry:
    _require_in_scope(actor, SHELTER_WAITING, access.UPDATE, WaitingEntry, entry.pk)
    with transaction.atomic():
        updated = WaitingEntry.objects.filter(pk=entry.pk, status=WaitingStatus.WAITING).update(
            status=WaitingStatus.WITHDRAWN, closed_at=timezone.now()
        )
        if not updated:
            raise ShelterRefused(_("This request is no longer waiting."))
        entry.refresh_from_db()
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            obj=entry,
            fields_changed=["status"],
        )
    return entry


# --- House log -------------------------------------------------------------------------------------


def incident_record(
    *,
    actor,
    facility: Facility,
    occurred_at: datetime,
    kind: str,
    description: str,
    action_taken: str = "",
    residents=(),
    request=None,
) -> Incident:
    _require_in_scope(actor, SHELTER_INCIDENT, access.CREATE, Facility, facility.pk)
    if occurred_at > timezone.now():
        raise ShelterRefused(_("This time is in the future."), field="occurred_at")
    residents = list(residents)
    if any(stay.facility_id != facility.pk for stay in residents):
        raise ShelterRefused(_("Choose residents of this facility."), field="residents")
    with transaction.atomic():
        incident = Incident.objects.create(
            organisation_id=facility.organisation_id,
            facility=facility,
            occurred_at=occurred_at,
            kind=kind,
            description=description,
            action_taken=action_taken,
            recorded_by=actor,
        )
        incident.residents.set(residents)
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=incident,
            fields_changed=["occurred_at", "kind", "description"]
            + (["action_taken"] if action_taken else [])
            + (["residents"] if residents else []),
            detail={"facility": str(facility.public_id)},
        )
    return incident


# The set-up writes (facilities, rooms, beds) live in their own module; callers import them here.
from tumaini.shelter.services.setup import (  # noqa: E402
    bed_add,
    bed_update,
    facility_create,
    facility_update,
    room_create,
    room_update,
)

__all__ = [
    "ShelterRefused",
    "bed_add",
    "bed_fit_problem",
    "bed_update",
    "facility_create",
    "facility_update",
    "incident_record",
    "room_create",
    "room_update",
    "stay_admit",
    "stay_discharge",
    "stay_transfer",
    "waiting_request",
    "waiting_withdraw",
]
