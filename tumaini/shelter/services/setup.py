"""Setting up a shelter: facilities (on a confidential shelter site), rooms with their restrictions,
beds in and out of service. Shelter managers and directors of the organisation; every write audited.

A room's restrictions may change only if every current resident still fits the room as it would be
(the admissions' own `bed_fit_problem`), and a bed someone sleeps in stays in service.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tumaini.accounts.enums import SiteType
from tumaini.accounts.models import Site
from tumaini.core import access
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.services import VersionConflict, save_versioned
from tumaini.shelter.models import Bed, Facility, Room, Stay
from tumaini.shelter.policies import SHELTER_FACILITY
from tumaini.shelter.services import ShelterRefused, _require_in_scope, bed_fit_problem

# --- Set-up: facilities, rooms and beds (shelter managers, directors) ---------------------------


def facility_create(
    *,
    actor,
    site: Site | None = None,
    organisation=None,
    name: str = "",
    address: str = "",
    is_active: bool = True,
    request=None,
) -> Facility:
    """A facility on an existing shelter site of the organisation, or on a new one named `name`."""
    organisation_id = site.organisation_id if site is not None else organisation.pk
    # Services re-check the policy: organisation scope, the actor's own organisation only.
    if not access.can(actor, SHELTER_FACILITY, access.CREATE) or (
        actor.organisation_id != organisation_id
    ):
        raise ShelterRefused(_("You may not do this here."))
    with transaction.atomic():
        if site is None:
            if Site.objects.filter(organisation=organisation, name__iexact=name).exists():
                raise ShelterRefused(
                    _("Your organisation already has a place with this name."), field="name"
                )
            # A shelter's whereabouts are confidential: the site is marked so for every list.
            site = Site.objects.create(
                organisation=organisation, name=name, type=SiteType.SHELTER, is_confidential=True
            )
        elif site.type != SiteType.SHELTER or Facility.objects.filter(site=site).exists():
            raise ShelterRefused(_("Choose a shelter site that has no facility yet."), field="site")
        facility = Facility.objects.create(
            organisation=site.organisation, site=site, address=address, is_active=is_active
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=facility,
            fields_changed=["site"] + (["address"] if address else []),
        )
    return facility


def facility_update(
    *,
    actor,
    facility: Facility,
    expected_version: int,
    name: str,
    address: str,
    is_active: bool,
    request=None,
) -> Facility:
    """Rename (through its site), change the address, open or close; refused if edited meanwhile."""
    _require_in_scope(actor, SHELTER_FACILITY, access.UPDATE, Facility, facility.pk)
    with transaction.atomic():
        # A rename alone changes only the site: the facility's version must still be checked.
        current = Facility.objects.select_for_update().get(pk=facility.pk)
        if current.version != expected_version:
            raise VersionConflict(current)
        site = Site.objects.select_for_update().get(pk=facility.site_id)
        if name != site.name:
            taken = Site.objects.filter(organisation_id=site.organisation_id, name__iexact=name)
            if taken.exclude(pk=site.pk).exists():
                raise ShelterRefused(
                    _("Your organisation already has a place with this name."), field="name"
                )
        updated = save_versioned(
            record=facility,
            expected_version=expected_version,
            changes={"address": address, "is_active": is_active},
            actor=actor,
            request=request,
        )
        if name != site.name:
            if updated.version == expected_version:
                Facility.objects.filter(pk=facility.pk).update(version=F("version") + 1)
                updated.refresh_from_db(fields=["version"])
            site.name = name
            site.save(update_fields=["name"])
            audit_record(
                action=AuditAction.UPDATE,
                actor=actor,
                request=request,
                obj=site,
                fields_changed=["name"],
                detail={"facility": str(facility.public_id)},
            )
    return updated


ROOM_RESTRICTIONS = ("sex", "age_group", "min_age", "max_age")


def _check_age_range(min_age, max_age) -> None:
    if min_age is not None and max_age is not None and min_age > max_age:
        raise ShelterRefused(_("The oldest age cannot be below the youngest age."), field="max_age")


def _check_room_name(facility: Facility, name: str, *, room: Room | None = None) -> None:
    others = Room.objects.filter(facility=facility, name__iexact=name)
    if room is not None:
        others = others.exclude(pk=room.pk)
    if others.exists():
        raise ShelterRefused(_("This facility already has a room with this name."), field="name")


def room_create(
    *, actor, facility: Facility, name: str, beds: int = 0, request=None, **restrictions
) -> Room:
    """A room with its restrictions (sex, age group, age range) and `beds` beds labelled 1, 2, …"""
    _require_in_scope(actor, SHELTER_FACILITY, access.UPDATE, Facility, facility.pk)
    _check_age_range(restrictions.get("min_age"), restrictions.get("max_age"))
    with transaction.atomic():
        _check_room_name(facility, name)
        room = Room.objects.create(facility=facility, name=name, **restrictions)
        for number in range(1, beds + 1):
            Bed.objects.create(room=room, label=str(number), in_service_from=timezone.localdate())
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=facility,
            fields_changed=["rooms"],
            detail={"room": str(room.public_id), "beds": beds},
        )
    return room


def room_update(
    *, actor, room: Room, expected_version: int, name: str, request=None, **restrictions
) -> Room:
    """Rename a room or change its restrictions; refused when a current resident would not fit."""
    _require_in_scope(actor, SHELTER_FACILITY, access.UPDATE, Room, room.pk)
    _check_age_range(restrictions.get("min_age"), restrictions.get("max_age"))
    with transaction.atomic():
        _check_room_name(room.facility, name, room=room)
        changed = [key for key in ROOM_RESTRICTIONS if getattr(room, key) != restrictions[key]]
        if changed:
            # The rule of admissions, applied to the room as it would be: nobody is left misplaced.
            future = Room(facility=room.facility, name=name, **restrictions)
            today = timezone.localdate()
            open_stays = Stay.objects.select_related("bed", "person", "case").filter(
                bed__room=room, ended_on__isnull=True
            )
            for stay in open_stays:
                stay.bed.room = future
                problem = bed_fit_problem(bed=stay.bed, person=stay.person, on=today)
                if problem:
                    raise ShelterRefused(
                        _(
                            "The resident of bed %(bed)s (%(number)s) would no longer fit: "
                            "%(problem)s Move them first; nothing was saved."
                        )
                        % {
                            "bed": stay.bed.label,
                            "number": stay.case.case_number,
                            "problem": problem,
                        },
                        field=changed[0],
                    )
        return save_versioned(
            record=room,
            expected_version=expected_version,
            changes={"name": name, **restrictions},
            actor=actor,
            request=request,
        )


def bed_add(*, actor, room: Room, label: str, accessible: bool = False, request=None) -> Bed:
    _require_in_scope(actor, SHELTER_FACILITY, access.UPDATE, Room, room.pk)
    with transaction.atomic():
        if Bed.objects.filter(room=room, label__iexact=label).exists():
            raise ShelterRefused(_("This room already has a bed with this label."), field="label")
        bed = Bed.objects.create(
            room=room, label=label, accessible=accessible, in_service_from=timezone.localdate()
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=bed,
            fields_changed=["label"] + (["accessible"] if accessible else []),
            detail={"room": str(room.public_id)},
        )
    return bed


def bed_update(*, actor, bed: Bed, accessible: bool, in_service: bool, request=None) -> Bed:
    """Mark a bed accessible or not; take it out of service (never while someone sleeps in it)."""
    _require_in_scope(actor, SHELTER_FACILITY, access.UPDATE, Bed, bed.pk)
    with transaction.atomic():
        current = Bed.objects.select_for_update().select_related("room").get(pk=bed.pk)
        resident = (
            Stay.objects.select_related("person").filter(bed=current, ended_on__isnull=True).first()
        )
        if not in_service and current.in_service and resident is not None:
            raise ShelterRefused(
                _(
                    "Someone is in this bed: move or discharge them before taking the bed "
                    "out of service."
                ),
                field="in_service",
            )
        if current.accessible and not accessible and resident is not None:
            # The resident may need a bed without steps: the admissions' rule decides.
            current.accessible = False
            problem = bed_fit_problem(bed=current, person=resident.person, on=timezone.localdate())
            current.accessible = True
            if problem:
                raise ShelterRefused(problem, field="accessible")
        changed = [
            name
            for name, value in (("accessible", accessible), ("in_service", in_service))
            if getattr(current, name) != value
        ]
        if not changed:
            return current
        current.accessible = accessible
        current.in_service = in_service
        current.save(update_fields=changed)
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            obj=current,
            fields_changed=changed,
        )
    return current
