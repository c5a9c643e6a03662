"""Incoming referrals: a partner refers a person to the centre; the centre accepts or declines."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from tumaini.accounts.enums import Role
from tumaini.accounts.models import User
from tumaini.cases.models import Case
from tumaini.cases.services.workflow import notify
from tumaini.core import access
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.referrals.enums import (
    IncomingStatus,
)
from tumaini.referrals.models import (
    IncomingReferral,
)
from tumaini.referrals.policies import (
    CREATE,
    INCOMING_REFERRAL,
    SENT_INCOMING_REFERRAL,
    UPDATE,
)
from tumaini.referrals.services.referral import ReferralRefused

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
