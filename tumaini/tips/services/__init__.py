"""Writes of public reports: receiving one (any channel), triage, escalation, closure, and purging
reporters' contacts. Each write is one transaction with its audit event; updates name the version
they read (`save_versioned`) so two agents cannot silently overwrite each other."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta
from typing import Any

import phonenumbers
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tumaini.accounts.enums import OrganisationType, Role
from tumaini.accounts.models import Organisation, User
from tumaini.core import access
from tumaini.core.access import UPDATE
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.models import SubCounty, Ward
from tumaini.core.services import save_versioned
from tumaini.tips.enums import (
    URGENCY_RANK,
    Channel,
    ClosureReason,
    ReportStatus,
    Urgency,
    VictimAges,
    VictimSex,
)
from tumaini.tips.models import REFERENCE_ALPHABET, REFERENCE_LENGTH, Report
from tumaini.tips.policies import CLOSE, ESCALATE, PUBLIC_REPORT

CONTACT_FIELDS = ("reporter_contact", "reporter_phone")
HOTLINE_ROLES = (Role.HOTLINE_AGENT, Role.HOTLINE_SUPERVISOR)


class ReportRefused(Exception):
    """A triage action that is not allowed in the report's current state (message for the form)."""


def new_reference_code() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def normalise_reference(typed: str) -> str:
    """What a reporter types, as stored: upper case, dashes and spaces dropped."""
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())


def receiving_organisation() -> Organisation:
    """The centre that receives public reports: TUMAINI_REPORTS_ORGANISATION (a name) if set,
    otherwise the first local-government organisation (the county's rescue centre)."""
    name = getattr(settings, "TUMAINI_REPORTS_ORGANISATION", "")
    active = Organisation.objects.filter(is_active=True).order_by("pk")
    found = active.filter(name=name).first() if name else None
    found = found or active.filter(type=OrganisationType.LOCAL_GOVERNMENT).first()
    if found is None:
        raise Organisation.DoesNotExist("no organisation receives public reports")
    return found


def urgency_for(*, danger_now: bool, victim_ages: str, victims_count: int | None) -> Urgency:
    """The first triage guess; staff can see why from the report itself."""
    if danger_now:
        return Urgency.CRITICAL
    if victim_ages in (VictimAges.CHILD, VictimAges.BOTH):
        return Urgency.HIGH
    if victims_count is not None and victims_count >= 5:
        return Urgency.HIGH
    return Urgency.NORMAL


