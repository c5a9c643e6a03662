"""Writes of the access-to-justice area. Each is one transaction with its audit event."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from tumaini.cases.enums import ConsentPurpose
from tumaini.cases.models import Case
from tumaini.cases.selectors.consent import consent_active
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.services import save_versioned
from tumaini.justice.enums import HearingStatus
from tumaini.justice.models import (
    Hearing,
    JusticeMatter,
    PoliceReport,
    Prosecution,
    RestitutionPayment,
)


class JusticeRefused(Exception):
    """The change cannot be made; the message says why, in the user's language."""


def law_enforcement_consent(case: Case):
    """Cooperating with the police and the courts needs the survivor's specific consent (or a
    guardian's for a child): the active consent, or None."""
    return consent_active(person=case.person, purpose=ConsentPurpose.LAW_ENFORCEMENT)


def matter_open(*, actor, case: Case, legal_officer, request=None) -> JusticeMatter:
    with transaction.atomic():
        if JusticeMatter.objects.filter(case=case).exists():
            raise JusticeRefused(_("This case already has a justice matter."))
        if law_enforcement_consent(case) is None:
            raise JusticeRefused(
                _(
                    "There is no active consent to cooperate with law enforcement. Record the "
                    "survivor's (or guardian's) consent on the case first."
                )
            )
        matter = JusticeMatter.objects.create(
            case=case, legal_officer=legal_officer, opened_by=actor
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=matter,
            fields_changed=["legal_officer"] if legal_officer else [],
            detail={"case": str(case.public_id)},
        )
    if legal_officer is not None and legal_officer != actor:
        _notify(
            recipients=[legal_officer],
            case=case,
            message=_t("You were assigned the justice matter of case %(number)s.")
            % {"number": case.case_number},
        )
    return matter


def matter_assign(
    *, actor, matter: JusticeMatter, legal_officer, expected_version: int, request=None
):
    matter = save_versioned(
        record=matter,
        expected_version=expected_version,
        changes={"legal_officer": legal_officer},
        actor=actor,
        request=request,
    )
    if legal_officer is not None and legal_officer != actor:
        _notify(
            recipients=[legal_officer],
            case=matter.case,
            message=_t("You were assigned the justice matter of case %(number)s.")
            % {"number": matter.case.case_number},
        )
    return matter


def _create(model, *, actor, matter: JusticeMatter, request, values: dict[str, Any]):
    with transaction.atomic():
        record = model.objects.create(matter=matter, recorded_by=actor, **values)
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=record,
            fields_changed=[name for name, value in values.items() if value not in ("", None, [])],
            detail={"matter": str(matter.public_id)},
        )
    return record


def police_report_record(*, actor, matter: JusticeMatter, values: dict[str, Any], request=None):
    return _create(PoliceReport, actor=actor, matter=matter, request=request, values=values)


def police_report_update(
    *, actor, report: PoliceReport, values: dict[str, Any], expected_version: int, request=None
):
    return save_versioned(
        record=report,
        expected_version=expected_version,
        changes=values,
        actor=actor,
        request=request,
    )


def prosecution_record(*, actor, matter: JusticeMatter, values: dict[str, Any], request=None):
    return _create(Prosecution, actor=actor, matter=matter, request=request, values=values)


def prosecution_update(
    *, actor, prosecution: Prosecution, values: dict[str, Any], expected_version: int, request=None
):
    return save_versioned(
        record=prosecution,
        expected_version=expected_version,
        changes=values,
        actor=actor,
        request=request,
    )


def hearing_schedule(
    *,
    actor,
    prosecution: Prosecution,
    starts_at: datetime,
    kind: str,
    survivor_attends: bool,
    notes: str = "",
    request=None,
) -> Hearing:
    with transaction.atomic():
        hearing = Hearing.objects.create(
            prosecution=prosecution,
            starts_at=starts_at,
            kind=kind,
            survivor_attends=survivor_attends,
            notes=notes,
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=prosecution,
            fields_changed=["hearing"],
            detail={"hearing": str(hearing.public_id), "kind": kind},
        )
    return hearing


