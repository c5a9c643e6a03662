"""One-time links for partners without an account: issued (SMS or shown once), revoked, used."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from tumaini.core.enums import AuditAction
from tumaini.referrals.enums import (
    LinkDelivery,
    ReferralStatus,
)
from tumaini.referrals.models import (
    Referral,
    ReferralLink,
)
from tumaini.referrals.policies import (
    UPDATE,
)
from tumaini.referrals.services.referral import (
    ACCEPT,
    ACKNOWLEDGE,
    COMPLETE,
    LINK_DECISIONS,
    LINK_TOKEN_BYTES,
    TRANSITIONS,
    ReferralRefused,
    _audit,
    _locked,
    may_act,
    referral_respond,
)

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
