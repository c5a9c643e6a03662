"""Reads of medical records: for the organisation's medical officers, and the dates-only summary the
case page shows the case's own staff."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from tumaini.accounts.enums import OrganisationType
from tumaini.accounts.models import Organisation
from tumaini.cases.models import Case
from tumaini.clinical.models import (
    HospitalReferral,
    MedicalCondition,
    MedicalVisit,
    TreatmentConsent,
)
from tumaini.clinical.policies import MEDICAL_RECORD
from tumaini.clinical.selectors.counselling import audit_form_read, list_name
from tumaini.core import access
from tumaini.core.access import VIEW
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction

SUMMARY_DATES = 10


def _medical_cases(user, action: str = VIEW):
    """The cases whose medical record the user may `action`: those of their organisation."""
    return access.scoped(
        user, MEDICAL_RECORD, action, Case.objects.all(), include_break_glass=False
    )


def patients_of(*, user, request=None) -> list[dict]:
    """The organisation's cases that have a medical record, most recently seen first."""
    access.require(user, MEDICAL_RECORD, VIEW)
    of_case = {"case": OuterRef("pk")}
    visits = MedicalVisit.objects.filter(**of_case)
    cases = (
        _medical_cases(user)
        .filter(
            Exists(visits)
            | Exists(HospitalReferral.objects.filter(**of_case))
            | Exists(TreatmentConsent.objects.filter(**of_case))
            | Exists(MedicalCondition.objects.filter(**of_case))
        )
        .select_related("person")
        .annotate(
            last_seen_on=Subquery(visits.order_by("-seen_on").values("seen_on")[:1]),
            visit_count=Coalesce(
                Subquery(
                    visits.order_by().values("case").annotate(n=Count("id")).values("n")[:1],
                    output_field=IntegerField(),
                ),
                0,
            ),
            open_referral=Exists(HospitalReferral.objects.filter(outcome="", **of_case)),
        )
        .order_by("-last_seen_on", "-opened_at", "-id")
    )
    with transaction.atomic():
        rows = [
            {
                "case": case,
                "display_name": list_name(case.person),
                "is_child": bool(case.person.is_child),
                "last_seen_on": case.last_seen_on,
                "visits": case.visit_count,
                "open_referral": case.open_referral,
            }
            for case in cases
        ]
        audit_record(
            action=AuditAction.VIEW,
            actor=user,
            request=request,
            object_type=MedicalVisit._meta.label_lower,
            detail={"list": "patients", "count": len(rows)},
        )
    return rows


def case_by_number(*, user, case_number: str) -> Case | None:
    """A case of the user's organisation by its exact number (to open a new medical record)."""
    access.require(user, MEDICAL_RECORD, VIEW)
    return _medical_cases(user).filter(case_number=case_number.strip().upper()).first()


def medical_case(*, user, public_id, action: str = VIEW, request=None) -> Case:
    """The case whose medical record the user may `action` (404 otherwise). Given the request of a
    form page, its GET is audited as a view; writes audit their own events, and the record page
    reads through `medical_record_of`."""
    access.require(user, MEDICAL_RECORD, action)
    case = access.get_scoped_or_404(
        user,
        MEDICAL_RECORD,
        action,
        Case.objects.select_related("person", "organisation"),
        public_id=public_id,
    )
    audit_form_read(user=user, record=case, request=request, detail={"record": "medical"})
    return case


def medical_record_of(*, user, case: Case, request=None) -> dict:
    """Everything medical about one case, for its organisation's medical officers; audited as a
    view of the case's medical record."""
    scoped = {"include_break_glass": False}
    with transaction.atomic():
        record = {
            "consents": list(
                access.scoped(user, MEDICAL_RECORD, VIEW, TreatmentConsent.objects.all(), **scoped)
                .filter(case=case)
                .select_related("recorded_by")
            ),
            "visits": list(
                access.scoped(user, MEDICAL_RECORD, VIEW, MedicalVisit.objects.all(), **scoped)
                .filter(case=case)
                .select_related("recorded_by", "consent")
            ),
            "conditions": list(
                access.scoped(user, MEDICAL_RECORD, VIEW, MedicalCondition.objects.all(), **scoped)
                .filter(case=case)
                .select_related("recorded_by")
            ),
            "referrals": list(
                access.scoped(user, MEDICAL_RECORD, VIEW, HospitalReferral.objects.all(), **scoped)
                .filter(case=case)
                .select_related("recorded_by", "hospital")
            ),
        }
        audit_record(
            action=AuditAction.VIEW,
            actor=user,
            request=request,
            obj=case,
            detail={"record": "medical"},
        )
    return record


def medical_item(*, user, case: Case, model, public_id, action: str, request=None):
    """One consent, condition or referral of the case the user may `action` (404 otherwise)."""
    item = access.get_scoped_or_404(
        user, MEDICAL_RECORD, action, model.objects.filter(case=case), public_id=public_id
    )
    audit_form_read(user=user, record=item, request=request)
    return item


def hospitals():
    return Organisation.objects.filter(
        type=OrganisationType.HEALTH_SERVICE, is_active=True
    ).order_by("name")


# --- The case page -------------------------------------------------------------------------------


def medical_summary(*, case: Case) -> dict:
    """What the case page says about medical care: dates of visits and whether a referral to
    hospital is open, never why. Shown to whoever may see the case."""
    dates = list(
        MedicalVisit.objects.filter(case=case)
        .order_by("-seen_on")
        .values_list("seen_on", flat=True)
        .distinct()[: SUMMARY_DATES + 1]
    )
    return {
        "seen_on": dates[:SUMMARY_DATES],
        "more_dates": len(dates) > SUMMARY_DATES,
        "open_hospital_referral": HospitalReferral.objects.filter(case=case, outcome="").exists(),
    }


# --- Home ----------------------------------------------------------------------------------------


def open_referrals_of(*, user, limit: int = 10) -> list[HospitalReferral] | None:
    if not access.can(user, MEDICAL_RECORD, VIEW):
        return None
    return list(
        access.scoped(
            user, MEDICAL_RECORD, VIEW, HospitalReferral.objects.all(), include_break_glass=False
        )
        .filter(outcome="")
        .select_related("case", "hospital")
        .order_by("referred_on", "id")[:limit]
    )
