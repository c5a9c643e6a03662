"""Risk and needs assessments and the individual care plan; each repeatable over the case."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tumaini.cases.enums import CarePlanStatus, GoalStatus, NeedType, RiskLevel, SupportPlanType
from tumaini.core.fields import EncryptedTextField


class RiskAssessment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="risk_assessments"
    )
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    physical = models.CharField(_("physical risk"), max_length=10, choices=RiskLevel.choices)
    physical_notes = EncryptedTextField(_("physical: notes"), blank=True)
    psychological = models.CharField(
        _("psychological risk"), max_length=10, choices=RiskLevel.choices
    )
    psychological_notes = EncryptedTextField(_("psychological: notes"), blank=True)
    health = models.CharField(_("health risk"), max_length=10, choices=RiskLevel.choices)
    health_notes = EncryptedTextField(_("health: notes"), blank=True)
    security = models.CharField(_("security risk"), max_length=10, choices=RiskLevel.choices)
    security_notes = EncryptedTextField(_("security: notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-created_at"]

    def __str__(self) -> str:
        return f"risk assessment of {self.case_id}"

    @property
    def overall(self) -> str:
        """The highest of the four: one high risk makes the case high risk."""
        order = [RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH]
        return max((self.physical, self.psychological, self.health, self.security), key=order.index)


class NeedsAssessment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="needs_assessments"
    )
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-created_at"]

    def __str__(self) -> str:
        return f"needs assessment of {self.case_id}"


class Need(models.Model):
    """One item of a needs assessment: identified or not, how urgent, notes."""

    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.CASCADE, related_name="needs")
    type = models.CharField(_("need"), max_length=30, choices=NeedType.choices)
    identified = models.BooleanField(_("identified"), default=False)
    urgency = models.CharField(_("urgency"), max_length=10, choices=RiskLevel.choices, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "type"], name="one_need_per_type")
        ]

    def __str__(self) -> str:
        return self.get_type_display()


class CarePlan(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="care_plans")
    # The needs assessment the plan answers (a care plan needs one: workflow precondition).
    needs_assessment = models.ForeignKey(
        NeedsAssessment, on_delete=models.PROTECT, related_name="care_plans"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CarePlanStatus.choices, default=CarePlanStatus.DRAFT
    )
    summary = EncryptedTextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"care plan of {self.case_id}"


class CarePlanGoal(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="goals")
    goal = EncryptedTextField(_("goal"))
    support_type = models.CharField(
        _("type of support"), max_length=40, choices=SupportPlanType.choices
    )
    # The need it answers, so "needs met" can be computed later (care app).
    need_type = models.CharField(_("need"), max_length=30, choices=NeedType.choices, blank=True)
    services = EncryptedTextField(_("services"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=20, choices=GoalStatus.choices, default=GoalStatus.NOT_STARTED
    )

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"goal of {self.plan_id}"
