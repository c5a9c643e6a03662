"""Writes of the hotline desk: logging a call and editing it, its follow-up, a public report made from
it, and the on-duty roster. Each write is one transaction with its audit event; edits name the version
they read (`save_versioned`), so two people cannot silently overwrite each other."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import phonenumbers
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tumaini.accounts.enums import Role
from tumaini.accounts.models import User
from tumaini.core import access
from tumaini.core.access import CREATE, DELETE, UPDATE, VIEW
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.services import save_versioned
from tumaini.hotline.enums import CallCategory, CallLanguage
from tumaini.hotline.models import Call, Shift
from tumaini.hotline.policies import CALLER_PHONE, HOTLINE_CALL, HOTLINE_ROSTER
from tumaini.tips import services as tips_services
from tumaini.tips.enums import Channel
from tumaini.tips.policies import PUBLIC_REPORT

# What a call may change after it was logged; the agent and the organisation stay.
EDITABLE_FIELDS = (
    "started_at",
    "duration_seconds",
    "caller_type",
    "language",
    "category",
    "urgency",
    "summary",
    "advice",
    "caller_phone",
    "follow_up_needed",
    "follow_up_due",
)
# Report languages are the site's language codes; "other" leaves it blank.
REPORT_LANGUAGE = {CallLanguage.ENGLISH: "en", CallLanguage.KISWAHILI: "sw"}


class CallRefused(Exception):
    """A call action that is not allowed in the call's current state (message for the page)."""


class ShiftRefused(Exception):
    """A shift the roster cannot take (the message says why, for the form)."""


def e164(value: str) -> str:
    """A phone number as E.164 (Kenyan when no country code is typed); ValueError when invalid."""
    try:
        parsed = phonenumbers.parse((value or "").strip(), "KE")
    except phonenumbers.NumberParseException:
        raise ValueError(value) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(value)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _check_follow_up(*, needed: bool, due: date | None) -> None:
    if needed and due is None:
        raise CallRefused(_("Give the date the follow-up is due."))


def call_log(
    *,
    actor: User,
    started_at: datetime,
    duration_seconds: int,
    caller_type: str,
    language: str,
    category: str,
    urgency: str,
    summary: str,
    advice: str = "",
    caller_phone: str = "",
    follow_up_needed: bool = False,
    follow_up_due: date | None = None,
    request: Any = None,
) -> Call:
    """The acting agent logs a call they answered; it belongs to their organisation."""
    access.require(actor, HOTLINE_CALL, CREATE)
    _check_follow_up(needed=follow_up_needed, due=follow_up_due)
    with transaction.atomic():
        call = Call.objects.create(
            organisation_id=actor.organisation_id,
            assigned_to=actor,
            started_at=started_at,
            duration_seconds=duration_seconds,
            caller_type=caller_type,
            language=language,
            category=category,
            urgency=urgency,
            summary=summary.strip(),
            advice=advice.strip(),
            caller_phone=caller_phone,
            follow_up_needed=follow_up_needed,
            follow_up_due=follow_up_due if follow_up_needed else None,
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=call,
            detail={"category": category, "urgency": urgency},
        )
    return call


def may_see_caller_phone(*, user: User, call: Call) -> bool:
    return (
        access.scoped(user, CALLER_PHONE, VIEW, Call.objects.all(), include_break_glass=False)
        .filter(pk=call.pk)
        .exists()
    )


def call_update(
    *, actor: User, call: Call, expected_version: int, changes: dict[str, Any], request: Any = None
) -> Call:
    """Edit a logged call. A user who may not see the caller's number cannot change it either."""
    access.get_scoped_or_404(actor, HOTLINE_CALL, UPDATE, Call.objects, pk=call.pk)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    changes = dict(changes)
    if "caller_phone" in changes and not may_see_caller_phone(user=actor, call=call):
        changes.pop("caller_phone")
    for name in ("summary", "advice"):
        if name in changes:
            changes[name] = changes[name].strip()
    needed = changes.get("follow_up_needed", call.follow_up_needed)
    due = changes.get("follow_up_due", call.follow_up_due)
    _check_follow_up(needed=needed, due=due)
    if not needed:
        changes["follow_up_due"] = None
    return save_versioned(
        record=call,
        expected_version=expected_version,
        changes=changes,
        actor=actor,
        request=request,
    )


def call_follow_up_done(
    *, actor: User, call: Call, expected_version: int, request: Any = None
) -> Call:
    access.get_scoped_or_404(actor, HOTLINE_CALL, UPDATE, Call.objects, pk=call.pk)
    if not call.follow_up_needed:
        raise CallRefused(_("This call needs no follow-up."))
    if call.follow_up_done_at is not None:
        raise CallRefused(_("The follow-up is already marked done."))
    return save_versioned(
        record=call,
        expected_version=expected_version,
        changes={"follow_up_done_at": timezone.now(), "follow_up_done_by": actor},
        actor=actor,
        request=request,
    )


