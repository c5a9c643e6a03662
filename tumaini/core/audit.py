"""The audit trail: who did what to which record, hash-chained, written with the action itself.

`audit_record()` must be called inside the transaction of the action it records (it opens a savepoint
when one is open, a transaction otherwise), so an action and its event are committed together or not
at all. Reads are recorded too: a selector that returns a survivor record writes a `view` event.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64

# The fields that make up an event's hash, in order. Changing any of them breaks the chain.
HASHED_FIELDS = (
    "id",
    "at",
    "actor_id",
    "actor_username",
    "organisation_id_at_time",
    "ip_address",
    "action",
    "object_type",
    "object_id",
    "object_organisation_id",
    "fields_changed",
    "reason",
    "detail",
    "prev_hash",
)


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        # Microsecond ISO form in UTC: identical whatever the database's timezone handling.
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def event_hash(values: dict[str, Any]) -> str:
    payload = json.dumps(
        {name: _canonical(values[name]) for name in HASHED_FIELDS},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def client_ip(request: Any) -> str | None:
    if request is None:
        return None
    # Behind nginx the real address arrives in X-Real-IP, set by our proxy configuration only.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR") or None


def object_identity(obj: Any) -> tuple[str, str, int | None]:
    """(record type, record id, owning organisation) as events name a record."""
    return _object_identity(obj)


def _object_identity(obj: Any) -> tuple[str, str, int | None]:
    if obj is None:
        return "", "", None
    object_type = obj._meta.label_lower
    object_id = str(getattr(obj, "public_id", None) or obj.pk)
    organisation_id = getattr(obj, "organisation_id", None)
    if object_type == "accounts.organisation":
        organisation_id = obj.pk
    return object_type, object_id, organisation_id


def audit_record(
    *,
    action: AuditAction | str,
    actor: Any = None,
    request: Any = None,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    object_organisation_id: int | None = None,
    fields_changed: Iterable[str] = (),
    reason: str = "",
    detail: dict[str, Any] | None = None,
    username: str = "",
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if obj is not None:
        object_type, object_id, object_organisation_id = _object_identity(obj)
    actor_id = actor.pk if actor is not None and actor.pk else None
    with transaction.atomic():
        head = _locked_head()
        event = AuditEvent(
            at=timezone.now(),
            actor_id=actor_id,
            actor_username=(actor.get_username() if actor_id else username)[:150],
            organisation_id_at_time=getattr(actor, "organisation_id", None) if actor_id else None,
            ip_address=client_ip(request),
            action=str(action),
            object_type=object_type,
            object_id=str(object_id),
            object_organisation_id=object_organisation_id,
            fields_changed=sorted(set(fields_changed)),
            reason=reason,
            detail=detail or {},
            prev_hash=head.last_hash,
            hash="pending",
        )
        # The id takes part in the hash, so an event cannot be moved elsewhere in the chain.
        event.id = head.last_event_id + 1
        event.hash = event_hash(_values(event))
        event.save(force_insert=True)
        AuditChainHead.objects.filter(pk=head.pk).update(
            last_hash=event.hash, last_event_id=event.id, length=head.length + 1
        )
    return event


def _locked_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS_HASH})
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def _values(event: AuditEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in HASHED_FIELDS}


# --- Verification -------------------------------------------------------------------------------


@dataclass
class ChainProblem:
    event_id: int | None
    message: str


def verify_chain(batch_size: int = 5000) -> Iterator[ChainProblem]:
    """Walk the chain in order and yield every place it was changed, cut or extended."""
    expected_prev = GENESIS_HASH
    expected_id = 1
    count = 0
    last_id = 0
    queryset = AuditEvent.objects.order_by("id")
    cursor_from = 0
    while True:
        batch = list(queryset.filter(id__gt=cursor_from)[:batch_size])
        if not batch:
            break
        for event in batch:
            count += 1
            if event.id != expected_id:
                yield ChainProblem(
                    event.id,
                    f"events {expected_id}–{event.id - 1} are missing (deleted)"
                    if event.id > expected_id
                    else f"event {event.id} is out of sequence",
                )
            if event.prev_hash != expected_prev:
                yield ChainProblem(
                    event.id,
                    f"event {event.id} does not follow the event before it "
                    "(an event was deleted or inserted before it)",
                )
            if event_hash(_values(event)) != event.hash:
                yield ChainProblem(event.id, f"event {event.id} was changed after it was written")
            expected_prev = event.hash
            expected_id = event.id + 1
            last_id = event.id
        cursor_from = batch[-1].id
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None:
        if head.last_event_id != last_id or head.last_hash != expected_prev:
            yield ChainProblem(
                None,
                f"the chain should end at event {head.last_event_id} but ends at {last_id} "
                "(events were removed from or added to the end)",
            )
        if head.length != count:
            yield ChainProblem(
                None, f"the chain should hold {head.length} events, it holds {count}"
            )
    elif count:
        yield ChainProblem(None, "the chain head is missing")


def install_append_only_guard(schema_editor: Any) -> None:
    """Refuse UPDATE and DELETE on the audit table in the database itself (used by a migration)."""
    table = AuditEvent._meta.db_table
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            schema_editor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
            )
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION tumaini_audit_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END; $$ LANGUAGE plpgsql;"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION tumaini_audit_append_only();"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION tumaini_audit_append_only();"
        )


def remove_append_only_guard(schema_editor: Any) -> None:
    table = AuditEvent._meta.db_table
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for verb in ("update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")


def database_vendor() -> str:
    return connection.vendor