def hearing_record_outcome(
    *, actor, hearing: Hearing, status: str, notes: str, request=None
) -> Hearing:
    if status == HearingStatus.SCHEDULED:
        raise JusticeRefused(_("Choose what happened at the hearing."))
    with transaction.atomic():
        hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
        hearing.status = status
        hearing.notes = notes
        hearing.save(update_fields=["status", "notes"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            obj=hearing.prosecution,
            fields_changed=["hearing.status", "hearing.notes"],
            detail={"hearing": str(hearing.public_id), "status": status},
        )
    return hearing


def restitution_payment_record(
    *, actor, prosecution: Prosecution, amount: Decimal, paid_on: date, request=None
) -> RestitutionPayment:
    with transaction.atomic():
        payment = RestitutionPayment.objects.create(
            prosecution=prosecution, amount=amount, paid_on=paid_on, recorded_by=actor
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=prosecution,
            fields_changed=["restitution_payment"],
            detail={"payment": str(payment.public_id)},
        )
    return payment


# --- Hearing reminders ------------------------------------------------------------------------

# How long before a hearing the legal officer and (with consent) the survivor are reminded.
REMINDER_LEAD = timedelta(days=2)
# Never revealing: a trafficker may read the survivor's phone. Both languages, because the phone
# does not tell us which the survivor reads; the centre's help line number only.
SURVIVOR_REMINDER = (
    "Tumaini: reminder of your appointment on %(day)s at %(time)s. If you cannot come, call "
    "0725 624489. / Kumbusho: una miadi tarehe %(day)s saa %(time)s. Ukishindwa kuja, piga "
    "0725 624489."
)


def survivor_sms_number(case: Case) -> str | None:
    """The survivor's phone, only with an active consent to SMS contact and a number they said is
    safe to use."""
    from tumaini.people.enums import ContactKind

    if consent_active(person=case.person, purpose=ConsentPurpose.SMS_CONTACT) is None:
        return None
    contact = (
        case.person.contacts.filter(kind=ContactKind.PHONE, is_safe_to_use=True)
        .order_by("id")
        .first()
    )
    return contact.value if contact else None


def hearing_reminders_send(*, now: datetime | None = None) -> dict[str, int]:
    """Remind once per hearing: a notification to the legal officer, and an SMS to a survivor who
    is to attend and agreed to SMS contact. Idempotent: a reminded hearing is skipped."""
    from tumaini.messaging.enums import MessagePurpose
    from tumaini.messaging.services import sms_send

    now = now or timezone.now()
    due = Hearing.objects.filter(
        status=HearingStatus.SCHEDULED, starts_at__gt=now, starts_at__lte=now + REMINDER_LEAD
    ).select_related(
        "prosecution__matter__legal_officer",
        "prosecution__matter__case__person",
    )
    officers = survivors = 0
    for hearing in due.filter(officer_reminded_at__isnull=True):
        with transaction.atomic():
            if not Hearing.objects.filter(pk=hearing.pk, officer_reminded_at__isnull=True).update(
                officer_reminded_at=now
            ):
                continue
            matter = hearing.prosecution.matter
            if matter.legal_officer_id:
                local = timezone.localtime(hearing.starts_at)
                _notify(
                    recipients=[matter.legal_officer],
                    case=matter.case,
                    message=_t("Hearing of case %(number)s on %(day)s at %(time)s (%(court)s).")
                    % {
                        "number": matter.case.case_number,
                        "day": local.strftime("%Y-%m-%d"),
                        "time": local.strftime("%H:%M"),
                        "court": hearing.prosecution.court,
                    },
                )
                officers += 1
    for hearing in due.filter(survivor_attends=True, survivor_reminded_at__isnull=True):
        case = hearing.prosecution.matter.case
        number = survivor_sms_number(case)
        with transaction.atomic():
            if not Hearing.objects.filter(pk=hearing.pk, survivor_reminded_at__isnull=True).update(
                survivor_reminded_at=now
            ):
                continue
            if number is None:
                continue
            local = timezone.localtime(hearing.starts_at)
            sms_send(
                to=number,
                body=SURVIVOR_REMINDER
                % {"day": local.strftime("%d/%m/%Y"), "time": local.strftime("%H:%M")},
                purpose=MessagePurpose.APPOINTMENT_REMINDER,
            )
            survivors += 1
    return {"officers": officers, "survivors": survivors}


def _notify(*, recipients, case: Case, message: str) -> None:
    from tumaini.cases.services.workflow import notify

    notify(recipients=recipients, case=case, message=message)
