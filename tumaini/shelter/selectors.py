"""Reads of the shelter, always given the acting user (through the access policy).

A resident appears as the case list shows them: full name for an adult, initials for a child, with
the case number, sex, age band, bed and dates. Nothing of the case file itself is read here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from tumaini.cases.models import Case
from tumaini.cases.selectors.lists import initials, normalise_case_number
from tumaini.core import access
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.shelter.enums import WaitingStatus, age_band
from tumaini.shelter.models import Bed, Facility, Incident, Room, Stay, WaitingEntry
from tumaini.shelter.policies import (
    ADMIT,
    SHELTER_FACILITY,
    SHELTER_INCIDENT,
    SHELTER_STAY,
    SHELTER_WAITING,
    VIEW_ADDRESS,
)

VIEW, UPDATE, CREATE = access.VIEW, access.UPDATE, access.CREATE
INCIDENT_PAGE_SIZE = 50


def resident_name(person) -> str:
    """The name as the case list shows it: a child's initials only."""
    return initials(person) if person.is_child else person.full_name


@dataclass
class Resident:
    stay: Stay
    name: str
    case_number: str
    sex: str
    age_band: str
    overstay_days: int

    @classmethod
    def of(cls, stay: Stay, today: date) -> Resident:
        person = stay.person
        overstay = (
            (today - stay.expected_leave_on).days
            if stay.expected_leave_on and stay.expected_leave_on < today
            else 0
        )
        return cls(
            stay=stay,
            name=resident_name(person),
            case_number=stay.case.case_number,
            sex=person.get_gender_display(),
            age_band=age_band(person.age_on(today)),
            overstay_days=overstay,
        )


@dataclass
class BedRow:
    bed: Bed
    resident: Resident | None


@dataclass
class RoomRows:
    room: Room
    beds: list[BedRow] = field(default_factory=list)


# --- Facilities ------------------------------------------------------------------------------------


def facilities_visible_to(*, user) -> list[Facility]:
    """The user's facilities with today's capacity (beds in service) and occupied beds."""
    access.require(user, SHELTER_FACILITY, VIEW)
    facilities = access.scoped(
        user, SHELTER_FACILITY, VIEW, Facility.objects.select_related("site")
    ).annotate(
        capacity=Count("rooms__beds", filter=Q(rooms__beds__in_service=True), distinct=True),
        occupied=Count("stays", filter=Q(stays__ended_on__isnull=True), distinct=True),
        waiting_count=Count(
            "waiting", filter=Q(waiting__status=WaitingStatus.WAITING), distinct=True
        ),
    )
    rows = list(facilities.order_by("site__name"))
    for facility in rows:
        facility.free = max(facility.capacity - facility.occupied, 0)
        facility.rate = _percent(facility.occupied, facility.capacity)
    return rows


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def facility_for_view(*, user, public_id) -> Facility:
    return access.get_scoped_or_404(
        user, SHELTER_FACILITY, VIEW, Facility.objects.select_related("site"), public_id=public_id
    )


def facility_address(*, user, facility: Facility) -> str | None:
    """The confidential address, for shelter managers and directors of the organisation only."""
    if not access.scoped(
        user, SHELTER_FACILITY, VIEW_ADDRESS, Facility.objects.filter(pk=facility.pk)
    ).exists():
        return None
    return facility.address


def facilities_for_request(*, user, case: Case) -> QuerySet:
    """Facilities a case manager may ask a bed in: the case's organisation's open ones."""
    return Facility.objects.filter(
        organisation_id=case.organisation_id, is_active=True
    ).select_related("site")


# --- The occupancy board ---------------------------------------------------------------------------


def _open_stays() -> QuerySet:
    return Stay.objects.filter(ended_on__isnull=True).select_related("case", "person", "bed__room")


