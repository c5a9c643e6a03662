"""Care delivery: the service catalogue, services delivered, appointments and follow-ups after leaving.

Every survivor record here belongs to a case and carries the case's organisation (for the audit
trail's "whose record"); who may see it is decided by the case (see `care.selectors.scope`).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tumaini.care.enums import (
    FOLLOW_UP_MONTHS,
    AppointmentStatus,
    ContactMethod,
    DeliveryOutcome,
    LeavingReason,
    Livelihood,
    ReminderState,
    ReTrafficked,
    Safety,
    ServiceType,
    Wellbeing,
)
from tumaini.core.access import ScopeFields
from tumaini.core.fields import EncryptedTextField

# Care records are scoped through their case.
CASE_SCOPE = ScopeFields(
    owner="case__assigned_to", team="case__team", organisation="case__organisation"
)


class ServiceOffering(models.Model):
    """One entry of an organisation's service catalogue: a service it offers itself or through a
    partner. Not survivor data."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Whose catalogue this is.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    service_type = models.CharField(
        _("type of service"), max_length=30, choices=ServiceType.choices
    )
    name = models.CharField(_("name"), max_length=200)
    # Our own organisation (in-house) or a partner.
    provider = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("provided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    scope_fields = ScopeFields(organisation="organisation")

    class Meta:
        ordering = ["service_type", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "provider", "name"], name="care_offering_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(service_type__in=ServiceType.values), name="care_offering_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def in_house(self) -> bool:
        return self.provider_id == self.organisation_id


class ServiceDelivery(models.Model):
    """A service given to a survivor: who, when, what, the outcome and its cost, and the care-plan
    goal it serves."""

    access_resource = "care_delivery"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="deliveries")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    offering = models.ForeignKey(
        ServiceOffering, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    # Copied from the offering: needs met and statistics count by type without a join.
    service_type = models.CharField(
        _("type of service"), max_length=30, choices=ServiceType.choices
    )
    goal = models.ForeignKey(
        "cases.CarePlanGoal",
        verbose_name=_("care-plan goal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    delivered_on = models.DateField(_("delivered on"))
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delivered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=DeliveryOutcome.choices)
    outcome_notes = EncryptedTextField(_("outcome notes"), blank=True)
    cost_kes = models.DecimalField(_("cost (KES)"), max_digits=12, decimal_places=2, default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    scope_fields = CASE_SCOPE

    class Meta:
        ordering = ["-delivered_on", "-id"]
        indexes = [
            models.Index(
                fields=["case", "service_type", "delivered_on"], name="care_delivery_case_type"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_kes__gte=0), name="care_delivery_cost_positive"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=DeliveryOutcome.values), name="care_delivery_outcome_valid"
            ),
            models.CheckConstraint(
                condition=Q(service_type__in=ServiceType.values), name="care_delivery_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"delivery {self.public_id}"


class Appointment(models.Model):
    """A meeting of a staff member with a survivor. What it is about stays inside the system: the
    SMS reminder names only the day and time."""

    access_resource = "appointment"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="appointments")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("with"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=60)
    service_type = models.CharField(
        _("about"), max_length=30, choices=ServiceType.choices, blank=True
    )
    # Where and why can name the survivor or a safe place: encrypted.
    location = EncryptedTextField(_("where"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.SCHEDULED,
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reminder_state = models.CharField(
        _("reminder"), max_length=20, choices=ReminderState.choices, blank=True
    )
    # The one reminder SMS (a unique link: never two reminders for one appointment).
    reminder_message = models.OneToOneField(
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
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    scope_fields = CASE_SCOPE

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["staff", "starts_at"], name="care_appt_staff_time"),
            models.Index(fields=["case", "starts_at"], name="care_appt_case_time"),
            models.Index(fields=["status", "reminder_state", "starts_at"], name="care_appt_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AppointmentStatus.values), name="care_appt_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5, duration_minutes__lte=720),
                name="care_appt_duration_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"appointment {self.public_id}"


class FollowUp(models.Model):
    """One follow-up after a survivor left (1, 3, 6 or 12 months), and what it found."""

    access_resource = "follow_up"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="follow_ups")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    left_on = models.DateField(_("left on"))
    leaving_reason = models.CharField(_("left by"), max_length=20, choices=LeavingReason.choices)
    months = models.PositiveSmallIntegerField(_("months after leaving"))
    due_on = models.DateField(_("due on"), db_index=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The outcome, once recorded.
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contact_made = models.BooleanField(_("contact made"), null=True, blank=True)
    contact_method = models.CharField(
        _("how"), max_length=20, choices=ContactMethod.choices, blank=True
    )
    contacted_on = models.DateField(_("contacted on"), null=True, blank=True)
    wellbeing = models.CharField(
        _("wellbeing"), max_length=20, choices=Wellbeing.choices, blank=True
    )
    wellbeing_notes = EncryptedTextField(_("wellbeing: notes"), blank=True)
    safety = models.CharField(_("safety"), max_length=20, choices=Safety.choices, blank=True)
    safety_notes = EncryptedTextField(_("safety: notes"), blank=True)
    livelihood = models.CharField(
        _("livelihood"), max_length=20, choices=Livelihood.choices, blank=True
    )
    livelihood_notes = EncryptedTextField(_("livelihood: notes"), blank=True)
    re_trafficked = models.CharField(
        _("trafficked again"), max_length=10, choices=ReTrafficked.choices, blank=True
    )
    # Set when the case manager was told it is overdue (once per follow-up).
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    scope_fields = CASE_SCOPE

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "left_on", "months"], name="care_followup_one_per_month"
            ),
            models.CheckConstraint(
                condition=Q(months__in=FOLLOW_UP_MONTHS), name="care_followup_months_valid"
            ),
            models.CheckConstraint(
                condition=Q(leaving_reason__in=LeavingReason.values),
                name="care_followup_reason_valid",
            ),
            # A recorded follow-up says whether contact was made.
            models.CheckConstraint(
                condition=Q(recorded_at__isnull=True) | Q(contact_made__isnull=False),
                name="care_followup_recorded_has_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"follow-up {self.months} months ({self.case_id})"

    @property
    def is_recorded(self) -> bool:
        return self.recorded_at is not None
