"""Writes of referrals: one service per transition, each in one transaction with its audit event.

The share itself happens in `referral_send`: it asks `consent_active` for a referral consent naming
the recipient at that moment (a director may override a missing consent, with a reason, audited),
freezes the chosen fields into the encrypted snapshot and starts the acknowledgement clock.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
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
    IncomingStatus,
    LinkDelivery,
    ReferralStatus,
    ReferralUrgency,
    SharedField,
)
from tumaini.referrals.models import (
    IncomingReferral,
    ReceivedReferral,
    Referral,
    ReferralLink,
    ReferralUpdate,
)
from tumaini.referrals.policies import (
    CREATE,
    INCOMING_REFERRAL,
    OVERRIDE_CONSENT,
    RECEIVED_REFERRAL,
    REFERRAL,
    RESPOND,
    SEND,
    SENT_INCOMING_REFERRAL,
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
    """Acknowledge, accept, decline (a reason) or complete (an outcome), as the recipient.

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


def _partner_users(referral: Referral):
    return User.objects.filter(
        organisation_id=referral.recipient_id,
        is_active=True,
        role_assignments__role__in=[Role.PARTNER_USER, Role.LAW_ENFORCEMENT_LIAISON],
    ).distinct()


# --- One-time links --------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class IssuedLink:
    link: ReferralLink
    token: str


def link_issue(
    *, actor: Any, referral: Referral, url_for, phone: str = "", request: Any = None
) -> IssuedLink:
    """A new single-use link for the recipient. `url_for(token)` makes its absolute address.

    With a phone number the link goes by SMS (queued, messaging app); without, it is shown once to
    the staff member, who sends it on (e-mail, a call). Either way the token is never stored.
    """
    from tumaini.messaging.enums import MessagePurpose
    from tumaini.messaging.services import normalise_recipient, sms_send

    if not may_act(actor, UPDATE, referral.case):
        raise ReferralRefused(gettext("You may not change this referral."))
    number = normalise_recipient(phone) if phone else ""
    token = secrets.token_urlsafe(LINK_TOKEN_BYTES)
    with transaction.atomic():
        referral = _locked(referral)
        if referral.status not in TRANSITIONS[ACCEPT][0] + TRANSITIONS[COMPLETE][0]:
            raise ReferralRefused(
                gettext("A link can only be given for a referral the partner still answers.")
            )
        expires_at = timezone.now() + timedelta(days=settings.TUMAINI_REFERRAL_LINK_DAYS)
        link = ReferralLink.objects.create(
            referral=referral,
            token_hash=token_hash(token),
            delivery=LinkDelivery.SMS if number else LinkDelivery.SHOWN,
            sent_to=number,
            created_by=actor,
            expires_at=expires_at,
        )
        if number:
            # Bilingual, and names no one: the page behind the link shows what was shared.
            body = (
                f"Tumaini: referral {referral.reference} for {referral.recipient.short_name or referral.recipient.name}. "
                f"Open {url_for(token)} before {timezone.localtime(expires_at):%d %b %Y}. "
                f"Rufaa mpya: fungua kiungo hiki."
            )
            link.message = sms_send(
                to=number, body=body, purpose=MessagePurpose.REFERRAL_LINK, actor=actor
            )
            link.save(update_fields=["message"])
        _audit(
            referral=referral,
            actor=actor,
            request=request,
            action=AuditAction.SHARE,
            fields=["links"],
            detail={"link_issued": str(link.public_id), "delivery": link.delivery},
        )
    return IssuedLink(link=link, token=token)


def link_revoke(
    *, actor: Any, referral: Referral, link_public_id, request: Any = None
) -> ReferralLink:
    if not may_act(actor, UPDATE, referral.case):
        raise ReferralRefused(gettext("You may not change this referral."))
    with transaction.atomic():
        link = (
            ReferralLink.objects.select_for_update()
            .filter(referral=referral, public_id=link_public_id)
            .first()
        )
        if link is None:
            raise ReferralRefused(gettext("There is no such link."))
        if link.revoked_at or link.used_at:
            raise ReferralRefused(gettext("This link can no longer be used anyway."))
        link.revoked_at, link.revoked_by = timezone.now(), actor
        link.save(update_fields=["revoked_at", "revoked_by"])
        _audit(
            referral=referral,
            actor=actor,
            request=request,
            fields=["links"],
            detail={"link_revoked": str(link.public_id)},
        )
    return link


def link_respond(*, token: str, step: str, note: str = "", request: Any = None) -> Referral:
    """A partner's answer through a link; a decision (accept, decline, complete) consumes it."""
    with transaction.atomic():
        link = (
            ReferralLink.objects.select_for_update()
            .select_related("referral__case")
            .filter(token_hash=token_hash(token))
            .first()
        )
        if link is None or not link.is_usable():
            raise ReferralRefused(gettext("This link cannot be used."))
        if step == ACKNOWLEDGE and link.referral.status != ReferralStatus.SENT:
            raise ReferralRefused(gettext("This referral was already acknowledged."))
        referral = referral_respond(
            referral=link.referral, step=step, link=link, note=note, request=request
        )
        if step in LINK_DECISIONS:
            link.used_at = timezone.now()
            link.save(update_fields=["used_at"])
    return referral


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


