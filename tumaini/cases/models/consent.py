"""Consent: given by the survivor or a guardian, for a purpose (and recipient), until it expires or
is withdrawn. Every share checks for an active one (see cases.selectors.consent_active)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tumaini.cases.enums import ConsentGiver, ConsentPurpose
from tumaini.core.fields import EncryptedCharField, EncryptedTextField


class ConsentQuerySet(models.QuerySet):
    def active(self, when=None):
        when = when or timezone.now()
        return self.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=when),
            given_at__lte=when,
            withdrawn_at__isnull=True,
        )


class Consent(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="consents")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    # For referrals and shares: to whom. Empty means "any organisation" only for purposes that
    # name no recipient (services, statistics, SMS contact).
    recipient = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Which parts of the file may be shared (codes of case-summary sections), if limited.
    scope_notes = EncryptedTextField(_("what may be shared"), blank=True)
    sections = models.JSONField(_("sections that may be shared"), default=list, blank=True)
    given_by = models.CharField(_("given by"), max_length=20, choices=ConsentGiver.choices)
    guardian_name = EncryptedCharField(_("guardian's name"), max_length=200, blank=True)
    guardian_relationship = models.CharField(
        _("guardian is the survivor's"), max_length=60, blank=True
    )
    given_at = models.DateTimeField(_("given on"))
    expires_at = models.DateTimeField(_("expires on"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = EncryptedTextField(_("why withdrawn"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.person_id})"

    def is_active(self, when=None) -> bool:
        when = when or timezone.now()
        return (
            self.withdrawn_at is None
            and self.given_at <= when
            and (self.expires_at is None or self.expires_at > when)
        )