def facility_board(*, user, facility: Facility, request=None) -> dict:
    """Rooms, beds and who is in them, the waiting list and today's figures; one audit event."""
    access.require(user, SHELTER_STAY, VIEW)
    today = timezone.localdate()
    stays = access.scoped(user, SHELTER_STAY, VIEW, _open_stays().filter(facility=facility))
    by_bed = {stay.bed_id: Resident.of(stay, today) for stay in stays}
    rooms = Room.objects.filter(facility=facility).prefetch_related(
        Prefetch("beds", queryset=Bed.objects.order_by("label"))
    )
    room_rows = []
    capacity = 0
    for room in rooms:
        rows = RoomRows(room=room)
        for bed in room.beds.all():
            rows.beds.append(BedRow(bed=bed, resident=by_bed.get(bed.pk)))
            capacity += 1 if bed.in_service else 0
        room_rows.append(rows)
    occupied = len(by_bed)
    waiting = waiting_list(user=user, facility=facility)
    audit_record(
        action=AuditAction.VIEW,
        actor=user,
        request=request,
        obj=facility,
        detail={"page": "occupancy board", "residents": occupied, "waiting": len(waiting)},
    )
    return {
        "facility": facility,
        "rooms": room_rows,
        "capacity": capacity,
        "occupied": occupied,
        "free": max(capacity - occupied, 0),
        "rate": _percent(occupied, capacity),
        "waiting": waiting,
        "may_admit": access.can(user, SHELTER_STAY, ADMIT),
        "may_update": access.can(user, SHELTER_STAY, UPDATE),
        "today": today,
    }


@dataclass
class Waiting:
    entry: WaitingEntry
    name: str
    case_number: str
    sex: str
    age_band: str


def waiting_list(*, user, facility: Facility) -> list[Waiting]:
    entries = access.scoped(
        user,
        SHELTER_WAITING,
        VIEW,
        WaitingEntry.objects.filter(facility=facility, status=WaitingStatus.WAITING).select_related(
            "case", "person"
        ),
    )
    today = timezone.localdate()
    return [
        Waiting(
            entry=entry,
            name=resident_name(entry.person),
            case_number=entry.case.case_number,
            sex=entry.person.get_gender_display(),
            age_band=age_band(entry.person.age_on(today)),
        )
        for entry in entries.order_by("needed_from", "requested_at")
    ]


def free_beds(*, organisation_id: int) -> QuerySet:
    """Beds in service, in open facilities of the organisation, with nobody in them."""
    return (
        Bed.objects.filter(
            in_service=True,
            room__facility__organisation_id=organisation_id,
            room__facility__is_active=True,
        )
        # Not `.exclude(stays__ended_on__isnull=True)`: a bed without any stay would match it too.
        .exclude(Exists(Stay.objects.filter(bed=OuterRef("pk"), ended_on__isnull=True)))
        .select_related("room__facility__site")
        .order_by("room__facility__site__name", "room__name", "label")
    )


def stay_for_update(*, user, public_id) -> Stay:
    return access.get_scoped_or_404(
        user,
        SHELTER_STAY,
        UPDATE,
        Stay.objects.select_related("case", "person", "bed__room", "facility__site"),
        public_id=public_id,
    )


def stay_resident(stay: Stay) -> Resident:
    return Resident.of(stay, timezone.localdate())


def waiting_for_admission(*, user, public_id) -> WaitingEntry:
    entry = access.get_scoped_or_404(
        user,
        SHELTER_WAITING,
        UPDATE,
        WaitingEntry.objects.select_related("case", "person", "facility__site"),
        public_id=public_id,
        status=WaitingStatus.WAITING,
    )
    # Admitting needs the admit grant too (a case manager may withdraw, not admit).
    access.require(user, SHELTER_STAY, ADMIT)
    return entry


def waiting_for_update(*, user, public_id) -> WaitingEntry:
    return access.get_scoped_or_404(
        user,
        SHELTER_WAITING,
        UPDATE,
        WaitingEntry.objects.select_related("case", "person", "facility__site"),
        public_id=public_id,
        status=WaitingStatus.WAITING,
    )


def case_for_admission(*, user, case_number: str) -> Case | None:
    """A case the user may admit from, found by its number (the shelter manager does not browse
    cases: the case manager gives the number)."""
    number = normalise_case_number(case_number or "")
    if number is None:
        return None
    return (
        access.scoped(user, SHELTER_STAY, ADMIT, Case.objects.select_related("person"))
        .filter(case_number=number)
        .first()
    )


# --- Figures ---------------------------------------------------------------------------------------


