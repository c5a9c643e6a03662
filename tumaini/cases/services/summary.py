"""The case summary PDF: only the sections the survivor consented to share, and an audit event.

A summary goes to a court or a receiving agency (consent purpose "case_summary"); the consent lists
which sections may go (Consent.sections). Without such a consent there is nothing to print.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from tumaini.accounts.models import Organisation
from tumaini.cases.enums import (
    CarePlanStatus,
    ConsentPurpose,
    ExploitationType,
    LabourSector,
    MeansOfControl,
    PalermoAct,
    PalermoMeans,
    SexualExploitationType,
    TraffickingDecision,
)
from tumaini.cases.models import (
    CarePlan,
    Case,
    CaseNote,
    Consent,
    ExploitationProfile,
    Intake,
    NeedsAssessment,
    RiskAssessment,
    Screening,
    TraffickingEvent,
)
from tumaini.cases.selectors.case import case_for_action
from tumaini.core.access import PRINT
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction

# Section codes a case_summary consent may list, in the order the summary prints them.
SECTION_CODES = ("identity", "intake", "screening", "profile", "assessments", "care_plan", "notes")
STYLESHEET = "tumaini/css/summary.css"
# A summary is a few pages for a court, not the whole file: the latest notes only.
NOTES_LIMIT = 20


@dataclass(frozen=True)
class SummaryExtra:
    """What another app adds to a consented section (e.g. referral outcomes to the care plan)."""

    section: str
    template: str
    # read(case) -> dict for the template: only what that section may show.
    read: Callable[[Case], dict]


SUMMARY_EXTRAS: list[SummaryExtra] = []


def register_extra(extra: SummaryExtra) -> SummaryExtra:
    if extra.section not in SECTION_CODES:
        raise ValueError(f"unknown summary section {extra.section!r}")
    SUMMARY_EXTRAS[:] = [e for e in SUMMARY_EXTRAS if e.template != extra.template] + [extra]
    return extra


@dataclass
class CaseSummary:
    case: Case
    sections: list[str]
    pdf: bytes | None


def summary_sections_consented(*, case: Case, recipient: Organisation | None = None) -> list[str]:
    """Section codes that an active case_summary consent (for this recipient, if named) lists."""
    consents = Consent.objects.active().filter(
        Q(case=case) | Q(case__isnull=True, person_id=case.person_id),
        purpose=ConsentPurpose.CASE_SUMMARY,
    )
    if recipient is not None:
        consents = consents.filter(recipient=recipient)
    # Sections are a JSON list: filtered here, portable across SQLite and PostgreSQL.
    listed: set[str] = set()
    for sections in consents.values_list("sections", flat=True):
        listed.update(code for code in sections or () if isinstance(code, str))
    return [code for code in SECTION_CODES if code in listed]


def case_summary_print(*, user, public_id, recipient_public_id=None, request=None) -> CaseSummary:
    """The summary PDF of a case the user may print (404 otherwise), with a `print` audit event.

    Returns pdf=None, and writes no event, when no active consent lists any section.
    """
    case = case_for_action(user=user, public_id=public_id, action=PRINT)
    recipient = None
    if recipient_public_id:
        recipient = Organisation.objects.filter(public_id=recipient_public_id).first()
        if recipient is None:
            return CaseSummary(case=case, sections=[], pdf=None)
    sections = summary_sections_consented(case=case, recipient=recipient)
    if not sections:
        return CaseSummary(case=case, sections=[], pdf=None)

    printed_at = timezone.localtime()
    html = render_to_string(
        "cases/summary_pdf.html",
        {
            "case": case,
            "sections": sections,
            "recipient": recipient,
            "printed_by": user.get_full_name() or user.get_username(),
            "printed_at": printed_at,
            **_section_content(case, sections),
        },
    )
    pdf = _render_pdf(html)
    with transaction.atomic():
        audit_record(
            action=AuditAction.PRINT,
            actor=user,
            request=request,
            obj=case,
            reason="case summary",
            detail={
                "sections": sections,
                "recipient": str(recipient.public_id) if recipient else "",
            },
        )
    return CaseSummary(case=case, sections=sections, pdf=pdf)


def _render_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango at import, which costs every process that never prints.
    from weasyprint import CSS, HTML

    stylesheet = finders.find(STYLESHEET)
    stylesheets = [CSS(filename=stylesheet)] if stylesheet else []
    return HTML(string=html).write_pdf(stylesheets=stylesheets)


def _section_content(case: Case, sections: list[str]) -> dict:
    """Read only what the consented sections show: nothing else leaves the database."""
    content: dict = {}
    if "identity" in sections:
        person = case.person
        content["person"] = person
        content["person_age"] = person.age_on(timezone.localdate())
        content["person_languages"] = list(person.languages.all())
    if "intake" in sections:
        content["intake"] = (
            Intake.objects.select_related("referring_organisation", "sub_county")
            .filter(case=case)
            .first()
        )
    if "screening" in sections:
        screenings = Screening.objects.select_related("decided_by").filter(case=case)
        screening = (
            screenings.exclude(decision=TraffickingDecision.PENDING).first() or screenings.first()
        )
        content["screening"] = screening
        if screening is not None:
            content["acts"] = _labels(PalermoAct, screening.acts)
            content["means"] = _labels(PalermoMeans, screening.means)
            content["purposes"] = _labels(ExploitationType, screening.purposes)
    if "profile" in sections:
        profile = ExploitationProfile.objects.filter(case=case).first()
        content["profile"] = profile
        if profile is not None:
            content["exploitation_types"] = _labels(ExploitationType, profile.exploitation_types)
            content["labour_sectors"] = _labels(LabourSector, profile.labour_sectors)
            content["sexual_exploitation_types"] = _labels(
                SexualExploitationType, profile.sexual_exploitation_types
            )
            content["means_of_control"] = _labels(MeansOfControl, profile.means_of_control)
        content["events"] = list(
            TraffickingEvent.objects.select_related("country", "county", "sub_county").filter(
                case=case
            )
        )
    if "assessments" in sections:
        content["risk"] = RiskAssessment.objects.filter(case=case).first()
        needs = NeedsAssessment.objects.filter(case=case).prefetch_related("needs").first()
        content["needs_assessment"] = needs
        content["needs"] = [n for n in needs.needs.all() if n.identified] if needs else []
    if "care_plan" in sections:
        plan = (
            CarePlan.objects.filter(case=case)
            .exclude(status=CarePlanStatus.SUPERSEDED)
            .select_related("approved_by")
            .prefetch_related("goals__owner")
            .first()
        )
        content["care_plan"] = plan
        content["goals"] = list(plan.goals.all()) if plan else []
    if "notes" in sections:
        content["notes"] = list(
            CaseNote.objects.filter(case=case).select_related("author")[:NOTES_LIMIT]
        )
    content["extras"] = [
        {"template": extra.template, **extra.read(case)}
        for extra in SUMMARY_EXTRAS
        if extra.section in sections
    ]
    return content


def _labels(choices, codes) -> list[str]:
    """Translated labels of vocabulary codes; an unknown code is shown as it is."""
    known = dict(choices.choices)
    return [str(known.get(code, code)) for code in codes or ()]
