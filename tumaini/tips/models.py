"""A public report of suspected trafficking, from any channel (web, SMS, USSD, voice, hotline...).

Everything a reporter writes can identify a victim or the reporter, so free text and contacts are
encrypted; the suspect's phone number also gets a blind index so reports about the same number can be
grouped without decrypting them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tumaini.core.access import ScopeFields
from tumaini.core.fields import BlindIndexField, EncryptedCharField, EncryptedTextField
from tumaini.core.models import ScopedRecord
from tumaini.tips.enums import (
    Channel,
    ClosureReason,
    ReportStatus,
    Urgency,
    VictimAges,
    VictimSex,
)

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read out over a bad phone line must survive.
REFERENCE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
REFERENCE_LENGTH = 8


def format_reference(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == REFERENCE_LENGTH else code


class Report(ScopedRecord):
    reference_code = models.CharField(_("reference code"), max_length=REFERENCE_LENGTH, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=8, blank=True)

    # What, where, when.
    what_happened = EncryptedTextField(_("what was seen"))
    sub_county = models.ForeignKey(
        "core.SubCounty",
        verbose_name=_("sub-county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ward = models.ForeignKey(
        "core.Ward",
        verbose_name=_("ward"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place_text = EncryptedTextField(_("place"), blank=True)
    occurred_on = models.DateField(_("date"), null=True, blank=True)
    occurred_time = models.TimeField(_("time"), null=True, blank=True)
    occurred_text = EncryptedCharField(_("when (in words)"), max_length=200, blank=True)

    # People involved.
    victims_count = models.PositiveSmallIntegerField(_("possible victims"), null=True, blank=True)
    victim_ages = models.CharField(
        _("ages"), max_length=10, choices=VictimAges.choices, default=VictimAges.UNKNOWN
    )
    victim_sex = models.CharField(
        _("sex"), max_length=10, choices=VictimSex.choices, default=VictimSex.UNKNOWN
    )
    suspects_description = EncryptedTextField(_("suspects"), blank=True)
    suspect_phone = EncryptedCharField(_("suspect's phone number"), max_length=40, blank=True)
    suspect_phone_index = BlindIndexField(source="suspect_phone", purpose="tips-suspect-phone")
    vehicles = EncryptedTextField(_("vehicles"), blank=True)
    danger_now = models.BooleanField(_("someone is in danger now"), default=False)

    # The reporter: optional, encrypted, seen by hotline supervisors only, purged after closure.
    reporter_contact = EncryptedTextField(_("reporter's contact"), blank=True)
    reporter_phone = EncryptedCharField(_("reporter's phone number"), max_length=40, blank=True)
    reporter_phone_index = BlindIndexField(source="reporter_phone", purpose="tips-reporter-phone")
    no_contact = models.BooleanField(_("reporter asked not to be contacted"), default=False)
    contact_purged_at = models.DateTimeField(null=True, blank=True)

    # Triage.
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.NEW
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    # 0 = critical ... 3 = low, so the queue can sort by it in the database.
    urgency_rank = models.PositiveSmallIntegerField(default=2)
    closure_reason = models.CharField(
        _("closure reason"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    closure_note = EncryptedTextField(_("closure note"), blank=True)
    received_at = models.DateTimeField(_("received"))
    triaged_at = models.DateTimeField(_("triaged"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("last update"))
    contact_purge_after = models.DateTimeField(null=True, blank=True)
    # Africa's Talking's id of the inbound SMS this report came from: the provider retries callbacks,
    # and the same id must never make two reports.
    provider_message_id = models.CharField(max_length=100, blank=True, default="")

    # Escalation to a law-enforcement unit: that unit's liaison then sees the report.
    escalated_to = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("escalated to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    escalation_officer = models.CharField(_("officer"), max_length=120, blank=True)
    escalation_reference = models.CharField(_("police reference"), max_length=60, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Service-level targets (tips/sla.py): when the supervisors were told of each breach, so the
    # periodic check tells them once.
    triage_alerted_at = models.DateTimeField(null=True, blank=True)
    escalation_alerted_at = models.DateTimeField(null=True, blank=True)

    # The case this report led to (a new intake, or an existing case it is about).
    linked_case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    linked_at = models.DateTimeField(null=True, blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Reports confirmed to be about the same incident point at the group's primary report; the
    # primary itself has none.
    incident_primary = models.ForeignKey(
        "self",
        verbose_name=_("same incident as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incident_members",
    )

    # "Own" for a report means: escalated to my organisation (the police unit's liaison). Hotline
    # staff work at organisation scope, so the assigned agent is not an owner path here.
    scope_fields = ScopeFields(owner="escalated_to__users", organisation="organisation")

    class Meta:
        ordering = ["urgency_rank", "received_at"]
        indexes = [
            models.Index(fields=["organisation", "status", "urgency_rank", "received_at"]),
            models.Index(fields=["contact_purge_after"]),
            # Possible duplicates: the same place within a few days.
            models.Index(fields=["ward", "received_at"]),
            models.Index(fields=["sub_county", "received_at"]),
            # ... or the same suspect phone, earliest first (the report page reads only a few).
            models.Index(fields=["suspect_phone_index", "received_at"]),
            # Service-level checks and the figures: reports not yet triaged, by age.
            models.Index(
                fields=["urgency_rank", "received_at"],
                condition=Q(triaged_at__isnull=True),
                name="tips_report_untriaged",
            ),
            models.Index(
                fields=["received_at"],
                condition=Q(urgency="critical", escalated_at__isnull=True),
                name="tips_report_awaiting_police",
            ),
            models.Index(fields=["organisation", "received_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["provider_message_id"],
                condition=~Q(provider_message_id=""),
                name="tips_report_unique_provider_message_id",
            ),
        ]

    def __str__(self) -> str:
        return self.display_reference

    @property
    def display_reference(self) -> str:
        return format_reference(self.reference_code)

    @property
    def has_contact(self) -> bool:
        return bool(self.reporter_contact or self.reporter_phone)


class Campaign(ScopedRecord):
    """An awareness campaign the county or a centre ran, so the figures can compare the reports
    received during it with the same length of time before it. Staff-entered, not survivor data."""

    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    # Channel values (tips.enums.Channel) the campaign told people to use; empty: not recorded.
    channels = models.JSONField(_("channels promoted"), default=list, blank=True)
    description = models.TextField(_("description"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        indexes = [models.Index(fields=["organisation", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="tips_campaign_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class DuplicateDismissal(models.Model):
    """A triager looked at two reports suggested as possible duplicates and said they are not.

    Stored once per pair, lower id first, so the suggestion does not come back.
    """

    first = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="tips_dismissal_once"),
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="tips_dismissal_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"Not duplicates: {self.first_id}, {self.second_id}"


class UssdStep(models.TextChoices):
    LANGUAGE = "language", _("language")
    WHAT = "what", _("what is happening")
    WHERE = "where", _("where")
    DANGER = "danger", _("danger now")
    CALLBACK = "callback", _("callback number")
    DONE = "done", _("done")


class UssdSession(models.Model):
    """The answers of one USSD session so far, keyed by Africa's Talking's sessionId.

    The provider sends every input joined by "*", so a "*" typed in free text cannot be told apart;
    keeping the answers here lets each request read only what is new. Answers are encrypted like the
    report they become.
    """

    session_id = models.CharField(max_length=100, unique=True)
    step = models.CharField(max_length=10, choices=UssdStep.choices, default=UssdStep.LANGUAGE)
    language = models.CharField(max_length=8, blank=True)
    category = models.CharField(max_length=20, blank=True)
    place = EncryptedTextField(blank=True)
    danger_now = models.BooleanField(null=True, blank=True)
    callback_phone = EncryptedCharField(max_length=40, blank=True)
    # The provider's `text` as last seen and what we answered: a retried request gets the same screen.
    last_text = EncryptedTextField(blank=True)
    last_response = models.TextField(blank=True)
    report = models.OneToOneField(
        Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"USSD session {self.pk} ({self.step})"
