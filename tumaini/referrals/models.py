"""Referrals of a survivor to a partner's service, the one-time links partners without an account use,
and referrals partners send to the centre.

What a partner sees is the `snapshot`, taken when the referral is sent: the fields the survivor
consented to share, encrypted, frozen. Later edits of the case never reach the partner.
"""

import json
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tumaini.core.access import ScopeFields
from tumaini.core.fields import EncryptedCharField, EncryptedTextField
from tumaini.referrals.enums import (
    ACKNOWLEDGE_WITHIN,
    IncomingStatus,
    LinkDelivery,
    ReferralStatus,
    ReferralUrgency,
    SlaState,
)


class Referral(models.Model):
    """A case referred to a partner organisation's service (closed loop: the partner answers)."""

    access_resource = "referral"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals")
    # The referring organisation (the case's): its directors see the referral.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        "directory.PartnerService",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    # Denormalised from the service when the referral is made: scopes the partner's view and is
    # the recipient every consent check names.
    recipient = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    reason = EncryptedTextField(_("reason for the referral"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=ReferralUrgency.choices)
    shared_fields = models.JSONField(_("information shared"), default=list, blank=True)
    # JSON of {field code: shown value}, written once when sent; encrypted like the case itself.
    snapshot = EncryptedTextField(_("what was shared"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=ReferralStatus.choices,
        default=ReferralStatus.DRAFT,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledge_due_at = models.DateTimeField(
        _("acknowledgement due"), null=True, blank=True, db_index=True
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    decline_reason = EncryptedTextField(_("why declined"), blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    outcome = EncryptedTextField(_("outcome"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = EncryptedTextField(_("why cancelled"), blank=True)
    # The consent the share relied on, or a director's override of a missing one.
    consent = models.ForeignKey(
        "cases.Consent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consent_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consent_override_reason = EncryptedTextField(_("why sent without consent"), blank=True)
    # The overdue alert goes out once per referral.
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    # Staff reach a referral through its case: the case's carer and team, and its organisation.
    scope_fields = ScopeFields(
        owner="case__assigned_to", team="case__team", organisation="organisation"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "status", "-sent_at"], name="referral_received"),
            models.Index(fields=["case", "-created_at"], name="referral_of_case"),
        ]
        constraints = [
            # A sent referral always carries its snapshot time and its deadline.
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(sent_at__isnull=False, acknowledge_due_at__isnull=False),
                name="referral_sent_has_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | ~Q(outcome=""),
                name="referral_completed_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="referral_declined_has_reason",
            ),
            # Sent without consent only with a director's named override and a reason.
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(consent__isnull=False)
                | (Q(consent_override_by__isnull=False) & ~Q(consent_override_reason="")),
                name="referral_sent_has_consent_or_override",
            ),
        ]

    def __str__(self) -> str:
        return f"referral {self.public_id}"

    @property
    def reference(self) -> str:
        """A short reference for messages and lists (never names the survivor)."""
        return f"REF-{str(self.public_id)[:8].upper()}"

    def shared(self) -> dict:
        return json.loads(self.snapshot) if self.snapshot else {}

    def sla_state(self, now=None) -> str:
        now = now or timezone.now()
        if self.sent_at is None:
            return SlaState.NOT_STARTED if self.status == ReferralStatus.DRAFT else SlaState.STOPPED
        if self.acknowledged_at is not None:
            return (
                SlaState.MET if self.acknowledged_at <= self.acknowledge_due_at else SlaState.MISSED
            )
        if self.status != ReferralStatus.SENT:
            return SlaState.STOPPED
        return SlaState.OVERDUE if now > self.acknowledge_due_at else SlaState.ON_TIME

    def sla_state_label(self) -> str:
        return str(SlaState(self.sla_state()).label)

    @staticmethod
    def deadline_for(urgency: str, sent_at):
        return sent_at + ACKNOWLEDGE_WITHIN[urgency]


class ReceivedReferral(Referral):
    """The same rows seen from the receiving partner: scoped by the recipient organisation."""

    access_resource = "received_referral"
    scope_fields = ScopeFields(organisation="recipient")

    class Meta:
        proxy = True


class ReferralUpdate(models.Model):
    """One step of a referral's history: who moved it, from where (staff page, partner, link)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(_("status"), max_length=15, choices=ReferralStatus.choices)
    at = models.DateTimeField(_("time"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    link = models.ForeignKey(
        "referrals.ReferralLink", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.status}"


class ReferralLink(models.Model):
    """A single-use, expiring link for a partner without an account. Only the token's hash is kept."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    delivery = models.CharField(_("delivery"), max_length=10, choices=LinkDelivery.choices)
    sent_to = EncryptedCharField(_("sent to"), max_length=20, blank=True)
    message = models.ForeignKey(
        "messaging.OutboundMessage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"link {self.public_id}"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and self.revoked_at is None and self.expires_at > now

    def state_label(self) -> str:
        if self.revoked_at:
            return str(_("revoked"))
        if self.used_at:
            return str(_("used"))
        if self.expires_at <= timezone.now():
            return str(_("expired"))
        return str(_("usable"))


class IncomingReferral(models.Model):
    """A partner (police, hospital, NGO, embassy) refers a person to the centre."""

    access_resource = "incoming_referral"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    from_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("from"),
        on_delete=models.PROTECT,
        related_name="referrals_sent_to_centres",
    )
    to_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("to"),
        on_delete=models.PROTECT,
        related_name="incoming_referrals",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    given_name = EncryptedCharField(_("given name"), max_length=100)
    family_name = EncryptedCharField(_("family name"), max_length=100, blank=True)
    gender = models.CharField(_("sex / gender"), max_length=30, blank=True)
    estimated_age = models.PositiveSmallIntegerField(_("age (estimated)"), null=True, blank=True)
    citizenship = models.ForeignKey(
        "core.Country",
        verbose_name=_("nationality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    phone = EncryptedCharField(_("phone"), max_length=40, blank=True)
    reason = EncryptedTextField(_("reason for the referral"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=ReferralUrgency.choices)
    referrer_contact = EncryptedTextField(_("who to call back"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=IncomingStatus.choices,
        default=IncomingStatus.RECEIVED,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = EncryptedTextField(_("why declined"), blank=True)
    case = models.OneToOneField(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incoming_referral",
    )

    # The centre's intake staff see what came to their organisation.
    scope_fields = ScopeFields(organisation="to_organisation")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["to_organisation", "status", "-created_at"], name="incoming_inbox")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="incoming_declined_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"incoming referral {self.public_id}"

    @property
    def reference(self) -> str:
        return f"IN-{str(self.public_id)[:8].upper()}"


class SentIncomingReferral(IncomingReferral):
    """Incoming referrals as the sending partner sees them: those its organisation sent."""

    access_resource = "sent_incoming_referral"
    scope_fields = ScopeFields(organisation="from_organisation")

    class Meta:
        proxy = True
