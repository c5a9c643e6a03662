"""Medical records: consent to treatment, visits, conditions and referrals to hospital.

A treatment is recorded only under an active consent to treatment: for a child, one given by a
parent or guardian (Children Act 2022; the Data Protection Act's s33 on children's data).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tumaini.accounts.enums import OrganisationType
from tumaini.cases.enums import ConsentGiver
from tumaini.cases.models import Case
from tumaini.clinical.enums import ConditionStatus, ReferralOutcome
from tumaini.clinical.models import (
    HospitalReferral,
    MedicalCondition,
    MedicalVisit,
    TreatmentConsent,
)
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.services import save_versioned


class MedicalRefused(Exception):
    """The record cannot be written; `field` names the form field the message belongs to."""

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _created(*, actor, record, fields, request) -> None:
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        request=request,
        obj=record,
        fields_changed=list(fields),
        detail={"case": str(record.case.public_id)},
    )


def treatment_consent_active(*, case: Case, on=None) -> TreatmentConsent | None:
    """The consent a treatment given on `on` (default today) may rely on, or None.

    For a child only a parent's or guardian's consent counts.
    """
    on = on or timezone.localdate()
    consents = TreatmentConsent.objects.filter(case=case, given_on__lte=on).exclude(
        withdrawn_on__lte=on
    )
    if case.person.is_child:
        consents = consents.filter(given_by=ConsentGiver.GUARDIAN)
    return consents.order_by("-given_on", "-id").first()


def treatment_consent_record(
    *,
    actor,
    case: Case,
    given_by: str,
    guardian_name: str = "",
    guardian_relationship: str = "",
    given_on,
    scope: str,
    request=None,
) -> TreatmentConsent:
    if given_by == ConsentGiver.GUARDIAN and not guardian_name.strip():
        raise MedicalRefused(_("Give the name of the parent or guardian."), field="guardian_name")
    if case.person.is_child and given_by != ConsentGiver.GUARDIAN:
        raise MedicalRefused(
            _("A child's consent to treatment is given by a parent or guardian."), field="given_by"
        )
    with transaction.atomic():
        consent = TreatmentConsent.objects.create(
            case=case,
            organisation_id=case.organisation_id,
            given_by=given_by,
            guardian_name=guardian_name.strip() if given_by == ConsentGiver.GUARDIAN else "",
            guardian_relationship=guardian_relationship.strip()
            if given_by == ConsentGiver.GUARDIAN
            else "",
            given_on=given_on,
            scope=scope,
            recorded_by=actor,
        )
        _created(
            actor=actor,
            record=consent,
            fields=["given_by", "guardian_name", "given_on", "scope"],
            request=request,
        )
    return consent


def treatment_consent_withdraw(*, actor, consent: TreatmentConsent, request=None):
    with transaction.atomic():
        updated = TreatmentConsent.objects.filter(pk=consent.pk, withdrawn_on__isnull=True).update(
            withdrawn_on=timezone.localdate(), version=consent.version + 1
        )
        if updated != 1:
            raise MedicalRefused(_("This consent was already withdrawn."))
        consent.refresh_from_db()
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            obj=consent,
            fields_changed=["withdrawn_on"],
        )
    return consent


def medical_visit_record(
    *,
    actor,
    case: Case,
    seen_on,
    reason: str,
    findings: str = "",
    treatment: str = "",
    request=None,
) -> MedicalVisit:
    consent = None
    if treatment.strip():
        consent = treatment_consent_active(case=case, on=seen_on)
        if consent is None:
            message = (
                _(
                    "This survivor is a child: record a parent's or guardian's consent to "
                    "treatment before recording a treatment."
                )
                if case.person.is_child
                else _("Record the survivor's consent to treatment before recording a treatment.")
            )
            raise MedicalRefused(message, field="treatment")
    with transaction.atomic():
        visit = MedicalVisit.objects.create(
            case=case,
            organisation_id=case.organisation_id,
            seen_on=seen_on,
            reason=reason,
            findings=findings,
            treatment=treatment.strip(),
            consent=consent,
            recorded_by=actor,
        )
        _created(
            actor=actor,
            record=visit,
            fields=["seen_on", "reason", "findings", "treatment"],
            request=request,
        )
    return visit


def medical_condition_record(
    *, actor, case: Case, name: str, status: str = ConditionStatus.ACTIVE, since=None, request=None
) -> MedicalCondition:
    with transaction.atomic():
        condition = MedicalCondition.objects.create(
            case=case,
            organisation_id=case.organisation_id,
            name=name,
            status=status,
            since=since,
            recorded_by=actor,
        )
        _created(actor=actor, record=condition, fields=["name", "status", "since"], request=request)
    return condition


def medical_condition_update(
    *, actor, condition: MedicalCondition, expected_version: int, values: dict, request=None
) -> MedicalCondition:
    changes = {name: values[name] for name in ("name", "status", "since") if name in values}
    return save_versioned(
        record=condition,
        expected_version=expected_version,
        changes=changes,
        actor=actor,
        request=request,
    )


def hospital_referral_record(
    *,
    actor,
    case: Case,
    hospital=None,
    hospital_other: str = "",
    referred_on,
    reason: str,
    urgency: str,
    request=None,
) -> HospitalReferral:
    if hospital is not None and hospital.type != OrganisationType.HEALTH_SERVICE:
        raise MedicalRefused(_("Choose a hospital or clinic."), field="hospital")
    if hospital is None and not hospital_other.strip():
        raise MedicalRefused(
            _("Choose the hospital, or write its name if it is not in the list."),
            field="hospital",
        )
    with transaction.atomic():
        referral = HospitalReferral.objects.create(
            case=case,
            organisation_id=case.organisation_id,
            hospital=hospital,
            hospital_other="" if hospital is not None else hospital_other.strip(),
            referred_on=referred_on,
            reason=reason,
            urgency=urgency,
            recorded_by=actor,
        )
        _created(
            actor=actor,
            record=referral,
            fields=["hospital", "referred_on", "reason", "urgency"],
            request=request,
        )
    return referral


def hospital_referral_outcome(
    *,
    actor,
    referral: HospitalReferral,
    expected_version: int,
    outcome: str,
    outcome_notes: str = "",
    outcome_on=None,
    request=None,
) -> HospitalReferral:
    if outcome and outcome not in ReferralOutcome.values:
        raise MedicalRefused(_("Choose an outcome."), field="outcome")
    if outcome and outcome_on is None:
        outcome_on = timezone.localdate()
    return save_versioned(
        record=referral,
        expected_version=expected_version,
        changes={
            "outcome": outcome,
            "outcome_notes": outcome_notes.strip(),
            "outcome_on": outcome_on if outcome else None,
        },
        actor=actor,
        request=request,
    )
