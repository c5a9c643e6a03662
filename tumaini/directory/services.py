"""Writes of the partner directory: one transaction each, audited, stale edits refused."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from tumaini.accounts.models import Organisation
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.services import VersionConflict
from tumaini.directory.models import (
    Contact,
    DirectoryProfile,
    Location,
    PartnerService,
    Phone,
    Schedule,
    ServiceAtLocation,
    ServiceTypeTag,
)

PROFILE_FIELDS = ("alternate_name", "description", "website", "email", "legal_status", "is_listed")
MOU_FIELDS = ("mou_status", "mou_signed_on", "mou_expires_on", "mou_notes")
SERVICE_FIELDS = (
    "name",
    "alternate_name",
    "description",
    "status",
    "url",
    "email",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "eligible_sex",
    "eligible_nationality",
    "fees_description",
    "application_process",
    "wait_time",
)
SERVICE_SETS = ("languages", "catchment_counties", "catchment_sub_counties")


def _apply_versioned(
    *, record, expected_version: int, values: Mapping[str, Any], fields: Iterable[str]
) -> list[str]:
    """Apply `values` (only `fields`) to the locked `record` if still at `expected_version`."""
    if record.version != expected_version:
        raise VersionConflict(record)
    changed = [name for name in fields if name in values and getattr(record, name) != values[name]]
    for name in changed:
        setattr(record, name, values[name])
    return changed


def directory_profile_save(
    *,
    actor: Any,
    organisation: Organisation,
    expected_version: int,
    values: Mapping[str, Any],
    may_edit_mou: bool,
    request: Any = None,
) -> DirectoryProfile:
    """Create or update an organisation's directory entry (the MoU only if `may_edit_mou`)."""
    fields = PROFILE_FIELDS + (MOU_FIELDS if may_edit_mou else ())
    with transaction.atomic():
        profile = (
            DirectoryProfile.objects.select_for_update().filter(organisation=organisation).first()
        )
        if profile is None:
            profile = DirectoryProfile(organisation=organisation)
            for name in fields:
                if name in values:
                    setattr(profile, name, values[name])
            profile.save()
            audit_record(
                action=AuditAction.CREATE,
                actor=actor,
                request=request,
                obj=profile,
                fields_changed=[n for n in fields if n in values],
            )
            return profile
        changed = _apply_versioned(
            record=profile, expected_version=expected_version, values=values, fields=fields
        )
        if not changed:
            return profile
        profile.version += 1
        profile.save()
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            obj=profile,
            fields_changed=sorted(changed),
            detail={"version": profile.version},
        )
        return profile


def _set_service_types(service: PartnerService, codes: Iterable[str]) -> bool:
    wanted = set(codes)
    current = set(service.service_types.values_list("service_type", flat=True))
    if wanted == current:
        return False
    service.service_types.exclude(service_type__in=wanted).delete()
    ServiceTypeTag.objects.bulk_create(
        [ServiceTypeTag(service=service, service_type=code) for code in sorted(wanted - current)]
    )
    return True


def _set_relations(service: PartnerService, values: Mapping[str, Any]) -> list[str]:
    changed = []
    if "service_types" in values and _set_service_types(service, values["service_types"]):
        changed.append("service_types")
    for name in SERVICE_SETS:
        if name not in values:
            continue
        manager = getattr(service, name)
        wanted = {item.pk for item in values[name]}
        if wanted != set(manager.values_list("pk", flat=True)):
            manager.set(values[name])
            changed.append(name)
    return changed


def partner_service_create(
    *, actor: Any, organisation: Organisation, values: Mapping[str, Any], request: Any = None
) -> PartnerService:
    with transaction.atomic():
        service = PartnerService(organisation=organisation)
        for name in SERVICE_FIELDS:
            if name in values:
                setattr(service, name, values[name])
        service.save()
        changed = _set_relations(service, values)
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=service,
            fields_changed=[n for n in SERVICE_FIELDS if n in values] + changed,
        )
    return service


def partner_service_update(
    *,
    actor: Any,
    service: PartnerService,
    expected_version: int,
    values: Mapping[str, Any],
    request: Any = None,
) -> PartnerService:
    with transaction.atomic():
        current = PartnerService.objects.select_for_update().get(pk=service.pk)
        changed = _apply_versioned(
            record=current, expected_version=expected_version, values=values, fields=SERVICE_FIELDS
        )
        changed += _set_relations(current, values)
        if not changed:
            return current
        current.version += 1
        # Also bumps updated_at, which HSDS readers follow with `modified_after`.
        current.save()
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            obj=current,
            fields_changed=sorted(changed),
            detail={"version": current.version},
        )
    return current


# --- Locations, hours, phones, contacts ----------------------------------------------------------

LOCATION_FIELDS = (
    "name",
    "location_type",
    "description",
    "site",
    "is_confidential",
    "address_1",
    "city",
    "postal_code",
    "county",
    "sub_county",
    "ward",
    "latitude",
    "longitude",
)
CONTACT_FIELDS = ("name", "title", "department", "email", "phone", "service")


def _touch_services(service_ids: Iterable[int]) -> None:
    """Mark services modified when what hangs off them changed (HSDS `modified_after`)."""
    ids = list(service_ids)
    if ids:
        PartnerService.objects.filter(pk__in=ids).update(updated_at=timezone.now())


