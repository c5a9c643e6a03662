"""Writes of the case file: notes (with follow-ups) and documents (encrypted on disk).

Every event names the case (so it shows in the case's access history) and the note or document in
its detail; never a value.
"""

import contextlib
import hashlib
import os
import secrets
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tumaini.cases.models import Case, CaseDocument, CaseNote
from tumaini.core import crypto
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction

DOCUMENTS_FOLDER = "cases"


class FileActionRefused(Exception):
    """The action cannot be done (the message says why, for the page)."""


def case_refresh_next_action_due(*, case: Case) -> date | None:
    """Keep `next_action_due` = the earliest follow-up not yet done (lists and alerts read it)."""
    earliest = CaseNote.objects.filter(
        case=case, follow_up_on__isnull=False, follow_up_done_at__isnull=True
    ).aggregate(earliest=Min("follow_up_on"))["earliest"]
    if case.next_action_due != earliest:
        # A derived value: it does not bump the version, so nobody's open edit form goes stale.
        Case.objects.filter(pk=case.pk).update(next_action_due=earliest)
        case.next_action_due = earliest
    return earliest


def note_add(
    *, actor, case: Case, kind: str, body: str, follow_up_on: date | None = None, request=None
) -> CaseNote:
    with transaction.atomic():
        note = CaseNote.objects.create(
            case=case, kind=kind, body=body, follow_up_on=follow_up_on, author=actor
        )
        before = case.next_action_due
        after = case_refresh_next_action_due(case=case)
        fields = ["kind", "body"] + (["follow_up_on"] if follow_up_on else [])
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=case,
            fields_changed=fields + (["next_action_due"] if before != after else []),
            detail={"note": str(note.public_id)},
        )
    return note


def note_follow_up_done(*, actor, case: Case, note_public_id, request=None) -> CaseNote:
    with transaction.atomic():
        note = (
            CaseNote.objects.select_for_update()
            .filter(case=case, public_id=note_public_id, follow_up_on__isnull=False)
            .first()
        )
        if note is None:
            raise FileActionRefused(_("This note asks for no follow-up."))
        if note.follow_up_done_at is not None:
            raise FileActionRefused(_("This follow-up was already marked done."))
        note.follow_up_done_at = timezone.now()
        note.save(update_fields=["follow_up_done_at"])
        before = case.next_action_due
        after = case_refresh_next_action_due(case=case)
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            obj=case,
            fields_changed=["follow_up_done_at"] + (["next_action_due"] if before != after else []),
            detail={"note": str(note.public_id)},
        )
    return note


def documents_root() -> Path:
    return Path(settings.MEDIA_ROOT) / DOCUMENTS_FOLDER


def document_path(document: CaseDocument) -> Path:
    return Path(settings.MEDIA_ROOT) / document.storage_name


def document_upload(
    *,
    actor,
    case: Case,
    kind: str,
    title: str,
    original_name: str,
    content_type: str,
    data: bytes,
    request=None,
) -> CaseDocument:
    """Encrypt the bytes into a file with a random name, then record it (with the plain digest)."""
    folder = documents_root()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    # The name on disk says nothing about the survivor or the file.
    storage_name = f"{DOCUMENTS_FOLDER}/{secrets.token_hex(20)}"
    path = Path(settings.MEDIA_ROOT) / storage_name
    token = crypto.encrypt_bytes(data)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(token)
    try:
        with transaction.atomic():
            document = CaseDocument.objects.create(
                case=case,
                kind=kind,
                title=title,
                original_name=Path(original_name).name[:255],
                content_type=content_type,
                size=len(data),
                storage_name=storage_name,
                sha256=hashlib.sha256(data).hexdigest(),
                uploaded_by=actor,
            )
            audit_record(
                action=AuditAction.CREATE,
                actor=actor,
                request=request,
                obj=case,
                fields_changed=["documents"],
                detail={"document": str(document.public_id), "size": len(data)},
            )
    except BaseException:
        # No row, no file: an orphan blob would be unaccounted survivor data.
        with contextlib.suppress(OSError):
            path.unlink()
        raise
    return document
