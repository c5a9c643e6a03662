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
from tumaini.directory.models import DirectoryProfile, PartnerService, ServiceTypeTag

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


def partner_service_touch(*, service: PartnerService) -> None:
    """Mark a service modified when something hanging off it changed (HSDS `modified_after`)."""
    PartnerService.objects.filter(pk=service.pk).update(updated_at=timezone.now())
