"""Counselling clients and session notes; medical visits, conditions, hospital referrals and
consent to treatment. Every row carries the case's organisation, so the access policy can scope it
without a join, and a `public_id` for URLs."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tumaini.cases.enums import ConsentGiver
from tumaini.clinical.enums import (
    ConditionStatus,
    ReferralOutcome,
    ReferralUrgency,
    SessionModality,
    SessionTheme,
)
from tumaini.core.access import ScopeFields
from tumaini.core.fields import EncryptedCharField, EncryptedTextField


class _ClinicalRecord(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


# --- Counselling -------------------------------------------------------------------------------


class CounsellingClient(_ClinicalRecord):
    """A case given to a counsellor: the counsellor's only way to the survivor."""

    access_resource = "counselling_client"

    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("counsellor"),
        on_delete=models.PROTECT,
        related_name="counselling_clients",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    scope_fields = ScopeFields(owner="counsellor", organisation="organisation")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "counsellor"],
                condition=Q(ended_at__isnull=True),
                name="counselling_client_one_open_per_counsellor",
            )
        ]

    def __str__(self) -> str:
        return f"client {self.case_id} of {self.counsellor_id}"

    def get_absolute_url(self) -> str:
        return reverse("clinical:client_detail", kwargs={"public_id": self.public_id})


class SessionNote(_ClinicalRecord):
    """One counselling session. Its content is read by its author only (see policies.py)."""

    access_resource = "session_note"

    client = models.ForeignKey(
        CounsellingClient, on_delete=models.PROTECT, related_name="session_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("date of the session"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    modality = models.CharField(_("modality"), max_length=20, choices=SessionModality.choices)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    body = EncryptedTextField(_("note"))
    risk_concern = models.BooleanField(_("risk concern"), default=False)
    next_session_on = models.DateField(_("next session"), null=True, blank=True)

    # `own` on session notes means "written by me".
    scope_fields = ScopeFields(owner="author", organisation="organisation")

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["case", "-held_on"], name="session_note_case"),
            models.Index(fields=["author", "next_session_on"], name="session_note_next"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=600),
                name="session_note_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(modality__in=SessionModality.values), name="session_note_modality"
            ),
        ]

    def __str__(self) -> str:
        return f"session {self.held_on} ({self.case_id})"

    def get_absolute_url(self) -> str:
        return reverse("clinical:note_detail", kwargs={"public_id": self.public_id})

    @property
    def theme_labels(self) -> list:
        labels = dict(SessionTheme.choices)
        return [labels[code] for code in self.themes or () if code in labels]


# --- Medical -----------------------------------------------------------------------------------

_MEDICAL_SCOPE = ScopeFields(organisation="organisation")


class TreatmentConsent(_ClinicalRecord):
    """Consent to medical treatment, by the survivor or, for a child, a parent or guardian."""

    given_by = models.CharField(_("given by"), max_length=20, choices=ConsentGiver.choices)
    guardian_name = EncryptedCharField(_("guardian's name"), max_length=200, blank=True)
    guardian_relationship = models.CharField(
        _("guardian is the survivor's"), max_length=60, blank=True
    )
    given_on = models.DateField(_("given on"))
    scope = EncryptedTextField(_("treatment consented to"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    scope_fields = _MEDICAL_SCOPE

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(given_by=ConsentGiver.GUARDIAN) | ~Q(guardian_name=""),
                name="treatment_consent_guardian_named",
            )
        ]

    def __str__(self) -> str:
        return f"treatment consent {self.given_on} ({self.case_id})"


class MedicalVisit(_ClinicalRecord):
    access_resource = "medical_record"

    seen_on = models.DateField(_("date of the visit"))
    reason = EncryptedCharField(_("reason for the visit"), max_length=300)
    findings = EncryptedTextField(_("findings"), blank=True)
    treatment = EncryptedTextField(_("treatment given"), blank=True)
    # The consent a treatment relied on, kept so a later withdrawal does not rewrite history.
    consent = models.ForeignKey(
        TreatmentConsent, null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    scope_fields = _MEDICAL_SCOPE

    class Meta:
        ordering = ["-seen_on", "-id"]
        indexes = [models.Index(fields=["case", "-seen_on"], name="medical_visit_case")]
        constraints = [
            # A treatment is always given under a recorded consent.
            models.CheckConstraint(
                condition=Q(treatment="") | Q(consent__isnull=False),
                name="medical_visit_treatment_consented",
            )
        ]

    def __str__(self) -> str:
        return f"visit {self.seen_on} ({self.case_id})"


class MedicalCondition(_ClinicalRecord):
    name = EncryptedCharField(_("condition"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=ConditionStatus.choices, default=ConditionStatus.ACTIVE
    )
    since = models.DateField(_("since"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    scope_fields = _MEDICAL_SCOPE

    class Meta:
        ordering = ["status", "-since", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ConditionStatus.values), name="medical_condition_status"
            )
        ]

    def __str__(self) -> str:
        return f"condition ({self.case_id})"


class HospitalReferral(_ClinicalRecord):
    hospital = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("hospital"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hospital_other = EncryptedCharField(_("other hospital or clinic"), max_length=200, blank=True)
    referred_on = models.DateField(_("referred on"))
    reason = EncryptedTextField(_("reason for the referral"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=ReferralUrgency.choices)
    # Blank: still open.
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ReferralOutcome.choices, blank=True, db_index=True
    )
    outcome_notes = EncryptedTextField(_("outcome notes"), blank=True)
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    scope_fields = _MEDICAL_SCOPE

    class Meta:
        ordering = ["-referred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hospital__isnull=False) | ~Q(hospital_other=""),
                name="hospital_referral_names_a_hospital",
            ),
            models.CheckConstraint(
                condition=Q(urgency__in=ReferralUrgency.values), name="hospital_referral_urgency"
            ),
        ]

    def __str__(self) -> str:
        return f"hospital referral {self.referred_on} ({self.case_id})"

    @property
    def is_open(self) -> bool:
        return not self.outcome
