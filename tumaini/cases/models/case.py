"""The case: one survivor's journey through the centre, and how they came to it."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tumaini.cases.enums import CaseStage, ClosureReason, IntakeSource, RiskLevel
from tumaini.core.fields import EncryptedTextField
from tumaini.core.models import ScopedRecord

# Read over the phone: no 0/O, 1/I/L, 2/Z, 5/S, 8/B.
CASE_NUMBER_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"


def new_case_number(year: int) -> str:
    """E.g. TUM-26-K7QX-M3: a prefix, the year and six unambiguous characters."""
    body = "".join(secrets.choice(CASE_NUMBER_ALPHABET) for _ in range(6))
    return f"TUM-{year % 100:02d}-{body[:4]}-{body[4:]}"


class Case(ScopedRecord):
    access_resource = "case"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    case_number = models.CharField(_("case number"), max_length=20, unique=True)
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=CaseStage.choices,
        default=CaseStage.SCREENING,
        db_index=True,
    )
    opened_at = models.DateTimeField(_("opened"), db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closure_reason = models.CharField(
        _("closure reason"), max_length=30, choices=ClosureReason.choices, blank=True
    )
    closure_notes = EncryptedTextField(_("closure notes"), blank=True)
    # Denormalised from the latest risk assessment and the follow-ups, for fast, filterable lists.
    risk_level = models.CharField(
        _("risk"), max_length=10, choices=RiskLevel.choices, blank=True, db_index=True
    )
    next_action_due = models.DateField(_("next action due"), null=True, blank=True, db_index=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    # A child protection officer is required on every child's case (architecture: children).
    child_protection_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("child protection officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-opened_at"]
        # The caseload tabs (mine, team, centre) walk these newest first.
        indexes = [
            models.Index(fields=["assigned_to", "-opened_at", "-id"], name="case_mine_newest"),
            models.Index(fields=["team", "-opened_at", "-id"], name="case_team_newest"),
            models.Index(fields=["organisation", "-opened_at", "-id"], name="case_org_newest"),
            # ... and count their cases, overdue or not, from these alone (index-only scans): each
            # holds every column the tab's filter and its scope condition read (a case manager's
            # scope is "assigned to me or to my teams", hence the third column).
            models.Index(fields=["assigned_to", "next_action_due", "team"], name="case_mine_due"),
            models.Index(fields=["team", "next_action_due", "assigned_to"], name="case_team_due"),
            models.Index(fields=["organisation", "next_action_due"], name="case_org_due"),
        ]

    def __str__(self) -> str:
        return self.case_number

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:case_detail", kwargs={"public_id": self.public_id})


class Intake(models.Model):
    """How the survivor came to the centre; one per case, written when the case is opened."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="intake")
    source = models.CharField(_("how they came"), max_length=30, choices=IntakeSource.choices)
    referring_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("referred by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    referrer_details = EncryptedTextField(_("referrer details"), blank=True)
    # Set when the case began from a public report (tips app, later).
    report_reference = models.CharField(_("report reference"), max_length=20, blank=True)
    intake_date = models.DateField(_("intake date"))
    where_identified = EncryptedTextField(_("where identified"), blank=True)
    sub_county = models.ForeignKey(
        "core.SubCounty",
        verbose_name=_("sub-county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    narrative = EncryptedTextField(_("what happened, in brief"), blank=True)
    immediate_needs = EncryptedTextField(_("immediate needs"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"intake of {self.case}"
