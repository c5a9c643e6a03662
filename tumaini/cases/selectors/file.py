"""Reads of the case file. The case itself was fetched (and its view audited) through the policy;
these read its notes and documents. A download is an export: audited on its own."""

import hashlib

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import Http404

from tumaini.cases.models import Case, CaseDocument, CaseNote
from tumaini.cases.selectors.case import case_for_view
from tumaini.cases.services.file import document_path
from tumaini.core import crypto
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction

NOTES_PAGE_SIZE = 10


class DocumentDamaged(Exception):
    """The stored file is missing or does not match its digest (restore it from the backup)."""


def notes_page(*, case: Case, page_number=1, per_page: int = NOTES_PAGE_SIZE) -> Page:
    notes = (
        CaseNote.objects.filter(case=case).select_related("author").order_by("-created_at", "-id")
    )
    return Paginator(notes, per_page).get_page(page_number)


def open_follow_ups(*, case: Case) -> list[CaseNote]:
    return list(
        CaseNote.objects.filter(
            case=case, follow_up_on__isnull=False, follow_up_done_at__isnull=True
        ).order_by("follow_up_on", "id")
    )


def documents_of(*, case: Case) -> list[CaseDocument]:
    return list(
        CaseDocument.objects.filter(case=case)
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-id")
    )


def document_for_download(*, user, case_public_id, document_public_id, request=None):
    """(document, plain bytes) if the user may view the case; 404 otherwise. Audited as export."""
    with transaction.atomic():
        case = case_for_view(user=user, public_id=case_public_id, request=request)
        document = CaseDocument.objects.filter(case=case, public_id=document_public_id).first()
        if document is None:
            raise Http404
        try:
            token = document_path(document).read_bytes()
        except OSError:
            raise DocumentDamaged(f"document {document.public_id}: stored file missing") from None
        data = crypto.decrypt_bytes(token)
        if hashlib.sha256(data).hexdigest() != document.sha256:
            raise DocumentDamaged(f"document {document.public_id}: digest does not match")
        audit_record(
            action=AuditAction.EXPORT,
            actor=user,
            request=request,
            obj=case,
            detail={"document": str(document.public_id)},
        )
    return document, data
