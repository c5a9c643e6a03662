"""Reads of referrals, always through the access policy and given the acting user.

Staff reach a referral through its case (`referral` resource); a partner through the recipient
organisation (`received_referral`), and then only the snapshot, the reason and the answers: the
partner's querysets never join the case or the person.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from tumaini.core import access
from tumaini.core.access import VIEW
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.selectors import record_for_view
from tumaini.referrals.enums import (
    AWAITING_ACKNOWLEDGEMENT,
    OPEN_STATUSES,
    IncomingStatus,
    ReferralStatus,
)
from tumaini.referrals.models import (
    IncomingReferral,
    ReceivedReferral,
    Referral,
    ReferralLink,
    SentIncomingReferral,
)
from tumaini.referrals.policies import (
    INCOMING_REFERRAL,
    RECEIVED_REFERRAL,
    REFERRAL,
    SENT_INCOMING_REFERRAL,
)
from tumaini.referrals.services import token_hash

PANEL_LIMIT = 5
LIST_LIMIT = 200


def _staff_queryset() -> QuerySet:
    return Referral.objects.select_related("case", "service", "recipient", "created_by")


# --- Staff ------------------------------------------------------------------------------------------


def referrals_of_case(*, user: Any, case: Any) -> list[Referral]:
    return list(
        access.scoped(user, REFERRAL, VIEW, _staff_queryset().filter(case=case)).order_by(
            "-created_at", "-id"
        )
    )


def referrals_for_summary(case: Any) -> dict:
    """The case summary's referrals (its printing was checked and audited by the summary)."""
    return {
        "referrals": list(
            Referral.objects.filter(case=case)
            .exclude(status__in=[ReferralStatus.DRAFT, ReferralStatus.CANCELLED])
            .select_related("service", "recipient")
            .order_by("sent_at", "id")
        )
    }


def referral_for_view(*, user: Any, public_id: Any, request: Any = None) -> Referral:
    """A referral of a case the user may see (404 otherwise), with its `view` event."""
    return record_for_view(
        user=user,
        resource=REFERRAL,
        queryset=_staff_queryset(),
        public_id=public_id,
        request=request,
    )


def referral_for_action(*, user: Any, public_id: Any, action: str) -> Referral:
    return access.get_scoped_or_404(user, REFERRAL, action, _staff_queryset(), public_id=public_id)


def referrals_visible_to(*, user: Any, status: str = "") -> list[Referral]:
    """The referrals of the user's cases, open ones first by deadline, for the staff list."""
    access.require(user, REFERRAL, VIEW)
    queryset = access.scoped(user, REFERRAL, VIEW, _staff_queryset())
    if status:
        queryset = queryset.filter(status=status)
    return list(queryset.order_by("-created_at", "-id")[:LIST_LIMIT])


def overdue_panel(*, user: Any) -> dict | None:
    """Referrals of the user's cases still waiting for acknowledgement past their deadline."""
    if not access.can(user, REFERRAL, VIEW):
        return None
    overdue = access.scoped(
        user,
        REFERRAL,
        VIEW,
        _staff_queryset().filter(
            status__in=AWAITING_ACKNOWLEDGEMENT, acknowledge_due_at__lt=timezone.now()
        ),
    )
    shown = list(overdue.order_by("acknowledge_due_at")[:PANEL_LIMIT])
    if not shown:
        return None
    return {"overdue": shown, "overdue_count": overdue.count()}


def links_of(*, referral: Referral) -> list[ReferralLink]:
    return list(referral.links.select_related("created_by").order_by("-created_at", "-id"))


# --- The receiving partner ----------------------------------------------------------------------


def _received_queryset() -> QuerySet:
    # Never the case or the person: the partner's pages read the referral's own fields only.
    return ReceivedReferral.objects.exclude(status=ReferralStatus.DRAFT).select_related(
        "service", "recipient", "organisation"
    )


def received_referrals(*, user: Any, open_only: bool = False) -> list[ReceivedReferral]:
    access.require(user, RECEIVED_REFERRAL, VIEW)
    queryset = access.scoped(user, RECEIVED_REFERRAL, VIEW, _received_queryset())
    if open_only:
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    return list(queryset.order_by("-sent_at", "-id")[:LIST_LIMIT])


def received_referral_for_view(
    *, user: Any, public_id: Any, request: Any = None
) -> ReceivedReferral:
    with transaction.atomic():
        referral = access.get_scoped_or_404(
            user, RECEIVED_REFERRAL, VIEW, _received_queryset(), public_id=public_id
        )
        _audit_partner_view(referral=referral, actor=user, request=request)
    return referral


