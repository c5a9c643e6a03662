"""Writes of the exploitation profile: the profile's vocabularies, trafficking events and suspected
perpetrators. The caller has checked `update` on the case. Every write is audited on the case, with
field names only (place details, names and phones are encrypted and never leave the row)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from tumaini.cases.enums import ExploitationType
from tumaini.cases.models import Case, ExploitationProfile, SuspectedPerpetrator, TraffickingEvent
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.services import VersionConflict

PROFILE_FIELDS = (
    "exploitation_types",
    "labour_sectors",
    "sexual_exploitation_types",
    "means_of_control",
    "recruiter_relation",
)
EVENT_FIELDS = (
    "type",
    "country",
    "county",
    "sub_county",
    "ward",
    "place_details",
    "started_on",
    "ended_on",
)
PERPETRATOR_FIELDS = ("name", "description", "phone", "relation", "nationality")

LABOUR_TYPES = {ExploitationType.FORCED_LABOUR, ExploitationType.CHILD_LABOUR}


def _audit(*, action, user, case: Case, changed, request, **detail: str) -> None:
    audit_record(
        action=action,
        actor=user,
        request=request,
        obj=case,
        fields_changed=changed,
        detail={"part": "profile", **detail},
    )


def _value_key(value: Any) -> Any:
    # Foreign keys compare by key, so an unchanged country is not reported as changed.
    return getattr(value, "pk", value)


def _changed(record, values: Mapping[str, Any]) -> list[str]:
    changed = []
    for name, value in values.items():
        field = record._meta.get_field(name)
        current = getattr(record, field.attname)
        if current != _value_key(value):
            changed.append(name)
    return changed


def profile_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Sector lists only stand beside the exploitation they describe."""
    values = {name: values[name] for name in PROFILE_FIELDS if name in values}
    types = set(values.get("exploitation_types") or [])
    if not types & LABOUR_TYPES:
        values["labour_sectors"] = []
    if ExploitationType.SEXUAL_EXPLOITATION not in types:
        values["sexual_exploitation_types"] = []
    return values


def profile_update(
    *, user, case: Case, expected_version: int, values: Mapping[str, Any], request=None
) -> ExploitationProfile:
    """Change the case's profile (creating it at version 1 on first use) if it is still at
    `expected_version`; VersionConflict otherwise."""
    values = profile_values(values)
    with transaction.atomic():
        profile, _created = ExploitationProfile.objects.get_or_create(case=case)
        current = ExploitationProfile.objects.select_for_update().get(pk=profile.pk)
        if current.version != expected_version:
            raise VersionConflict(current)
        changed = _changed(current, values)
        if not changed:
            return current
        bumped = ExploitationProfile.objects.filter(pk=current.pk, version=expected_version).update(
            version=expected_version + 1
        )
        if bumped != 1:
            raise VersionConflict(ExploitationProfile.objects.get(pk=current.pk))
        for name in changed:
            setattr(current, name, values[name])
        current.version = expected_version + 1
        current.save(update_fields=[*changed, "version", "updated_at"])
        _audit(
            action=AuditAction.UPDATE,
            user=user,
            case=case,
            changed=[f"profile.{name}" for name in changed],
            request=request,
        )
    return current


def _given(values: Mapping[str, Any]) -> list[str]:
    return [name for name, value in values.items() if value not in (None, "", [])]


def event_create(*, user, case: Case, values: Mapping[str, Any], request=None) -> TraffickingEvent:
    values = {name: values.get(name) for name in EVENT_FIELDS}
    values["place_details"] = values["place_details"] or ""
    with transaction.atomic():
        event = TraffickingEvent.objects.create(case=case, **values)
        _audit(
            action=AuditAction.CREATE,
            user=user,
            case=case,
            changed=[f"trafficking_event.{name}" for name in _given(values)],
            request=request,
            trafficking_event=str(event.public_id),
        )
    return event


def event_update(
    *, user, event: TraffickingEvent, values: Mapping[str, Any], request=None
) -> TraffickingEvent:
    values = {name: values.get(name) for name in EVENT_FIELDS}
    values["place_details"] = values["place_details"] or ""
    with transaction.atomic():
        changed = _changed(event, values)
        if not changed:
            return event
        for name in changed:
            setattr(event, name, values[name])
        event.save(update_fields=changed)
        _audit(
            action=AuditAction.UPDATE,
            user=user,
            case=event.case,
            changed=[f"trafficking_event.{name}" for name in changed],
            request=request,
            trafficking_event=str(event.public_id),
        )
    return event


def event_delete(*, user, event: TraffickingEvent, request=None) -> None:
    with transaction.atomic():
        _audit(
            action=AuditAction.DELETE,
            user=user,
            case=event.case,
            changed=[],
            request=request,
            trafficking_event=str(event.public_id),
        )
        event.delete()


def perpetrator_create(
    *, user, case: Case, values: Mapping[str, Any], request=None
) -> SuspectedPerpetrator:
    values = {name: values.get(name) for name in PERPETRATOR_FIELDS}
    for name in ("name", "description", "phone", "relation"):
        values[name] = values[name] or ""
    with transaction.atomic():
        perpetrator = SuspectedPerpetrator.objects.create(case=case, **values)
        _audit(
            action=AuditAction.CREATE,
            user=user,
            case=case,
            changed=[f"perpetrator.{name}" for name in _given(values)],
            request=request,
            perpetrator=str(perpetrator.public_id),
        )
    return perpetrator


def perpetrator_update(
    *, user, perpetrator: SuspectedPerpetrator, values: Mapping[str, Any], request=None
) -> SuspectedPerpetrator:
    values = {name: values.get(name) for name in PERPETRATOR_FIELDS}
    for name in ("name", "description", "phone", "relation"):
        values[name] = values[name] or ""
    with transaction.atomic():
        changed = _changed(perpetrator, values)
        if not changed:
            return perpetrator
        for name in changed:
            setattr(perpetrator, name, values[name])
        # save() without update_fields: the blind indexes beside name and phone are refreshed.
        perpetrator.save()
        _audit(
            action=AuditAction.UPDATE,
            user=user,
            case=perpetrator.case,
            changed=[f"perpetrator.{name}" for name in changed],
            request=request,
            perpetrator=str(perpetrator.public_id),
        )
    return perpetrator


def perpetrator_delete(*, user, perpetrator: SuspectedPerpetrator, request=None) -> None:
    with transaction.atomic():
        _audit(
            action=AuditAction.DELETE,
            user=user,
            case=perpetrator.case,
            changed=[],
            request=request,
            perpetrator=str(perpetrator.public_id),
        )
        perpetrator.delete()