# --- Incoming referrals (a partner refers a person to the centre) ----------------------------------


def incoming_referral_send(
    *, actor: Any, to_organisation: Any, details: dict, request: Any = None
) -> IncomingReferral:
    if not access.can(actor, SENT_INCOMING_REFERRAL, CREATE) or actor.organisation_id is None:
        raise ReferralRefused(gettext("You may not send referrals to a centre."))
    if to_organisation.pk == actor.organisation_id:
        raise ValidationError(
            {"to_organisation": [gettext("Choose another organisation than your own.")]}
        )
    with transaction.atomic():
        incoming = IncomingReferral.objects.create(
            from_organisation_id=actor.organisation_id,
            to_organisation=to_organisation,
            created_by=actor,
            **details,
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=incoming,
            object_organisation_id=to_organisation.pk,
            fields_changed=[name for name, value in details.items() if value not in ("", None)],
        )
        notify(
            recipients=User.objects.filter(
                organisation=to_organisation,
                is_active=True,
                role_assignments__role__in=[Role.DIRECTOR, Role.CASE_MANAGER],
            ).distinct(),
            case=None,
            message=gettext("Incoming referral %(reference)s (%(urgency)s) from %(sender)s.")
            % {
                "reference": incoming.reference,
                "urgency": incoming.get_urgency_display(),
                "sender": actor.organisation.name,
            },
        )
    return incoming


def _incoming_locked(*, actor, incoming: IncomingReferral) -> IncomingReferral:
    if not access.scoped(
        actor, INCOMING_REFERRAL, UPDATE, IncomingReferral.objects.filter(pk=incoming.pk)
    ).exists():
        raise ReferralRefused(gettext("You may not answer this referral."))
    return IncomingReferral.objects.select_for_update().get(pk=incoming.pk)


def incoming_referral_accept(
    *, actor: Any, incoming: IncomingReferral, request: Any = None
) -> IncomingReferral:
    with transaction.atomic():
        incoming = _incoming_locked(actor=actor, incoming=incoming)
        if incoming.status not in (IncomingStatus.RECEIVED, IncomingStatus.ACCEPTED):
            raise ReferralRefused(gettext("This referral was already answered."))
        if incoming.status == IncomingStatus.RECEIVED:
            incoming.status = IncomingStatus.ACCEPTED
            incoming.decided_by, incoming.decided_at = actor, timezone.now()
            incoming.save(update_fields=["status", "decided_by", "decided_at"])
            audit_record(
                action=AuditAction.UPDATE,
                actor=actor,
                request=request,
                obj=incoming,
                object_organisation_id=incoming.to_organisation_id,
                fields_changed=["status", "decided_by", "decided_at"],
            )
    return incoming


def incoming_referral_decline(
    *, actor: Any, incoming: IncomingReferral, reason: str, request: Any = None
) -> IncomingReferral:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [gettext("Say why the referral is declined.")]})
    with transaction.atomic():
        incoming = _incoming_locked(actor=actor, incoming=incoming)
        if incoming.status != IncomingStatus.RECEIVED:
            raise ReferralRefused(gettext("This referral was already answered."))
        incoming.status = IncomingStatus.DECLINED
        incoming.decline_reason = reason
        incoming.decided_by, incoming.decided_at = actor, timezone.now()
        incoming.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            obj=incoming,
            object_organisation_id=incoming.to_organisation_id,
            fields_changed=["status", "decline_reason"],
        )
        notify(
            recipients=[incoming.created_by],
            case=None,
            message=gettext("Your referral %(reference)s was declined by %(centre)s.")
            % {"reference": incoming.reference, "centre": incoming.to_organisation.name},
        )
    return incoming


def incoming_referral_case_opened(
    *, actor: Any, incoming: IncomingReferral, case: Case, request: Any = None
) -> IncomingReferral:
    """The intake opened from an accepted incoming referral: link the two."""
    with transaction.atomic():
        incoming = _incoming_locked(actor=actor, incoming=incoming)
        if incoming.status != IncomingStatus.ACCEPTED or incoming.case_id:
            raise ReferralRefused(gettext("This referral already has a case."))
        incoming.status = IncomingStatus.CASE_OPENED
        incoming.case = case
        incoming.save(update_fields=["status", "case"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            obj=incoming,
            object_organisation_id=incoming.to_organisation_id,
            fields_changed=["status", "case"],
            detail={"case": str(case.public_id)},
        )
        notify(
            recipients=[incoming.created_by],
            case=None,
            message=gettext("Your referral %(reference)s was accepted by %(centre)s.")
            % {"reference": incoming.reference, "centre": incoming.to_organisation.name},
        )
    return incoming