def _without_whereabouts_if_confidential(values: dict[str, Any]) -> dict[str, Any]:
    """A confidential location keeps no coordinates (the database refuses them too)."""
    site = values.get("site")
    if values.get("is_confidential") or (site is not None and site.is_confidential):
        values = {**values, "is_confidential": True, "latitude": None, "longitude": None}
    return values


def location_save(
    *,
    actor: Any,
    organisation: Organisation,
    values: Mapping[str, Any],
    services: Iterable[PartnerService],
    location: Location | None = None,
    expected_version: int | None = None,
    request: Any = None,
) -> Location:
    """Create or update a location and which of the organisation's services are offered there."""
    values = _without_whereabouts_if_confidential(dict(values))
    wanted = {service.pk for service in services if service.organisation_id == organisation.pk}
    with transaction.atomic():
        if location is None:
            current = Location(organisation=organisation)
            changed = [name for name in LOCATION_FIELDS if name in values]
            for name in changed:
                setattr(current, name, values[name])
            current.save()
            action = AuditAction.CREATE
        else:
            current = Location.objects.select_for_update().get(pk=location.pk)
            changed = _apply_versioned(
                record=current,
                expected_version=expected_version or 0,
                values=values,
                fields=LOCATION_FIELDS,
            )
            action = AuditAction.UPDATE
        linked = set(current.services_here.values_list("service_id", flat=True))
        if linked != wanted:
            current.services_here.exclude(service_id__in=wanted).delete()
            ServiceAtLocation.objects.bulk_create(
                [ServiceAtLocation(service_id=pk, location=current) for pk in wanted - linked]
            )
            changed.append("services")
        if not changed:
            return current
        if action == AuditAction.UPDATE:
            current.version += 1
            current.save()
        _touch_services(linked | wanted)
        audit_record(
            action=action, actor=actor, request=request, obj=current, fields_changed=sorted(changed)
        )
    return current


def location_delete(*, actor: Any, location: Location, request: Any = None) -> None:
    with transaction.atomic():
        service_ids = list(location.services_here.values_list("service_id", flat=True))
        audit_record(action=AuditAction.DELETE, actor=actor, request=request, obj=location)
        location.delete()
        _touch_services(service_ids)


def schedule_add(
    *, actor: Any, service: PartnerService, values: Mapping[str, Any], request: Any = None
) -> Schedule:
    with transaction.atomic():
        schedule = Schedule.objects.create(
            service=service,
            byday=",".join(values["days"]),
            opens_at=values.get("opens_at"),
            closes_at=values.get("closes_at"),
            description=values.get("description", ""),
        )
        _touch_services([service.pk])
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=schedule,
            fields_changed=["byday", "opens_at", "closes_at"],
        )
    return schedule


def schedule_delete(*, actor: Any, schedule: Schedule, request: Any = None) -> None:
    with transaction.atomic():
        audit_record(action=AuditAction.DELETE, actor=actor, request=request, obj=schedule)
        if schedule.service_id:
            _touch_services([schedule.service_id])
        schedule.delete()


def phone_add(
    *,
    actor: Any,
    organisation: Organisation,
    values: Mapping[str, Any],
    service: PartnerService | None = None,
    request: Any = None,
) -> Phone:
    with transaction.atomic():
        phone = Phone.objects.create(
            organisation=organisation,
            service=service,
            number=values["number"],
            extension=values.get("extension", ""),
            type=values["type"],
            description=values.get("description", ""),
        )
        if service is not None:
            _touch_services([service.pk])
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=phone,
            fields_changed=["number", "type"],
        )
    return phone


def phone_delete(*, actor: Any, phone: Phone, request: Any = None) -> None:
    with transaction.atomic():
        audit_record(action=AuditAction.DELETE, actor=actor, request=request, obj=phone)
        if phone.service_id:
            _touch_services([phone.service_id])
        phone.delete()


def contact_save(
    *,
    actor: Any,
    organisation: Organisation,
    values: Mapping[str, Any],
    contact: Contact | None = None,
    expected_version: int | None = None,
    request: Any = None,
) -> Contact:
    with transaction.atomic():
        if contact is None:
            current = Contact(organisation=organisation)
            changed = [name for name in CONTACT_FIELDS if name in values]
            for name in changed:
                setattr(current, name, values[name])
            current.save()
            action = AuditAction.CREATE
        else:
            current = Contact.objects.select_for_update().get(pk=contact.pk)
            changed = _apply_versioned(
                record=current,
                expected_version=expected_version or 0,
                values=values,
                fields=CONTACT_FIELDS,
            )
            if not changed:
                return current
            current.version += 1
            current.save()
            action = AuditAction.UPDATE
        # Field names only: the values are a person's contact details.
        audit_record(
            action=action, actor=actor, request=request, obj=current, fields_changed=sorted(changed)
        )
    return current


def contact_delete(*, actor: Any, contact: Contact, request: Any = None) -> None:
    with transaction.atomic():
        audit_record(action=AuditAction.DELETE, actor=actor, request=request, obj=contact)
        contact.delete()
