"""Merging two records of the same survivor: reversible until a supervisor confirms it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.people.enums import MergeStatus
from tumaini.people.models import Person, PersonMerge
from tumaini.people.services.identity import person_refresh_tokens


class MergeRefused(Exception):
    """A merge, undo or confirmation that cannot be done (the message says why)."""


# --- Merge ---------------------------------------------------------------------------------------

# Relations that are derived from the person (recomputed) or are the merge bookkeeping itself.
_NOT_MOVED = {"name_tokens", "merges_kept", "merges_absorbed", "merged_people"}


def _movable_relations() -> list[models.ForeignKey]:
    """Every foreign key to Person from another record (cases, consents, contacts, ...).

    Found from the model graph, so records that later apps attach to a person move too.
    """
    relations = []
    for relation in Person._meta.related_objects:
        if relation.one_to_many and relation.get_accessor_name() not in _NOT_MOVED:
            relations.append(relation.field)
    return relations


def _relation_key(field: models.ForeignKey) -> str:
    return f"{field.model._meta.label_lower}.{field.name}"


def person_merge(
    *, actor: Any, kept: Person, duplicate: Person, reason: str, request: Any = None
) -> PersonMerge:
    """Move every record of `duplicate` to `kept`; reversible (`person_merge_undo`) until confirmed."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why these records are the same person.")]})
    if kept.pk == duplicate.pk:
        raise MergeRefused(_("Choose two different people."))
    with transaction.atomic():
        locked = {
            p.pk: p
            for p in Person.objects.select_for_update().filter(pk__in=[kept.pk, duplicate.pk])
        }
        if locked[kept.pk].merged_into_id or locked[duplicate.pk].merged_into_id:
            raise MergeRefused(_("One of these people was already merged into another."))
        if kept.organisation_id != duplicate.organisation_id:
            raise MergeRefused(_("Only people of the same organisation can be merged."))
        moved: dict[str, list[int]] = {}
        try:
            with transaction.atomic():
                for field in _movable_relations():
                    rows = field.model._base_manager.filter(**{field.name: duplicate})
                    ids = sorted(rows.values_list("pk", flat=True))
                    if ids:
                        field.model._base_manager.filter(pk__in=ids).update(**{field.name: kept})
                        moved[_relation_key(field)] = ids
        except IntegrityError:
            # Some records exist once per person (an open shelter stay, a place on a waiting
            # list): the database refuses two, and nothing has moved.
            raise MergeRefused(
                _(
                    "Both people have a record that a person can hold only once (for example a "
                    "bed in the shelter or a place on its waiting list). End one of them first; "
                    "nothing was merged."
                )
            ) from None
        Person.objects.filter(pk=duplicate.pk).update(
            merged_into=kept, version=models.F("version") + 1
        )
        merge = PersonMerge.objects.create(
            kept=kept,
            duplicate=duplicate,
            merged_by=actor,
            moved=moved,
            reason=reason,
            status=MergeStatus.PENDING,
        )
        _after_moving(kept, duplicate)
        _audit_merge(actor=actor, merge=merge, step="merge", request=request)
    return merge


def _after_moving(*people: Person) -> None:
    for person in people:
        person_refresh_tokens(person)


def _audit_merge(*, actor: Any, merge: PersonMerge, step: str, request: Any = None) -> None:
    detail = {
        "merge": str(merge.public_id),
        "step": step,
        "moved": {key: len(ids) for key, ids in merge.moved.items()},
    }
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        request=request,
        obj=merge.kept,
        fields_changed=sorted(key.split(".")[1] for key in merge.moved),
        detail={**detail, "role": "kept"},
    )
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        request=request,
        obj=merge.duplicate,
        fields_changed=["merged_into"],
        detail={**detail, "role": "duplicate"},
    )
    # Each moved case changes person: its own trail says so.
    case_ids = merge.moved.get("cases.case.person", [])
    if case_ids:
        from django.apps import apps

        case_model = apps.get_model("cases", "Case")
        for case in case_model.objects.filter(pk__in=case_ids):
            audit_record(
                action=AuditAction.UPDATE,
                actor=actor,
                request=request,
                obj=case,
                fields_changed=["person"],
                detail={"merge": str(merge.public_id), "step": step},
            )


def _pending(merge: PersonMerge) -> PersonMerge:
    current = (
        PersonMerge.objects.select_for_update().select_related("kept", "duplicate").get(pk=merge.pk)
    )
    if current.status != MergeStatus.PENDING:
        raise MergeRefused(_("This merge was already confirmed or undone."))
    return current


def person_merge_undo(*, actor: Any, merge: PersonMerge, request: Any = None) -> PersonMerge:
    """Put every moved record back on the duplicate, exactly as recorded."""
    with transaction.atomic():
        merge = _pending(merge)
        fields = {_relation_key(field): field for field in _movable_relations()}
        for key, ids in merge.moved.items():
            field = fields[key]
            field.model._base_manager.filter(pk__in=ids).update(**{field.name: merge.duplicate})
        Person.objects.filter(pk=merge.duplicate_id).update(
            merged_into=None, version=models.F("version") + 1
        )
        merge.status = MergeStatus.UNDONE
        merge.decided_by = actor
        merge.decided_at = timezone.now()
        merge.save(update_fields=["status", "decided_by", "decided_at"])
        _after_moving(merge.kept, merge.duplicate)
        _audit_merge(actor=actor, merge=merge, step="undo", request=request)
    return merge


def person_merge_confirm(*, actor: Any, merge: PersonMerge, request: Any = None) -> PersonMerge:
    """Make the merge final: no undo after this."""
    with transaction.atomic():
        merge = _pending(merge)
        merge.status = MergeStatus.CONFIRMED
        merge.decided_by = actor
        merge.decided_at = timezone.now()
        merge.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            obj=merge.kept,
            fields_changed=["merge_status"],
            detail={"merge": str(merge.public_id), "step": "confirm"},
        )
    return merge
