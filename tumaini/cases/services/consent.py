"""Recording and withdrawing consent. Withdrawal stops future shares: every share asks
`cases.selectors.consent.consent_active` at the moment it shares."""

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tumaini.cases.models import Case, Consent
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction


class ConsentRefused(Exception):
    """The consent cannot be changed (the message says why)."""


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def consent_record(
    *,
    actor,
    case: Case,
    purpose: str,
    given_by: str,
    given_on: date,
    recipient=None,
    sections=(),
    expires_on: date | None = None,
    guardian_name: str = "",
    guardian_relationship: str = "",
    scope_notes: str = "",
    request=None,
) -> Consent:
    """The form checked the rules (recipient, guardian for a child, dates); this stores it."""
    with transaction.atomic():
        consent = Consent.objects.create(
            person=case.person,
            case=case,
            purpose=purpose,
            recipient=recipient,
            sections=list(sections),
            given_by=given_by,
            guardian_name=guardian_name,
            guardian_relationship=guardian_relationship,
            given_at=_start_of(given_on),
            # It stops applying on the expiry day.
            expires_at=_start_of(expires_on) if expires_on else None,
            scope_notes=scope_notes,
            recorded_by=actor,
        )
        fields = ["purpose", "given_by", "given_at"] + [
            name
            for name, value in (
                ("recipient", recipient),
                ("sections", sections),
                ("expires_at", expires_on),
                ("guardian_name", guardian_name),
                ("guardian_relationship", guardian_relationship),
                ("scope_notes", scope_notes),
            )
            if value
        ]
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=case,
            fields_changed=fields,
            detail={"consent": str(consent.public_id), "purpose": purpose},
        )
    return consent


def consent_withdraw(*, actor, case: Case, consent_public_id, reason: str, request=None) -> Consent:
    with transaction.atomic():
        consent = (
            Consent.objects.select_for_update()
            .filter(person_id=case.person_id, public_id=consent_public_id)
            .first()
        )
        if consent is None:
            raise ConsentRefused(_("There is no such consent on this case."))
        if consent.withdrawn_at is not None:
            raise ConsentRefused(_("This consent was already withdrawn."))
        consent.withdrawn_at = timezone.now()
        consent.withdrawal_reason = reason
        consent.save(update_fields=["withdrawn_at", "withdrawal_reason"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            obj=case,
            fields_changed=["withdrawn_at", "withdrawal_reason"],
            detail={"consent": str(consent.public_id), "purpose": consent.purpose},
        )
    return consent
