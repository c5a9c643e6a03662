"""Stage changes, supervisor approvals and the notifications they send."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tumaini.cases.enums import ApprovalKind, ApprovalStatus, CaseStage
from tumaini.core.fields import EncryptedTextField


class StageChange(models.Model):
    """The history of a case's stages (the audit trail has it too; this one is for people)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=20, choices=CaseStage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=CaseStage.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    # Comments can name the survivor: encrypted like case notes.
    comment = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_stage} -> {self.to_stage}"


class ApprovalRequest(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(_("for"), max_length=20, choices=ApprovalKind.choices)
    # The care plan being approved, when kind is care_plan.
    care_plan = models.ForeignKey(
        "cases.CarePlan", null=True, blank=True, on_delete=models.CASCADE, related_name="approvals"
    )
    # For a closure: the reason asked for (enums.ClosureReason).
    closure_reason = models.CharField(max_length=30, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApprovalStatus.choices,
        default=ApprovalStatus.PENDING,
        db_index=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    request_comment = EncryptedTextField(_("comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = EncryptedTextField(_("decision comment"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(status="pending"),
                name="one_pending_approval_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} approval for {self.case_id}"


class Notification(models.Model):
    """A message on a staff member's home page. Text names the case number, never the survivor."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    message = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return self.message