def normalise_phone(value: str | None) -> str:
    """E.164 when it parses as a (Kenyan by default) number, the trimmed text otherwise."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        parsed = phonenumbers.parse(value, "KE")
    except phonenumbers.NumberParseException:
        return value
    if not phonenumbers.is_possible_number(parsed):
        return value
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def report_receive(
    *,
    channel: Channel | str,
    what_happened: str,
    sub_county: SubCounty | None = None,
    ward: Ward | None = None,
    place_text: str = "",
    occurred_on: date | None = None,
    occurred_time: time | None = None,
    occurred_text: str = "",
    victims_count: int | None = None,
    victim_ages: str = VictimAges.UNKNOWN,
    victim_sex: str = VictimSex.UNKNOWN,
    suspects_description: str = "",
    suspect_phone: str = "",
    vehicles: str = "",
    danger_now: bool = False,
    reporter_contact: str = "",
    reporter_phone: str | None = None,
    no_contact: bool = False,
    language: str = "",
    organisation: Organisation | None = None,
    actor: User | None = None,
    request: Any = None,
    received_at: datetime | None = None,
) -> Report:
    """Store a report from any channel and audit it; returns it with its new reference code.

    Channels other than the web form (SMS, USSD, voice, a hotline agent) call this too.
    """
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if ward is not None and sub_county is None:
        sub_county = ward.sub_county
    now = timezone.now()
    urgency = urgency_for(
        danger_now=danger_now, victim_ages=victim_ages, victims_count=victims_count
    )
    fields = {
        "channel": str(channel),
        "language": (language or "")[:8],
        "what_happened": what_happened.strip(),
        "sub_county": sub_county,
        "ward": ward,
        "place_text": place_text.strip(),
        "occurred_on": occurred_on,
        "occurred_time": occurred_time,
        "occurred_text": occurred_text.strip(),
        "victims_count": victims_count,
        "victim_ages": victim_ages or VictimAges.UNKNOWN,
        "victim_sex": victim_sex or VictimSex.UNKNOWN,
        "suspects_description": suspects_description.strip(),
        "suspect_phone": normalise_phone(suspect_phone),
        "vehicles": vehicles.strip(),
        "danger_now": danger_now,
        "reporter_contact": reporter_contact.strip(),
        "reporter_phone": normalise_phone(reporter_phone),
        "no_contact": no_contact,
        "urgency": urgency,
        "urgency_rank": URGENCY_RANK[urgency],
        "received_at": received_at or now,
        "status_changed_at": now,
    }
    organisation = organisation or receiving_organisation()
    # A clash of two random 8-character codes is rare (25^8); try again rather than fail.
    for attempt in range(5):
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    organisation=organisation, reference_code=new_reference_code(), **fields
                )
                audit_record(
                    action=AuditAction.CREATE,
                    actor=actor,
                    request=request,
                    obj=report,
                    username="" if actor else f"public:{channel}",
                    detail={"channel": str(channel), "urgency": str(urgency)},
                )
                return report
        except IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def _hotline_staff(organisation_id: int):
    return User.objects.filter(
        organisation_id=organisation_id,
        is_active=True,
        role_assignments__role__in=HOTLINE_ROLES,
    ).distinct()


def report_take(*, actor: User, report: Report, expected_version: int, request=None) -> Report:
    """The acting agent takes the report; a new report starts being triaged."""
    return report_assign(
        actor=actor,
        report=report,
        assignee=actor,
        expected_version=expected_version,
        request=request,
    )


def report_assign(
    *, actor: User, report: Report, assignee: User, expected_version: int, request=None
) -> Report:
    access.get_scoped_or_404(actor, PUBLIC_REPORT, UPDATE, Report.objects, pk=report.pk)
    if not _hotline_staff(report.organisation_id).filter(pk=assignee.pk).exists():
        raise ReportRefused(
            _("Reports can only be assigned to the receiving centre's hotline staff.")
        )
    changes: dict[str, Any] = {"assigned_to": assignee}
    if report.status == ReportStatus.NEW:
        changes.update(status=ReportStatus.TRIAGING, status_changed_at=timezone.now())
    if report.triaged_at is None:
        changes["triaged_at"] = timezone.now()
    return save_versioned(
        record=report,
        expected_version=expected_version,
        changes=changes,
        actor=actor,
        request=request,
    )


# Statuses set by the plain status form; escalation and closure have their own steps.
# "Linked to a case" is set by linking a case (services/links.py), so a case is always named.
SETTABLE_STATUSES = (ReportStatus.TRIAGING, ReportStatus.REFERRED)


def report_set_status(
    *, actor: User, report: Report, status: str, expected_version: int, request=None
) -> Report:
    access.get_scoped_or_404(actor, PUBLIC_REPORT, UPDATE, Report.objects, pk=report.pk)
    if status not in SETTABLE_STATUSES:
        raise ReportRefused(_("Use the escalation or closing form for that status."))
    if report.status == ReportStatus.CLOSED:
        raise ReportRefused(_("This report is closed."))
    now = timezone.now()
    changes: dict[str, Any] = {"status": status, "status_changed_at": now}
    if report.triaged_at is None:
        changes["triaged_at"] = now
    return save_versioned(
        record=report,
        expected_version=expected_version,
        changes=changes,
        actor=actor,
        request=request,
    )


def law_enforcement_organisations():
    return Organisation.objects.filter(
        is_active=True, type=OrganisationType.LAW_ENFORCEMENT
    ).order_by("name")


def report_escalate(
    *,
    actor: User,
    report: Report,
    unit: Organisation,
    officer: str,
    reference: str = "",
    escalated_at: datetime | None = None,
    expected_version: int,
    request=None,
) -> Report:
    """Pass the report to a law-enforcement unit, whose liaison can then read it."""
    access.get_scoped_or_404(actor, PUBLIC_REPORT, ESCALATE, Report.objects, pk=report.pk)
    if not law_enforcement_organisations().filter(pk=unit.pk).exists():
        raise ReportRefused(_("Reports can only be escalated to a law-enforcement unit."))
    if report.status == ReportStatus.CLOSED:
        raise ReportRefused(_("This report is closed."))
    now = timezone.now()
    changes: dict[str, Any] = {
        "status": ReportStatus.ESCALATED,
        "status_changed_at": now,
        "escalated_to": unit,
        "escalation_officer": officer.strip(),
        "escalation_reference": reference.strip(),
        "escalated_at": escalated_at or now,
        "escalated_by": actor,
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
        # Sharing outside the centre is its own event: who got it, not what it said.
        audit_record(
            action=AuditAction.SHARE,
            actor=actor,
            request=request,
            obj=saved,
            detail={"shared_with_organisation": unit.pk},
        )
    return saved


def retention_days() -> int:
    return int(getattr(settings, "TUMAINI_REPORT_CONTACT_RETENTION_DAYS", 90))


def report_close(
    *,
    actor: User,
    report: Report,
    reason: str,
    note: str = "",
    expected_version: int,
    request=None,
) -> Report:
    access.get_scoped_or_404(actor, PUBLIC_REPORT, CLOSE, Report.objects, pk=report.pk)
    if reason not in ClosureReason.values:
        raise ReportRefused(_("Choose why the report is closed."))
    if report.status == ReportStatus.CLOSED:
        raise ReportRefused(_("This report is already closed."))
    now = timezone.now()
    return save_versioned(
        record=report,
        expected_version=expected_version,
        changes={
            "status": ReportStatus.CLOSED,
            "status_changed_at": now,
            "closed_at": now,
            "closure_reason": reason,
            "closure_note": note.strip(),
            "contact_purge_after": now + timedelta(days=retention_days()),
        },
        actor=actor,
        request=request,
    )


def purge_reporter_contacts(*, now: datetime | None = None) -> int:
    """Blank the contacts of reports closed longer ago than the retention period; returns how many.

    Runs daily from the scheduler. One report per transaction, so a failure part-way keeps what was
    already purged.
    """
    now = now or timezone.now()
    due = Report.objects.filter(
        status=ReportStatus.CLOSED, contact_purge_after__lte=now, contact_purged_at__isnull=True
    ).values_list("pk", flat=True)
    purged = 0
    for pk in list(due):
        with transaction.atomic():
            report = Report.objects.select_for_update().get(pk=pk)
            had = [name for name in CONTACT_FIELDS if getattr(report, name)]
            report.reporter_contact = ""
            report.reporter_phone = ""
            report.contact_purged_at = now
            # The version moves on so an open edit form cannot write a contact back.
            report.version += 1
            report.save(
                update_fields=[
                    "reporter_contact",
                    "reporter_phone",
                    "reporter_phone_index",
                    "contact_purged_at",
                    "version",
                    "updated_at",
                ]
            )
            audit_record(
                action=AuditAction.DELETE,
                obj=report,
                username="system:retention",
                fields_changed=had,
                reason="reporter contact retention period ended",
            )
            purged += 1
    return purged
