"""Counselling: giving a case to a counsellor, and the counsellor's session notes.

Audit events name the fields written, never their values: a session note's content must not leak
through the audit trail either.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tumaini.accounts.enums import Role
from tumaini.cases.models import Case
from tumaini.clinical.enums import SessionTheme
from tumaini.clinical.models import CounsellingClient, SessionNote
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.services import save_versioned

NOTE_FIELDS = (
    "held_on",
    "duration_minutes",
    "modality",
    "themes",
    "body",
    "risk_concern",
    "next_session_on",
)


class CounsellingRefused(Exception):
    """The action cannot be done (the message says why, for the form)."""


def counselling_client_assign(*, actor, case: Case, counsellor, request=None) -> CounsellingClient:
    """Give the case to a counsellor of its organisation. The caller checked that `actor` may
    change the case (its case manager's team or its director)."""
    if (
        counsellor.organisation_id != case.organisation_id
        or not counsellor.is_active
        or Role.COUNSELLOR not in counsellor.role_codes
    ):
        raise CounsellingRefused(_("Choose an active counsellor of the case's organisation."))
    with transaction.atomic():
        if CounsellingClient.objects.filter(
            case=case, counsellor=counsellor, ended_at__isnull=True
        ).exists():
            raise CounsellingRefused(_("This counsellor already has this case as a client."))
        client = CounsellingClient.objects.create(
            case=case,
            organisation_id=case.organisation_id,
            counsellor=counsellor,
            assigned_by=actor,
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=client,
            fields_changed=["counsellor"],
            detail={"case": str(case.public_id)},
        )
    return client


def counselling_client_end(*, actor, client: CounsellingClient, request=None) -> CounsellingClient:
    """The counsellor stops seeing this client; their notes stay theirs to read."""
    with transaction.atomic():
        updated = CounsellingClient.objects.filter(pk=client.pk, ended_at__isnull=True).update(
            ended_at=timezone.now()
        )
        if updated != 1:
            raise CounsellingRefused(_("This counselling has already ended."))
        client.refresh_from_db()
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            obj=client,
            fields_changed=["ended_at"],
            detail={"case": str(client.case.public_id)},
        )
    return client


def _clean_themes(themes) -> list[str]:
    wanted = set(themes or ())
    return [code for code in SessionTheme.values if code in wanted]


def session_note_write(
    *,
    actor,
    client: CounsellingClient,
    held_on,
    duration_minutes: int,
    modality: str,
    themes,
    body: str,
    risk_concern: bool,
    next_session_on=None,
    request=None,
) -> SessionNote:
    """The counsellor's note of one session with their client."""
    if client.counsellor_id != actor.pk or client.ended_at is not None:
        raise CounsellingRefused(_("Only the client's counsellor writes their session notes."))
    with transaction.atomic():
        note = SessionNote.objects.create(
            client=client,
            case_id=client.case_id,
            organisation_id=client.organisation_id,
            author=actor,
            held_on=held_on,
            duration_minutes=duration_minutes,
            modality=modality,
            themes=_clean_themes(themes),
            body=body,
            risk_concern=risk_concern,
            next_session_on=next_session_on,
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=note,
            fields_changed=list(NOTE_FIELDS),
            detail={"client": str(client.public_id)},
        )
    return note


def session_note_update(
    *, actor, note: SessionNote, expected_version: int, values: dict, request=None
) -> SessionNote:
    """Edit a note; refused (VersionConflict) when the note changed since the form was opened."""
    if note.author_id != actor.pk:
        raise CounsellingRefused(_("Only the author edits a session note."))
    changes = {name: values[name] for name in NOTE_FIELDS if name in values}
    if "themes" in changes:
        changes["themes"] = _clean_themes(changes["themes"])
    return save_versioned(
        record=note,
        expected_version=expected_version,
        changes=changes,
        actor=actor,
        request=request,
    )
