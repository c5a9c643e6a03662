"""Writes of the core app, and the write mechanisms every survivor app shares.

- `save_versioned`: optimistic locking on `ScopedRecord.version`, so two people editing the same
  record cannot silently overwrite each other;
- `break_glass_open`: a supervisor's audited, time-limited access to one record outside their scope.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tumaini.core import access
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.fields import blind_index_fields
from tumaini.core.models import BreakGlassGrant

BREAK_GLASS_REASON_MIN_LENGTH = 20


class VersionConflict(Exception):
    """Another edit landed after the user read the record; nothing of theirs was saved."""

    def __init__(self, current: models.Model) -> None:
        self.current = current
        super().__init__(
            _("Someone else changed this record after you opened it. Your changes were not saved.")
        )


class BreakGlassRefused(Exception):
    """A break-glass request that cannot be granted (the message says why, for the form)."""


def save_versioned(
    *,
    record: models.Model,
    expected_version: int,
    changes: Mapping[str, Any],
    actor: Any,
    request: Any = None,
) -> models.Model:
    """Apply `changes` to `record` if it is still at `expected_version`, and audit the update.

    Raises `VersionConflict` (carrying the current row) when another edit landed first. Returns the
    saved row, at the next version; a save that changes nothing writes nothing.
    """
    model = type(record)
    with transaction.atomic():
        # Row lock on PostgreSQL; SQLite's IMMEDIATE transactions already hold the write lock.
        current = model.objects.select_for_update().get(pk=record.pk)
        if current.version != expected_version:
            raise VersionConflict(current)
        changed = sorted(name for name, value in changes.items() if getattr(current, name) != value)
        if not changed:
            return current
        # The conditional UPDATE is the gate whatever the locking: it matches no row once another
        # edit bumped the version.
        bumped = model.objects.filter(pk=record.pk, version=expected_version).update(
            version=expected_version + 1
        )
        if bumped != 1:
            raise VersionConflict(model.objects.get(pk=record.pk))
        for name in changed:
            setattr(current, name, changes[name])
        current.version = expected_version + 1
        update_fields = set(changed) | {"version"}
        update_fields |= {f.name for f in blind_index_fields(model) if f.source in changed}
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            update_fields.add("updated_at")
        current.save(update_fields=sorted(update_fields))
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            obj=current,
            fields_changed=changed,
            detail={"version": current.version},
        )
    return current


def break_glass_hours() -> int:
    return int(getattr(settings, "TUMAINI_BREAK_GLASS_HOURS", 4))


def break_glass_open(
    *,
    user: Any,
    resource: str,
    record: models.Model,
    reason: str,
    request: Any = None,
) -> BreakGlassGrant:
    """Open one record outside the user's scope for TUMAINI_BREAK_GLASS_HOURS, with a reason.

    The caller found `record` through `selectors.break_glass_target` (which answers 404 to users
    without break-glass rights); this checks the rules again so no other path can skip them.
    """
    reason = reason.strip()
    if len(reason) < BREAK_GLASS_REASON_MIN_LENGTH:
        raise BreakGlassRefused(
            _("Say why you need this record, in at least %(count)d characters.")
            % {"count": BREAK_GLASS_REASON_MIN_LENGTH}
        )
    model = type(record)
    reachable = access.scoped(user, resource, access.BREAK_GLASS, model.objects.all())
    if not reachable.filter(pk=record.pk).exists():
        raise BreakGlassRefused(_("You may not open this record."))
    visible = access.scoped(
        user, resource, access.VIEW, model.objects.all(), include_break_glass=False
    )
    if visible.filter(pk=record.pk).exists():
        raise BreakGlassRefused(
            _("This record is already within your access: open it the usual way.")
        )
    hours = break_glass_hours()
    with transaction.atomic():
        grant = BreakGlassGrant.objects.create(
            user=user,
            resource=resource,
            object_id=record.public_id,
            reason=reason,
            expires_at=timezone.now() + timedelta(hours=hours),
        )
        audit_record(
            action=AuditAction.BREAK_GLASS,
            actor=user,
            request=request,
            obj=record,
            # The reason often names the survivor: it stays encrypted on the grant. The event keeps
            # its digest, so the chain still proves the reason was not changed afterwards.
            detail={
                "resource": resource,
                "grant": str(grant.public_id),
                "expires_at": grant.expires_at.isoformat(),
                "reason_sha256": hashlib.sha256(reason.encode()).hexdigest(),
            },
        )
    return grant
