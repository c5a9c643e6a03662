"""The service catalogue: what the organisation offers, in-house or through partners."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tumaini.care.models import ServiceOffering
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.services import save_versioned


class CatalogueRefused(Exception):
    """The entry cannot be saved (the message says why)."""


DUPLICATE = "duplicate"


def offering_create(
    *, actor: Any, service_type: str, name: str, provider: Any, is_active: bool = True, request=None
) -> ServiceOffering:
    try:
        with transaction.atomic():
            offering = ServiceOffering.objects.create(
                organisation_id=actor.organisation_id,
                service_type=service_type,
                name=name.strip(),
                provider=provider,
                is_active=is_active,
            )
            audit_record(
                action=AuditAction.CREATE,
                actor=actor,
                request=request,
                obj=offering,
                fields_changed=["service_type", "name", "provider", "is_active"],
            )
    except IntegrityError:
        raise CatalogueRefused(
            _("This provider already has a service of that name in the catalogue.")
        ) from None
    return offering


def offering_update(
    *, actor: Any, offering: ServiceOffering, expected_version: int, changes: dict, request=None
) -> ServiceOffering:
    """Raises core.services.VersionConflict when someone saved the entry first."""
    changes = {**changes}
    if "name" in changes:
        changes["name"] = changes["name"].strip()
    try:
        with transaction.atomic():
            return save_versioned(
                record=offering,
                expected_version=expected_version,
                changes=changes,
                actor=actor,
                request=request,
            )
    except IntegrityError:
        raise CatalogueRefused(
            _("This provider already has a service of that name in the catalogue.")
        ) from None
