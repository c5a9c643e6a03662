"""Linking a report to the case it led to: a new intake started from the report, or an existing
case the user may see. Either sets the report's status to "linked to a case"."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tumaini.cases.models import Case
from tumaini.cases.selectors.lists import cases_visible_to, normalise_case_number
from tumaini.core import access
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.services import save_versioned
from tumaini.tips.enums import ReportStatus
from tumaini.tips.models import Report
from tumaini.tips.policies import LINK_CASE, PUBLIC_REPORT
from tumaini.tips.services import ReportRefused


def report_for_linking(*, user, public_id) -> Report:
    """A report the user may link to a case (404 otherwise)."""
    return access.get_scoped_or_404(
        user, PUBLIC_REPORT, LINK_CASE, Report.objects.all(), public_id=public_id
    )


def case_for_linking(*, user, case_number: str) -> Case | None:
    """The case with this number if the user may see it; None for unknown and out of scope alike."""
    number = normalise_case_number(case_number or "")
    if number is None:
        return None
    return cases_visible_to(user=user).filter(case_number=number).first()


def report_link_case(
    *, actor, report: Report, case: Case, expected_version: int, request: Any = None
) -> Report:
    access.get_scoped_or_404(actor, PUBLIC_REPORT, LINK_CASE, Report.objects, pk=report.pk)
    if not cases_visible_to(user=actor).filter(pk=case.pk).exists():
        raise ReportRefused(_("No case of yours has that number."))
    if report.status == ReportStatus.CLOSED:
        raise ReportRefused(_("This report is closed."))
    if report.linked_case_id and report.linked_case_id != case.pk:
        raise ReportRefused(_("This report is already linked to a case."))
    now = timezone.now()
    changes: dict[str, Any] = {
        "status": ReportStatus.LINKED_TO_CASE,
        "status_changed_at": now,
        "linked_case": case,
        "linked_at": now,
        "linked_by": actor,
    }
    if report.triaged_at is None:
        changes["triaged_at"] = now
    with transaction.atomic():
        saved = save_versioned(
            record=report,
            expected_version=expected_version,
            changes=changes,
            actor=actor,
            request=request,
        )
        # On the case's own trail too: which report it came from (its reference, not its text).
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            obj=case,
            fields_changed=["public_reports"],
            detail={"linked_report": str(report.public_id)},
        )
    return saved