def received_referral_for_action(*, user: Any, public_id: Any, action: str) -> ReceivedReferral:
    return access.get_scoped_or_404(
        user, RECEIVED_REFERRAL, action, _received_queryset(), public_id=public_id
    )


def received_panel(*, user: Any) -> dict | None:
    if not access.can(user, RECEIVED_REFERRAL, VIEW):
        return None
    waiting = access.scoped(
        user, RECEIVED_REFERRAL, VIEW, _received_queryset().filter(status__in=OPEN_STATUSES)
    )
    return {
        "waiting": list(waiting.order_by("acknowledge_due_at", "-id")[:PANEL_LIMIT]),
        "waiting_count": waiting.count(),
    }


def _audit_partner_view(*, referral: Referral, actor: Any, request: Any, link=None) -> None:
    # Recorded as the referral itself (not the proxy), beside the staff's events about it.
    audit_record(
        action=AuditAction.VIEW,
        actor=actor,
        request=request,
        object_type=Referral._meta.label_lower,
        object_id=str(referral.public_id),
        object_organisation_id=referral.organisation_id,
        detail={"as": "recipient", **({"link": str(link.public_id)} if link else {})},
        username="one-time link" if link else "",
    )


# --- One-time links -------------------------------------------------------------------------------


def link_page(*, token: str, request: Any = None) -> ReferralLink | None:
    """The usable link behind `token`, its opening audited; None for an unknown, used, expired or
    revoked one (the page then says only that the link cannot be used)."""
    with transaction.atomic():
        link = (
            ReferralLink.objects.select_related("referral__service", "referral__recipient")
            .filter(token_hash=token_hash(token))
            .first()
        )
        if link is None:
            return None
        if not link.is_usable() or link.referral.status == ReferralStatus.DRAFT:
            audit_record(
                action=AuditAction.VIEW,
                request=request,
                object_type=ReferralLink._meta.label_lower,
                object_id=str(link.public_id),
                object_organisation_id=link.referral.organisation_id,
                reason="unusable link",
                username="one-time link",
            )
            return None
        _audit_partner_view(referral=link.referral, actor=None, request=request, link=link)
    return link


# --- Incoming referrals -----------------------------------------------------------------------------


def _incoming_queryset() -> QuerySet:
    return IncomingReferral.objects.select_related(
        "from_organisation", "to_organisation", "citizenship", "case"
    )


def incoming_for_centre(*, user: Any, status: str = "") -> list[IncomingReferral]:
    access.require(user, INCOMING_REFERRAL, VIEW)
    queryset = access.scoped(user, INCOMING_REFERRAL, VIEW, _incoming_queryset())
    if status:
        queryset = queryset.filter(status=status)
    return list(queryset.order_by("-created_at", "-id")[:LIST_LIMIT])


def incoming_for_view(*, user: Any, public_id: Any, request: Any = None) -> IncomingReferral:
    with transaction.atomic():
        incoming = access.get_scoped_or_404(
            user, INCOMING_REFERRAL, VIEW, _incoming_queryset(), public_id=public_id
        )
        audit_record(
            action=AuditAction.VIEW,
            actor=user,
            request=request,
            obj=incoming,
            object_organisation_id=incoming.to_organisation_id,
        )
    return incoming


def incoming_for_action(*, user: Any, public_id: Any) -> IncomingReferral:
    return access.get_scoped_or_404(
        user, INCOMING_REFERRAL, access.UPDATE, _incoming_queryset(), public_id=public_id
    )


def incoming_panel(*, user: Any) -> dict | None:
    if not access.can(user, INCOMING_REFERRAL, VIEW):
        return None
    waiting = access.scoped(
        user,
        INCOMING_REFERRAL,
        VIEW,
        _incoming_queryset().filter(status__in=[IncomingStatus.RECEIVED, IncomingStatus.ACCEPTED]),
    )
    shown = list(waiting.order_by("-created_at", "-id")[:PANEL_LIMIT])
    if not shown:
        return None
    return {"incoming": shown, "incoming_count": waiting.count()}


def sent_incoming(*, user: Any) -> list[SentIncomingReferral]:
    access.require(user, SENT_INCOMING_REFERRAL, VIEW)
    queryset = access.scoped(
        user,
        SENT_INCOMING_REFERRAL,
        VIEW,
        SentIncomingReferral.objects.select_related("to_organisation"),
    )
    return list(queryset.order_by("-created_at", "-id")[:LIST_LIMIT])


def incoming_prefill(*, user: Any, public_id: Any) -> IncomingReferral | None:
    """An accepted incoming referral the user may open a case from, or None."""
    try:
        incoming = incoming_for_action(user=user, public_id=public_id)
    except Http404:
        return None
    return incoming if incoming.status == IncomingStatus.ACCEPTED and not incoming.case_id else None
