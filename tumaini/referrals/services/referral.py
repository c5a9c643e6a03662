"""Writes of referrals: one service per transition, each in one transaction with its audit event.

The share itself happens in `referral_send`: it asks `consent_active` for a referral consent naming
the recipient at that moment (a director may override a missing consent, with a reason, audited),
freezes the chosen fields into the encrypted snapshot and starts the acknowledgement clock.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from tumaini.accounts.enums import Role
from tumaini.accounts.models import User
from tumaini.cases.enums import ConsentPurpose
from tumaini.cases.models import Case
from tumaini.cases.selectors.consent import consent_active
from tumaini.cases.services.workflow import directors_of, notify
from tumaini.core import access
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.referrals.enums import (
    ReferralStatus,
    ReferralUrgency,
    SharedField,
)
from tumaini.referrals.models import (
    ReceivedReferral,
    Referral,
    ReferralLink,
    ReferralUpdate,
)
from tumaini.referrals.policies import (
    CREATE,
    OVERRIDE_CONSENT,
    RECEIVED_REFERRAL,
    REFERRAL,
    RESPOND,
    SEND,
    UPDATE,
)
from tumaini.referrals.sharing import snapshot_of

# Tokens of 32 random bytes (43 URL-safe characters); only their SHA-256 is stored.
LINK_TOKEN_BYTES = 32
OVERRIDE_REASON_MIN_LENGTH = 20


class ReferralRefused(Exception):
    """The step cannot be taken now (the message says why, for the page)."""

    @staticmethod
    def default_message() -> str:
        return gettext("That step is not possible.")


# --- Transitions: (statuses it may start from, status it leads to) --------------------------------

ACKNOWLEDGE, ACCEPT, DECLINE, COMPLETE, CANCEL = (
    "acknowledge",
    "accept",
    "decline",
    "complete",
    "cancel",
)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    ACKNOWLEDGE: ((ReferralStatus.SENT,), ReferralStatus.ACKNOWLEDGED),
    ACCEPT: ((ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED), ReferralStatus.ACCEPTED),
    DECLINE: ((ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED), ReferralStatus.DECLINED),
    COMPLETE: ((ReferralStatus.ACCEPTED,), ReferralStatus.COMPLETED),
    CANCEL: (
        (
            ReferralStatus.DRAFT,
            ReferralStatus.SENT,
            ReferralStatus.ACKNOWLEDGED,
            ReferralStatus.ACCEPTED,
        ),
        ReferralStatus.CANCELLED,
    ),
}
# The partner's answers; a one-time link is consumed by the decisions among them.
PARTNER_STEPS = (ACKNOWLEDGE, ACCEPT, DECLINE, COMPLETE)
LINK_DECISIONS = (ACCEPT, DECLINE, COMPLETE)


def steps_open(referral: Referral, *, steps=PARTNER_STEPS) -> list[str]:
    return [step for step in steps if referral.status in TRANSITIONS[step][0]]


def may_act(actor, action: str, case: Case) -> bool:
    return access.scoped(actor, REFERRAL, action, Case.objects.filter(pk=case.pk)).exists()


def _locked(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update().select_related("case", "recipient").get(pk=referral.pk)
    )


def _audit(
    *, referral: Referral, actor, request, fields, detail=None, action=AuditAction.UPDATE, link=None
):
    extra = dict(detail or {})
    username = ""
    if link is not None:
        extra["link"] = str(link.public_id)
        username = "one-time link"
    audit_record(
        action=action,
        actor=actor,
        request=request,
        obj=referral,
        fields_changed=fields,
        detail={"case": str(referral.case.public_id), **extra},
        username=username,
    )


# --- Staff: make, send, cancel --------------------------------------------------------------------


def referral_create(
    *,
    actor: Any,
    case: Case,
    service: Any,
    reason: str,
    urgency: str,
    shared_fields: list[str],
    request: Any = None,
) -> Referral:
    """A draft referral of `case` to `service`. Nothing is shared until it is sent."""
    if not may_act(actor, CREATE, case):
        raise ReferralRefused(gettext("You may not refer this case."))
    if urgency not in ReferralUrgency.values:
        raise ValidationError({"urgency": [gettext("Choose how urgent the referral is.")]})
    unknown = [code for code in shared_fields if code not in SharedField.values]
    if unknown:
        raise ValidationError({"shared_fields": [gettext("Choose fields from the list.")]})
    if not (reason or "").strip():
        raise ValidationError({"reason": [gettext("Say why you refer the survivor.")]})
    with transaction.atomic():
        referral = Referral.objects.create(
            case=case,
            organisation_id=case.organisation_id,
            service=service,
            recipient_id=service.organisation_id,
            reason=reason.strip(),
            urgency=urgency,
            shared_fields=[code for code in SharedField.values if code in shared_fields],
            created_by=actor,
        )
        ReferralUpdate.objects.create(referral=referral, status=ReferralStatus.DRAFT, by=actor)
        _audit(
            referral=referral,
            actor=actor,
            request=request,
            action=AuditAction.CREATE,
            fields=["case", "service", "recipient", "reason", "urgency", "shared_fields"],
        )
    return referral


def referral_send(
    *, actor: Any, referral: Referral, override_reason: str = "", request: Any = None
) -> Referral:
    """Share the snapshot with the recipient. No consent, no referral — except a director's
    override with a reason, which is audited as such."""
    case = referral.case
    if not may_act(actor, SEND, case):
        raise ReferralRefused(gettext("You may not send this referral."))
    override_reason = (override_reason or "").strip()
    with transaction.atomic():
        referral = _locked(referral)
        if referral.status != ReferralStatus.DRAFT:
            raise ReferralRefused(gettext("This referral was already sent."))
        consent = consent_active(
            person=case.person, purpose=ConsentPurpose.REFERRAL, recipient=referral.recipient
        )
        if consent is None:
            if not override_reason:
                raise ReferralRefused(
                    gettext(
                        "There is no active consent to refer this survivor to %(recipient)s. "
                        "Record the survivor's consent first."
                    )
                    % {"recipient": referral.recipient.name}
                )
            if not may_act(actor, OVERRIDE_CONSENT, case):
                raise ReferralRefused(
                    gettext("Only a director may send a referral without the survivor's consent.")
                )
            if len(override_reason) < OVERRIDE_REASON_MIN_LENGTH:
                raise ValidationError(
                    {
                        "override_reason": [
                            gettext(
                                "Explain in at least %(count)d characters why consent is overridden."
                            )
                            % {"count": OVERRIDE_REASON_MIN_LENGTH}
                        ]
                    }
                )
        now = timezone.now()
        referral.snapshot = json.dumps(
            snapshot_of(case=case, fields=referral.shared_fields), ensure_ascii=False
        )
        referral.status = ReferralStatus.SENT
        referral.sent_at = now
        referral.sent_by = actor
        referral.acknowledge_due_at = Referral.deadline_for(referral.urgency, now)
        referral.consent = consent
        if consent is None:
            referral.consent_override_by = actor
            referral.consent_override_reason = override_reason
        referral.version += 1
        referral.save()
        ReferralUpdate.objects.create(
            referral=referral, status=ReferralStatus.SENT, by=actor, at=now
        )
        detail = {
            "shared_fields": referral.shared_fields,
            "recipient": str(referral.recipient.public_id),
        }
        if consent is not None:
            detail["consent"] = str(consent.public_id)
        _audit(
            referral=referral,
            actor=actor,
            request=request,
            action=AuditAction.SHARE,
            fields=["snapshot", "status", "sent_at"],
            detail=detail,
        )
        if consent is None:
            # The override is a decision of its own: findable in the trail with its reason.
            audit_record(
                action=AuditAction.BREAK_GLASS,
                actor=actor,
                request=request,
                obj=case,
                reason=override_reason,
                detail={"referral": str(referral.public_id), "consent_override": True},
            )
        notify(
            recipients=_partner_users(referral),
            case=None,
            message=gettext("New referral %(reference)s (%(urgency)s) for %(service)s.")
            % {
                "reference": referral.reference,
                "urgency": referral.get_urgency_display(),
                "service": referral.service,
            },
        )
    return referral


def referral_cancel(
    *, actor: Any, referral: Referral, reason: str, request: Any = None
) -> Referral:
    if not may_act(actor, UPDATE, referral.case):
        raise ReferralRefused(gettext("You may not change this referral."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [gettext("Say why the referral is cancelled.")]})
    with transaction.atomic():
        referral = _locked(referral)
        was_sent = referral.status != ReferralStatus.DRAFT
        _apply(referral, CANCEL, by=actor, note=reason)
        referral.cancelled_at = timezone.now()
        referral.cancel_reason = reason
        referral.save()
        # Cancelling withdraws every link still usable.
        referral.links.filter(used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=actor
        )
        _audit(
            referral=referral,
            actor=actor,
            request=request,
            fields=["status", "cancelled_at", "cancel_reason"],
        )
        if was_sent:
            notify(
                recipients=_partner_users(referral),
                case=None,
                message=gettext("Referral %(reference)s was cancelled by the centre.")
                % {"reference": referral.reference},
            )
    return referral


def _apply(referral: Referral, step: str, *, by=None, link=None, note: str = "") -> None:
    starts, target = TRANSITIONS[step]
    if referral.status not in starts:
        raise ReferralRefused(
            gettext("This referral is %(status)s: it cannot be changed that way now.")
            % {"status": referral.get_status_display().lower()}
        )
    referral.status = target
    referral.version += 1
    ReferralUpdate.objects.create(referral=referral, status=target, by=by, link=link, note=note)


# --- The partner's answers (signed in, or through a one-time link) ---------------------------------


def referral_respond(
    *,
    referral: Referral,
    step: str,
    actor: Any = None,
    link: ReferralLink | None = None,
    note: str = "",
    request: Any = None,
) -> Referral:
    """Acknowledge, accept, decline (a reason) or complete (an outcome), as the recipient: the one
    place the partner's transitions are applied (the table above says which status each may start
    from); `referral_acknowledge` ... `referral_complete` name them for callers.

    The caller has checked who answers: a partner user through the policy (views), or a usable
    link (`link_respond`). Declining needs a reason and completing an outcome.
    """
    if step not in PARTNER_STEPS:
        raise ReferralRefused(gettext("Unknown step."))
    if (
        actor is not None
        and not access.scoped(
            actor, RECEIVED_REFERRAL, RESPOND, ReceivedReferral.objects.filter(pk=referral.pk)
        ).exists()
    ):
        raise ReferralRefused(gettext("You may not answer this referral."))
    note = (note or "").strip()
    if step == DECLINE and not note:
        raise ValidationError({"note": [gettext("Say why the referral is declined.")]})
    if step == COMPLETE and not note:
        raise ValidationError({"note": [gettext("Describe the outcome.")]})
    with transaction.atomic():
        referral = _locked(referral)
        _apply(referral, step, by=actor, link=link, note=note)
        now = timezone.now()
        fields = ["status"]
        if step in (ACKNOWLEDGE, ACCEPT, DECLINE) and referral.acknowledged_at is None:
            # Accepting or declining says "we have it" too.
            referral.acknowledged_at = now
            fields.append("acknowledged_at")
        if step == ACCEPT:
            referral.accepted_at = now
            fields.append("accepted_at")
        elif step == DECLINE:
            referral.declined_at, referral.decline_reason = now, note
            fields += ["declined_at", "decline_reason"]
        elif step == COMPLETE:
            referral.completed_at, referral.outcome = now, note
            fields += ["completed_at", "outcome"]
        referral.save()
        _audit(referral=referral, actor=actor, request=request, fields=fields, link=link)
        case = referral.case
        messages = {
            ACKNOWLEDGE: gettext("Referral %(reference)s was acknowledged by %(recipient)s."),
            ACCEPT: gettext("Referral %(reference)s was accepted by %(recipient)s."),
            DECLINE: gettext("Referral %(reference)s was declined by %(recipient)s."),
            COMPLETE: gettext(
                "Referral %(reference)s was completed by %(recipient)s: outcome reported."
            ),
        }
        notify(
            recipients=[user for user in (case.assigned_to, referral.sent_by) if user is not None],
            case=case,
            message=messages[step]
            % {"reference": referral.reference, "recipient": referral.recipient.name},
        )
    return referral


def referral_acknowledge(*, referral: Referral, actor: Any = None, link=None, request=None):
    return referral_respond(
        referral=referral, step=ACKNOWLEDGE, actor=actor, link=link, request=request
    )


def referral_accept(*, referral: Referral, actor: Any = None, link=None, request=None):
    return referral_respond(referral=referral, step=ACCEPT, actor=actor, link=link, request=request)


def referral_decline(
    *, referral: Referral, reason: str, actor: Any = None, link=None, request=None
):
    return referral_respond(
        referral=referral, step=DECLINE, actor=actor, link=link, note=reason, request=request
    )


def referral_complete(
    *, referral: Referral, outcome: str, actor: Any = None, link=None, request=None
):
    return referral_respond(
        referral=referral, step=COMPLETE, actor=actor, link=link, note=outcome, request=request
    )


def _partner_users(referral: Referral):
    return User.objects.filter(
        organisation_id=referral.recipient_id,
        is_active=True,
        role_assignments__role__in=[Role.PARTNER_USER, Role.LAW_ENFORCEMENT_LIAISON],
    ).distinct()


# --- Overdue acknowledgements (periodic job) -------------------------------------------------------


def referrals_alert_overdue(*, now=None) -> int:
    """Tell the case manager, the directors and the partner once about each overdue referral."""
    now = now or timezone.now()
    overdue = (
        Referral.objects.filter(
            status=ReferralStatus.SENT, acknowledge_due_at__lt=now, overdue_alerted_at__isnull=True
        )
        .select_related("case__assigned_to", "recipient")
        .order_by("acknowledge_due_at")
    )
    count = 0
    for referral in overdue[:500]:
        with transaction.atomic():
            marked = Referral.objects.filter(
                pk=referral.pk, overdue_alerted_at__isnull=True
            ).update(overdue_alerted_at=now)
            if not marked:
                continue
            case = referral.case
            message = gettext(
                "Referral %(reference)s to %(recipient)s is overdue: not acknowledged in time."
            ) % {
                "reference": referral.reference,
                "recipient": referral.recipient.name,
            }
            staff = [*directors_of(case), *([case.assigned_to] if case.assigned_to else [])]
            notify(recipients=staff, case=case, message=message)
            notify(
                recipients=_partner_users(referral),
                case=None,
                message=gettext("Referral %(reference)s is waiting for your acknowledgement.")
                % {"reference": referral.reference},
            )
            count += 1
    return count
