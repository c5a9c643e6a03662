"""Case views: the case summary PDF (only the consented sections), and its part on the case page."""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from tumaini.cases import parts
from tumaini.cases.services.summary import (
    SECTION_CODES,
    case_summary_print,
    summary_sections_consented,
)
from tumaini.core import access

SECTION_LABELS = {
    "identity": _("Identity"),
    "intake": _("Intake"),
    "screening": _("Screening decision"),
    "profile": _("Exploitation profile"),
    "assessments": _("Assessments"),
    "care_plan": _("Care plan"),
    "notes": _("Case notes"),
}
assert set(SECTION_LABELS) == set(SECTION_CODES)


@login_required
def case_summary_pdf(request, public_id):
    summary = case_summary_print(
        user=request.user,
        public_id=public_id,
        recipient_public_id=_uuid_or_none(request.GET.get("recipient")),
        request=request,
    )
    if summary.pdf is None:
        return render(
            request,
            "cases/summary_needs_consent.html",
            {
                "case": summary.case,
                "consent_url": parts.part_url(summary.case, "consent"),
                "recipient_given": bool(request.GET.get("recipient")),
            },
            status=409,
        )
    response = HttpResponse(summary.pdf, content_type="application/pdf")
    # Downloaded, not opened in a shared browser tab; the file name carries no survivor data.
    response["Content-Disposition"] = f'attachment; filename="{summary.case.case_number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _uuid_or_none(value):
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        # An unknown recipient has no consent: same answer as a recipient without one.
        return uuid.UUID(int=0)


def _summary_part(*, user, case) -> dict:
    may_print = access.can(user, "case", access.PRINT)
    sections = summary_sections_consented(case=case) if may_print else []
    return {
        "may_print": may_print,
        "sections": [SECTION_LABELS[code] for code in sections],
        "summary_url": reverse("cases:case_summary_pdf", args=[case.public_id]),
    }


parts.register(
    parts.CasePart(
        key="summary",
        section="file",
        title=_("Case summary"),
        template="cases/parts/summary.html",
        context=_summary_part,
        order=95,
    )
)

urlpatterns = [
    path("<uuid:public_id>/summary.pdf", case_summary_pdf, name="case_summary_pdf"),
]
