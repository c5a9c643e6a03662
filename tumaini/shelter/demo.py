"""Demo shelter: the centre's 20-bed safe house (like HAART's) and a small children's house, with
residents from the demo caseload, a short waiting list and a few house-log entries.

Idempotent: facilities, rooms and beds are found by name; residents, the waiting list and the log are
written only when the demo facilities have no stay yet. Invented data, written through the shelter
services (so the bed fit rule and the audit trail apply to the demo too).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from tumaini.accounts.enums import SiteType
from tumaini.accounts.models import Organisation, Site, User
from tumaini.cases.demo_data import DEMO_NUMBER_PREFIX
from tumaini.cases.enums import CaseStage
from tumaini.cases.models import Case
from tumaini.shelter.enums import (
    DischargeDestination,
    DischargeReason,
    IncidentKind,
    RoomAgeGroup,
    RoomSex,
)
from tumaini.shelter.models import Bed, Facility, Room, Stay
from tumaini.shelter.services import (
    ShelterRefused,
    bed_fit_problem,
    incident_record,
    stay_admit,
    stay_discharge,
    stay_transfer,
    waiting_request,
)

CHILDREN_HOUSE = "Children's house B (demo)"

# site name -> (address, rooms: (name, beds, sex, age group, accessible beds))
FACILITIES: dict[str, tuple[str, list[tuple[str, int, str, str, int]]]] = {
    "Safe house A (demo)": (
        "Plot 14, an invented lane off an invented road, Nairobi (demo)",
        [
            ("Dada 1", 6, RoomSex.FEMALE, RoomAgeGroup.ADULTS_ONLY, 1),
            ("Dada 2", 6, RoomSex.FEMALE, RoomAgeGroup.ADULTS_ONLY, 0),
            ("Family room", 4, RoomSex.ANY, RoomAgeGroup.MIXED, 1),
            ("Men's room", 4, RoomSex.MALE, RoomAgeGroup.ADULTS_ONLY, 0),
        ],
    ),
    CHILDREN_HOUSE: (
        "House 3, an invented close, Nairobi (demo)",
        [
            ("Girls", 4, RoomSex.FEMALE, RoomAgeGroup.CHILDREN_ONLY, 0),
            ("Boys", 3, RoomSex.MALE, RoomAgeGroup.CHILDREN_ONLY, 0),
        ],
    ),
}

RESIDENT_STAGES = (
    CaseStage.PROTECTION,
    CaseStage.ASSESSMENT,
    CaseStage.CARE_PLANNING,
    CaseStage.ASSISTANCE,
)
PAST_STAGES = (CaseStage.REINTEGRATION, CaseStage.FOLLOW_UP, CaseStage.CLOSED)
MAX_RESIDENTS = 18
WAITING = 3

INCIDENTS = (
    (
        3,
        IncidentKind.VISITOR,
        "A man who said he was a cousin asked for a resident at the gate.",
        "Not let in; the resident's case manager and the police liaison were told.",
    ),
    (
        9,
        IncidentKind.CONFLICT,
        "Argument between two residents over the kitchen rota.",
        "Talked through with both; rota changed.",
    ),
    (
        16,
        IncidentKind.HEALTH,
        "Resident with a high fever at night.",
        "Taken to Mji Mwema Hospital by the night staff; back the next day.",
    ),
)


def _facilities(centre: Organisation, actor: User, today: date) -> list[Facility]:
    facilities = []
    for site_name, (address, rooms) in FACILITIES.items():
        site, _ = Site.objects.get_or_create(
            organisation=centre,
            name=site_name,
            defaults={"type": SiteType.SHELTER, "is_confidential": True},
        )
        facility, _ = Facility.objects.get_or_create(
            site=site, defaults={"organisation": centre, "address": address}
        )
        for name, beds, sex, age_group, accessible in rooms:
            room, _ = Room.objects.get_or_create(
                facility=facility, name=name, defaults={"sex": sex, "age_group": age_group}
            )
            for number in range(1, beds + 1):
                Bed.objects.get_or_create(
                    room=room,
                    label=str(number),
                    defaults={
                        "accessible": number <= accessible,
                        "in_service_from": today - timedelta(days=730),
                    },
                )
        facilities.append(facility)
    return facilities


def _free_fitting_bed(
    facilities: list[Facility], person, on: date, *, exclude: set[int] = frozenset()
) -> Bed | None:
    taken = set(exclude) | set(
        Stay.objects.filter(facility__in=facilities, ended_on__isnull=True).values_list(
            "bed_id", flat=True
        )
    )
    beds = (
        Bed.objects.filter(room__facility__in=facilities, in_service=True)
        .exclude(pk__in=taken)
        .select_related("room__facility")
        .order_by("room__facility__site__name", "room__name", "label")
    )
    for bed in beds:
        if bed_fit_problem(bed=bed, person=person, on=on) is None:
            return bed
    return None


def seed_demo_shelter(*, today: date | None = None) -> int:
    """Write the demo shelter; returns how many stays were written (0 on a second run)."""
    from tumaini.core import demo as core_demo

    centre = Organisation.objects.filter(name=core_demo.CENTRE).first()
    manager = User.objects.filter(username="shelter", is_demo=True).first()
    if centre is None or manager is None:
        return 0
    today = today or timezone.localdate()
    with transaction.atomic():
        facilities = _facilities(centre, manager, today)
        if Stay.objects.filter(facility__in=facilities).exists():
            return 0
        return _residents(centre, manager, facilities, today)


def _residents(centre, manager, facilities, today) -> int:
    demo_cases = (
        Case.objects.filter(organisation=centre, case_number__startswith=DEMO_NUMBER_PREFIX)
        .select_related("person", "assigned_to")
        .order_by("case_number")
    )
    written = 0
    used_before: set[int] = set()
    # Earlier residents: admitted soon after their case opened, left some weeks later.
    for case in demo_cases.filter(stage__in=PAST_STAGES)[:4]:
        admitted = timezone.localdate(case.opened_at) + timedelta(days=1)
        left = admitted + timedelta(days=45)
        # Each in a bed of their own, so that no two past stays overlap in one bed.
        bed = _free_fitting_bed(facilities, case.person, admitted, exclude=used_before)
        if bed is None or left >= today:
            continue
        used_before.add(bed.pk)
        stay = stay_admit(actor=manager, case=case, bed=bed, admitted_on=admitted)
        stay_discharge(
            actor=manager,
            stay=stay,
            left_on=left,
            reason=DischargeReason.PLAN_COMPLETED,
            destination=DischargeDestination.HOME_FAMILY,
        )
        written += 1
    residents = []
    for case in demo_cases.filter(stage__in=RESIDENT_STAGES):
        if len(residents) >= MAX_RESIDENTS:
            break
        admitted = max(timezone.localdate(case.opened_at), today - timedelta(days=80))
        bed = _free_fitting_bed(facilities, case.person, admitted)
        if bed is None:
            continue
        try:
            residents.append(
                stay_admit(
                    actor=manager,
                    case=case,
                    bed=bed,
                    admitted_on=admitted,
                    # Stays planned for two to four months: a few run over.
                    expected_leave_on=admitted + timedelta(days=60 + 15 * (len(residents) % 5)),
                )
            )
        except ShelterRefused:
            continue
        written += 1
    # One resident moved rooms, so the case page shows a history.
    family = [s for s in residents if s.bed.room.age_group == RoomAgeGroup.MIXED]
    if family:
        stay = family[0]
        bed = _free_fitting_bed(facilities, stay.person, today)
        if bed is not None and bed.room_id != stay.bed.room_id:
            moved_on = min(stay.started_on + timedelta(days=7), today)
            stay_transfer(
                actor=manager, stay=stay, bed=bed, moved_on=moved_on, reason="Quieter room"
            )
    # A short waiting list of new cases, asked for by their case managers.
    waiting = 0
    for case in demo_cases.filter(stage=CaseStage.SCREENING):
        if waiting >= WAITING or case.assigned_to is None:
            break
        facility = facilities[1] if case.person.is_child else facilities[0]
        try:
            waiting_request(
                actor=case.assigned_to,
                case=case,
                facility=facility,
                needed_from=today,
                note="Arrives from the police station this week.",
            )
        except ShelterRefused:
            continue
        waiting += 1
    safe_house_residents = [s for s in residents if s.facility_id == facilities[0].pk]
    for days_ago, kind, description, action in INCIDENTS:
        when = timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(21, 30)))
        involved = [
            s
            for s in safe_house_residents[: 2 if kind == IncidentKind.CONFLICT else 1]
            if s.started_on <= when.date()
        ]
        incident_record(
            actor=manager,
            facility=facilities[0],
            occurred_at=when,
            kind=kind,
            description=description,
            action_taken=action,
            residents=involved,
        )
    return written
