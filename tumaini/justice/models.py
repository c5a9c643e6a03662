"""Access to justice: the police report, the prosecution, its hearings and what the court ordered.

One `JusticeMatter` per case holds the legal officer assigned to it and is what the access policy
scopes; everything else hangs from it. OB numbers, court case numbers, names of officers and
prosecutors and every narrative are encrypted: together they point straight at a survivor witness.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from tumaini.core.access import ScopeFields
from tumaini.core.fields import EncryptedCharField, EncryptedTextField
from tumaini.justice.enums import (
    HearingKind,
    HearingStatus,
    Outcome,
    PoliceReportStatus,
    ProsecutionStatus,
)


class JusticeMatter(models.Model):
    access_resource = "justice_matter"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="justice")
    legal_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("legal officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    # The legal officer owns the matter; the case's manager and team see it with the case.
    scope_fields = ScopeFields(
        owner="legal_officer",
        team="case__team",
        organisation="case__organisation",
        also_owners=("case__assigned_to",),
    )

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"Justice matter {self.public_id}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("justice:matter_detail", kwargs={"public_id": self.public_id})

    @property
    def organisation_id(self):
        return self.case.organisation_id


class PoliceReport(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    matter = models.ForeignKey(
        JusticeMatter, on_delete=models.CASCADE, related_name="police_reports"
    )
    station = models.CharField(_("police station"), max_length=120)
    ob_number = EncryptedCharField(_("OB number"), max_length=60)
    reported_on = models.DateField(_("reported on"))
    investigating_officer = EncryptedCharField(
        _("investigating officer"), max_length=120, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PoliceReportStatus.choices,
        default=PoliceReportStatus.REPORTED,
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{self.station} ({self.reported_on})"


class Prosecution(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    matter = models.ForeignKey(JusticeMatter, on_delete=models.CASCADE, related_name="prosecutions")
    police_report = models.ForeignKey(
        PoliceReport,
        verbose_name=_("police report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="prosecutions",
    )
    court = models.CharField(_("court"), max_length=120)
    court_case_number = EncryptedCharField(_("court case number"), max_length=60)
    prosecutor = EncryptedCharField(_("prosecutor"), max_length=120, blank=True)
    charges = models.JSONField(
        _("charges under the Counter-Trafficking in Persons Act"), default=list
    )
    other_charges = EncryptedCharField(_("other charges"), max_length=300, blank=True)
    charged_on = models.DateField(_("charged on"), null=True, blank=True)
    status = models.CharField(
        _("stage"),
        max_length=20,
        choices=ProsecutionStatus.choices,
        default=ProsecutionStatus.CHARGED,
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    sentence = EncryptedTextField(_("sentence"), blank=True)
    protective_measures = models.JSONField(_("protective measures"), default=list, blank=True)
    victim_impact_statement = EncryptedTextField(_("victim impact statement (s12)"), blank=True)
    impact_statement_submitted_on = models.DateField(
        _("impact statement submitted on"), null=True, blank=True
    )
    restitution_ordered = models.DecimalField(
        _("restitution ordered (KES)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    restitution_ordered_on = models.DateField(_("restitution ordered on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(restitution_ordered__isnull=True) | Q(restitution_ordered__gte=0),
                name="justice_restitution_ordered_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.court

    @property
    def restitution_paid(self):
        if "_restitution_paid" not in self.__dict__:
            self.__dict__["_restitution_paid"] = (
                self.payments.aggregate(total=Sum("amount"))["total"] or 0
            )
        return self.__dict__["_restitution_paid"]


class Hearing(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    prosecution = models.ForeignKey(Prosecution, on_delete=models.CASCADE, related_name="hearings")
    starts_at = models.DateTimeField(_("date and time"), db_index=True)
    kind = models.CharField(_("hearing"), max_length=20, choices=HearingKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=HearingStatus.choices, default=HearingStatus.SCHEDULED
    )
    survivor_attends = models.BooleanField(_("the survivor is to attend"), default=False)
    notes = EncryptedTextField(_("notes"), blank=True)
    # Reminders go out once: the periodic job sets these in the same transaction as it queues them.
    officer_reminded_at = models.DateTimeField(null=True, blank=True)
    survivor_reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d}"


class RestitutionPayment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    prosecution = models.ForeignKey(Prosecution, on_delete=models.CASCADE, related_name="payments")
    amount = models.DecimalField(_("amount paid (KES)"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="justice_payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} ({self.paid_on})"


# The audit trail files events under the organisation that owns the record.
for _model in (PoliceReport, Prosecution):
    _model.organisation_id = property(lambda self: self.matter.organisation_id)
