"""What the services of the accounts app share: stale-edit tokens, row locks, change tracking.

Concurrent edits: an edit form carries a `state` token, a keyed hash of the record's editable
values when the form was shown (`state_token`). The service recomputes it under a row lock and
refuses the edit when it differs, so a stale form never silently overwrites someone else's edit.
We chose this over a version column because a user's roles and teams live in other tables: the
token covers them without a migration or any bookkeeping elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from tumaini.accounts.models import Organisation, Site, Team, User


class StaleEditError(ValidationError):
    """The record changed after the form was shown."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else changed this record after you opened the form. Nothing was "
                "saved: reload the page to see the current values, then make your change again."
            ),
            code="stale",
        )


def _fingerprint(kind: str, values: Iterable[Any]) -> str:
    return salted_hmac(f"tumaini.accounts.state.{kind}", repr(tuple(values))).hexdigest()


def state_token(record: Organisation | Site | Team | User) -> str:
    """A keyed hash of what an edit form can change (keyed: it hides the encrypted phone)."""
    if isinstance(record, Organisation):
        return _fingerprint(
            "organisation",
            (record.name, record.short_name, record.type, record.county_id, record.is_active),
        )
    if isinstance(record, Site):
        return _fingerprint(
            "site", (record.name, record.type, record.sub_county_id, record.is_confidential)
        )
    if isinstance(record, Team):
        members = sorted(record.members.values_list("pk", flat=True))
        return _fingerprint("team", (record.name, record.site_id, members))
    if isinstance(record, User):
        teams = sorted(record.teams.values_list("pk", flat=True))
        roles = sorted(record.role_assignments.values_list("role", flat=True))
        return _fingerprint(
            "user",
            (
                record.username,
                record.first_name,
                record.last_name,
                record.email,
                record.organisation_id,
                record.phone,
                record.is_active,
                teams,
                roles,
            ),
        )
    raise TypeError(f"no state token for {type(record).__name__}")


def check_fresh(record: Any, expected_state: str | None) -> None:
    if expected_state is not None and expected_state != state_token(record):
        raise StaleEditError()


def locked(model: type, pk: int) -> Any:
    # The lock serialises two edits of the same record (SQLite serialises every write anyway).
    return model.objects.select_for_update().get(pk=pk)


def apply_values(record: Any, names: Iterable[str], values: dict[str, Any]) -> list[str]:
    """Set the given fields; return the names of those whose value changed."""
    changed = []
    for name in names:
        if name not in values:
            continue
        if getattr(record, name) != values[name]:
            setattr(record, name, values[name])
            changed.append(name)
    return changed


def copy_saved(target: Any, source: Any) -> None:
    """Copy the saved values back onto the caller's instance (it may be rendered next)."""
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    for cache in ("_role_codes", "_team_ids", "_prefetched_objects_cache"):
        target.__dict__.pop(cache, None)
    target._state.fields_cache.clear()
