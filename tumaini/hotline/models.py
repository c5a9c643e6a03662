"""The hotline desk: the log of calls an agent answers, and the on-duty roster the voice line dials.

A call's summary and advice can name a victim or the caller, so they are encrypted; the caller's phone
number also gets a blind index (to find earlier calls from the same number without decrypting them).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tumaini.core.access import ScopeFields
from tumaini.core.fields import BlindIndexField, EncryptedCharField, EncryptedTextField
from tumaini.core.models import ScopedRecord
from tumaini.hotline.enums import CallCategory, CallerType, CallLanguage
from tumaini.tips.enums import Urgency


class Call(ScopedRecord):
    """One call answered on the hotline. `assigned_to` is the agent who took (and logged) it."""

    access_resource = "hotline_call"

    started_at = models.DateTimeField(_("when"))
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"))
    caller_type = models.CharField(_("caller"), max_length=12, choices=CallerType.choices)
    language = models.CharField(_("language"), max_length=8, choices=CallLanguage.choices)
    category = models.CharField(_("category"), max_length=20, choices=CallCategory.choices)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    summary = EncryptedTextField(_("summary"))
    advice = EncryptedTextField(_("advice given"), blank=True)
    caller_phone = EncryptedCharField(_("caller's phone number"), max_length=40, blank=True)
    caller_phone_index = BlindIndexField(source="caller_phone", purpose="hotline-caller-phone")
    follow_up_needed = models.BooleanField(_("follow-up needed"), default=False)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    follow_up_done_at = models.DateTimeField(_("follow-up done"), null=True, blank=True)
    follow_up_done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The public report made from this call (category "trafficking report"), in the triage desk.
    report = models.ForeignKey(
        "tips.Report",
        verbose_name=_("report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hotline_calls",
    )

    scope_fields = ScopeFields(owner="assigned_to", organisation="organisation")

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "-started_at"]),
            models.Index(fields=["assigned_to", "follow_up_needed", "follow_up_due"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_needed=False) | Q(follow_up_due__isnull=False),
                name="hotline_call_follow_up_has_due_date",
            ),
        ]

    def __str__(self) -> str:
        return f"call {self.public_id}"

    @property
    def duration_minutes(self) -> int:
        return self.duration_seconds // 60

    @property
    def duration_rest_seconds(self) -> int:
        return self.duration_seconds % 60

    @property
    def follow_up_open(self) -> bool:
        return self.follow_up_needed and self.follow_up_done_at is None


class Shift(models.Model):
    """A stretch of time an agent is on duty; the voice line dials `phone` while it lasts."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        related_name="hotline_shifts",
    )
    phone = EncryptedCharField(_("phone number to dial"), max_length=20)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = ScopeFields(owner="agent", organisation="organisation")

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["organisation", "ends_at", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="hotline_shift_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"shift {self.public_id}"