def call_may_become_report(*, user: User, call: Call) -> bool:
    """Whether the page offers "create a report": a trafficking report not yet in the triage desk,
    by someone who may edit the call and triage reports."""
    return (
        call.category == CallCategory.TRAFFICKING_REPORT
        and call.report_id is None
        and access.can(user, PUBLIC_REPORT, UPDATE)
        and access.scoped(user, HOTLINE_CALL, UPDATE, Call.objects.all())
        .filter(pk=call.pk)
        .exists()
    )


def call_report_create(
    *,
    actor: User,
    call: Call,
    expected_version: int,
    report_fields: dict[str, Any],
    keep_caller_phone: bool = False,
    request: Any = None,
):
    """Turn a trafficking-report call into a public report (channel "hotline call") linked to it.

    The caller's number is copied on the server, never through the form: the agent filling the form
    may not be allowed to read it, and on the report only supervisors see it again.
    """
    access.get_scoped_or_404(actor, HOTLINE_CALL, UPDATE, Call.objects, pk=call.pk)
    if not access.can(actor, PUBLIC_REPORT, UPDATE):
        raise CallRefused(_("You may not create public reports."))
    if call.category != CallCategory.TRAFFICKING_REPORT:
        raise CallRefused(_("Only a call reporting trafficking becomes a report."))
    if call.report_id is not None:
        raise CallRefused(_("A report was already created from this call."))
    with transaction.atomic():
        report = tips_services.report_receive(
            channel=Channel.HOTLINE,
            language=REPORT_LANGUAGE.get(call.language, ""),
            reporter_phone=call.caller_phone if keep_caller_phone else "",
            organisation=call.organisation,
            actor=actor,
            request=request,
            received_at=call.started_at,
            **report_fields,
        )
        save_versioned(
            record=call,
            expected_version=expected_version,
            changes={"report": report},
            actor=actor,
            request=request,
        )
    return report


# --- Roster --------------------------------------------------------------------------------------


def roster_agents(organisation_id: int | None):
    """The users a shift can be given to: active hotline agents of the organisation."""
    return (
        User.objects.filter(
            organisation_id=organisation_id,
            is_active=True,
            role_assignments__role=Role.HOTLINE_AGENT,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def shift_add(
    *,
    actor: User,
    agent: User,
    phone: str,
    starts_at: datetime,
    ends_at: datetime,
    request: Any = None,
) -> Shift:
    access.require(actor, HOTLINE_ROSTER, CREATE)
    if ends_at <= starts_at:
        raise ShiftRefused(_("The shift ends before it starts."))
    try:
        phone = e164(phone)
    except ValueError:
        raise ShiftRefused(_("This is not a phone number the line can dial.")) from None
    with transaction.atomic():
        if not roster_agents(actor.organisation_id).filter(pk=agent.pk).exists():
            raise ShiftRefused(_("Shifts can only be given to your organisation's hotline agents."))
        # Locking the agent's row makes two supervisors adding overlapping shifts at once take
        # turns (PostgreSQL; SQLite's IMMEDIATE transactions already do). Apart from the query
        # above: FOR UPDATE does not go with its DISTINCT.
        User.objects.select_for_update().filter(pk=agent.pk).first()
        clash = (
            Shift.objects.filter(agent=agent, starts_at__lt=ends_at, ends_at__gt=starts_at)
            .order_by("starts_at")
            .first()
        )
        if clash is not None:
            raise ShiftRefused(
                _("%(name)s already has a shift from %(start)s to %(end)s.")
                % {
                    "name": agent.get_full_name() or agent.username,
                    "start": _when(clash.starts_at),
                    "end": _when(clash.ends_at),
                }
            )
        shift = Shift.objects.create(
            organisation_id=actor.organisation_id,
            agent=agent,
            phone=phone,
            starts_at=starts_at,
            ends_at=ends_at,
            created_by=actor,
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=shift,
            detail={"agent": agent.pk},
        )
    return shift


def shift_remove(*, actor: User, shift: Shift, request: Any = None) -> None:
    with transaction.atomic():
        shift = access.get_scoped_or_404(
            actor, HOTLINE_ROSTER, DELETE, Shift.objects.select_for_update(), pk=shift.pk
        )
        audit_record(
            action=AuditAction.DELETE,
            actor=actor,
            request=request,
            obj=shift,
            detail={"agent": shift.agent_id},
        )
        shift.delete()