def occupancy_figures(*, user, facility: Facility, start: date, end: date) -> dict:
    """Occupied bed-nights / available bed-nights for the nights start .. end (both included).

    A stay from day a to day b (b empty: still there) fills the nights a .. b-1. A bed is available
    on the nights from its `in_service_from` while it is in service (a bed out of service today is
    left out of the whole period: its history of being out is not kept).
    """
    access.require(user, SHELTER_FACILITY, VIEW)
    last_night = end
    after = last_night + timedelta(days=1)
    nights_in_period = (after - start).days
    beds = Bed.objects.filter(room__facility=facility, in_service=True).values_list(
        "in_service_from", flat=True
    )
    available = sum(max((after - max(start, since)).days, 0) for since in beds)
    stays = (
        Stay.objects.filter(facility=facility, started_on__lt=after)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=start))
        .values_list("started_on", "ended_on", "end")
    )
    occupied = 0
    admissions = 0
    for started, ended, _end in stays:
        stop = min(ended or after, after)
        occupied += max((stop - max(started, start)).days, 0)
    admissions = (
        Stay.objects.filter(facility=facility, started_on__gte=start, started_on__lt=after)
        .filter(previous__isnull=True)
        .count()
    )
    discharges = Stay.objects.filter(
        facility=facility, ended_on__gte=start, ended_on__lt=after, end="discharged"
    ).count()
    return {
        "start": start,
        "end": last_night,
        "nights": nights_in_period,
        "available": available,
        "occupied": occupied,
        "rate": _percent(occupied, available),
        "admissions": admissions,
        "discharges": discharges,
    }


# --- House log -------------------------------------------------------------------------------------


def incidents_of(*, user, facility: Facility, request=None) -> list[Incident]:
    access.require(user, SHELTER_INCIDENT, VIEW)
    incidents = list(
        access.scoped(
            user,
            SHELTER_INCIDENT,
            VIEW,
            Incident.objects.filter(facility=facility)
            .select_related("recorded_by")
            .prefetch_related(
                Prefetch("residents", queryset=Stay.objects.select_related("person", "case"))
            ),
        )[:INCIDENT_PAGE_SIZE]
    )
    for incident in incidents:
        incident.resident_names = [
            f"{resident_name(stay.person)} ({stay.case.case_number})"
            for stay in incident.residents.all()
        ]
    audit_record(
        action=AuditAction.VIEW,
        actor=user,
        request=request,
        obj=facility,
        detail={"page": "house log", "incidents": len(incidents)},
    )
    return incidents


def residents_for_log(*, user, facility: Facility) -> list[tuple[str, str]]:
    """Current residents as (stay public id, label) choices for the house-log form."""
    today = timezone.localdate()
    stays = access.scoped(user, SHELTER_STAY, VIEW, _open_stays().filter(facility=facility))
    return [
        (
            str(stay.public_id),
            f"{resident_name(stay.person)} — {stay.case.case_number} — {stay.bed}",
        )
        for stay in stays.order_by("bed__room__name", "bed__label")
        if stay.started_on <= today
    ]


# --- The case page ---------------------------------------------------------------------------------


def case_shelter(*, user, case: Case) -> dict:
    """The shelter part of a case: current bed (facility name, never its address), history, and
    waiting-list requests, for users whose scope reaches the case's stays."""
    stays_visible = access.can(user, SHELTER_STAY, VIEW)
    waiting_visible = access.can(user, SHELTER_WAITING, VIEW)
    stays = (
        list(
            access.scoped(
                user,
                SHELTER_STAY,
                VIEW,
                Stay.objects.filter(case=case).select_related("bed__room", "facility__site"),
            ).order_by("-started_on", "-id")
        )
        if stays_visible
        else []
    )
    waiting = (
        list(
            access.scoped(
                user,
                SHELTER_WAITING,
                VIEW,
                WaitingEntry.objects.filter(case=case, status=WaitingStatus.WAITING).select_related(
                    "facility__site"
                ),
            )
        )
        if waiting_visible
        else []
    )
    may_request = bool(
        access.can(user, SHELTER_WAITING, CREATE)
        and access.scoped(user, SHELTER_WAITING, CREATE, Case.objects.filter(pk=case.pk)).exists()
    )
    current = next((stay for stay in stays if stay.ended_on is None), None)
    return {
        "visible": stays_visible or waiting_visible,
        "current": current,
        "history": [stay for stay in stays if stay.ended_on is not None],
        "waiting": waiting,
        "may_request": may_request and current is None,
        "today": timezone.localdate(),
    }
