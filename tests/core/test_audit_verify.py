"""`manage.py audit_verify` and the database guard of the append-only audit trail.

The append-only triggers are removed for the test database (tests/conftest.py), so these tests can
tamper with raw SQL the way someone with database access could.
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from tumaini.core.audit import (
    HASHED_FIELDS,
    audit_record,
    event_hash,
    install_append_only_guard,
)
from tumaini.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _verify():
    out = StringIO()
    try:
        call_command("audit_verify", stdout=out)
    except CommandError as error:
        return False, out.getvalue(), str(error)
    return True, out.getvalue(), ""


@pytest.fixture
def chain(personas):
    events = [
        audit_record(
            action="view", actor=personas.owner, object_type="testapp.dossier", object_id=f"d{i}"
        )
        for i in range(5)
    ]
    return events


def _sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_audit_verify_intact_chain_reports_ok(chain):
    ok, out, _error = _verify()
    assert ok
    assert out.strip() == "OK: 5 events, chain intact"


def test_audit_verify_empty_trail_is_ok(db):
    ok, out, _error = _verify()
    assert ok
    assert "OK: 0 events, chain intact" in out


def test_audit_verify_detects_a_changed_field(chain):
    target = chain[2]
    _sql("UPDATE core_auditevent SET object_id = %s WHERE id = %s", ["someone-else", target.id])
    ok, out, error = _verify()
    assert not ok
    assert f"event {target.id} was changed after it was written" in out
    assert "broken" in error


def test_audit_verify_detects_a_changed_actor_even_with_recomputed_hash(chain):
    # Rewriting an event and its own hash still breaks the link from the next event.
    target = chain[1]
    _sql("UPDATE core_auditevent SET actor_username = %s WHERE id = %s", ["nobody", target.id])
    forged = AuditEvent.objects.get(id=target.id)
    new_hash = event_hash({name: getattr(forged, name) for name in HASHED_FIELDS})
    _sql("UPDATE core_auditevent SET hash = %s WHERE id = %s", [new_hash, target.id])
    ok, out, _error = _verify()
    assert not ok
    assert f"event {chain[2].id} does not follow the event before it" in out


def test_audit_verify_detects_a_deleted_middle_event(chain):
    target = chain[2]
    _sql("DELETE FROM core_auditevent WHERE id = %s", [target.id])
    ok, out, _error = _verify()
    assert not ok
    assert f"events {target.id}–{target.id} are missing (deleted)" in out
    assert f"event {chain[3].id} does not follow the event before it" in out


def test_audit_verify_detects_a_deleted_last_event(chain):
    last = chain[-1]
    _sql("DELETE FROM core_auditevent WHERE id = %s", [last.id])
    ok, out, _error = _verify()
    assert not ok
    assert f"the chain should end at event {last.id} but ends at {last.id - 1}" in out
    assert "the chain should hold 5 events, it holds 4" in out


def test_audit_verify_detects_a_forged_event_appended_with_valid_hash(chain):
    last = chain[-1]
    forged = AuditEvent(
        id=last.id + 1,
        at=last.at,
        actor_id=None,
        actor_username="intruder",
        organisation_id_at_time=None,
        ip_address=None,
        action="view",
        object_type="testapp.dossier",
        object_id="forged",
        object_organisation_id=None,
        fields_changed=[],
        reason="",
        detail={},
        prev_hash=last.hash,
    )
    forged.hash = event_hash({name: getattr(forged, name) for name in HASHED_FIELDS})
    # Straight into the table, bypassing audit_record (and so the chain head).
    forged.save(force_insert=True)
    ok, out, _error = _verify()
    assert not ok
    assert f"the chain should end at event {last.id} but ends at {forged.id}" in out


def test_audit_verify_detects_a_forged_event_inserted_in_a_gap(chain):
    # Remove event 3, then put a forged one in its place: its hash cannot link to event 4.
    target = chain[2]
    _sql("DELETE FROM core_auditevent WHERE id = %s", [target.id])
    _sql(
        "INSERT INTO core_auditevent (id, at, actor_username, action, object_type, object_id, "
        "fields_changed, reason, detail, prev_hash, hash) "
        "VALUES (%s, %s, 'intruder', 'view', 'testapp.dossier', 'x', '[]', '', '{}', %s, %s)",
        [target.id, target.at, target.prev_hash, "f" * 64],
    )
    ok, out, _error = _verify()
    assert not ok
    assert f"event {target.id} was changed after it was written" in out
    assert f"event {chain[3].id} does not follow the event before it" in out


class _CursorEditor:
    """What install_append_only_guard needs from a schema editor, on the test's own transaction
    (SQLite refuses a real schema editor inside a transaction)."""

    def __init__(self, cursor):
        self.connection = connection
        self._cursor = cursor

    def execute(self, sql):
        self._cursor.execute(sql)


def test_append_only_guard_refuses_update_and_delete(chain):
    with connection.cursor() as cursor:
        install_append_only_guard(_CursorEditor(cursor))
    target = chain[0]
    for statement in (
        "UPDATE core_auditevent SET reason = 'covered up' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            _sql(statement, [target.id])
    assert AuditEvent.objects.get(id=target.id).reason == ""
    assert AuditEvent.objects.count() == 5
    # Appending still works with the guard in place.
    audit_record(action="view", object_type="testapp.dossier", object_id="after-guard")
    ok, out, _error = _verify()
    assert ok, out
