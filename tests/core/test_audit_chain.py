"""audit_record chains events one after another, within and across transactions."""

from datetime import UTC, datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.db import transaction

from tumaini.core.audit import (
    GENESIS_HASH,
    HASHED_FIELDS,
    audit_record,
    event_hash,
    verify_chain,
)
from tumaini.core.models import AuditChainHead, AuditEvent


def _assert_linked(events):
    for before, after in zip(events, events[1:], strict=False):
        assert after.id == before.id + 1
        assert after.prev_hash == before.hash


@pytest.mark.django_db
def test_audit_record_chains_several_events_in_one_transaction(personas):
    with transaction.atomic():
        for i in range(4):
            audit_record(action="view", actor=personas.owner, object_type="t", object_id=str(i))
    events = list(AuditEvent.objects.order_by("id"))
    assert len(events) == 4
    _assert_linked(events)
    assert list(verify_chain()) == []
    head = AuditChainHead.objects.get(pk=1)
    assert (head.last_event_id, head.last_hash, head.length) == (events[-1].id, events[-1].hash, 4)


@pytest.mark.django_db(transaction=True)
def test_audit_record_chains_events_across_transactions():
    for i in range(3):
        with transaction.atomic():
            audit_record(action="login", username=f"user{i}")
    events = list(AuditEvent.objects.order_by("id"))
    assert [e.actor_username for e in events] == ["user0", "user1", "user2"]
    assert events[0].prev_hash == GENESIS_HASH
    _assert_linked(events)
    assert list(verify_chain()) == []


@pytest.mark.django_db(transaction=True)
def test_audit_record_rolled_back_with_its_action_leaves_chain_intact():
    audit_record(action="login", username="kept")
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(action="login", username="rolled-back")
        raise RuntimeError("the action failed")
    audit_record(action="login", username="after")
    assert list(AuditEvent.objects.order_by("id").values_list("actor_username", flat=True)) == [
        "kept",
        "after",
    ]
    assert list(verify_chain()) == []


@pytest.mark.django_db
def test_audit_event_timestamp_round_trips_identically(personas):
    event = audit_record(action="view", actor=personas.owner, object_type="t", object_id="1")
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.at == event.at
    assert stored.at.microsecond == event.at.microsecond
    assert event_hash({name: getattr(stored, name) for name in HASHED_FIELDS}) == stored.hash


@pytest.mark.django_db
def test_audit_event_hash_survives_non_utc_and_odd_microseconds():
    nairobi = dt_timezone(timedelta(hours=3))
    values = dict.fromkeys(HASHED_FIELDS, "")
    values.update(id=1, fields_changed=[], detail={})
    values["at"] = datetime(2026, 1, 2, 3, 4, 5, 7, tzinfo=nairobi)
    utc = dict(values, at=values["at"].astimezone(UTC))
    assert event_hash(values) == event_hash(utc)
    # Any change of the time changes the hash, even by a microsecond.
    later = dict(values, at=values["at"] + timedelta(microseconds=1))
    assert event_hash(values) != event_hash(later)
