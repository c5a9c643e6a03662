"""Screening as versioned question sets stored as data, with typed answers and the decision."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tumaini.cases.enums import ScreeningAnswerKind, TraffickingDecision
from tumaini.core.fields import EncryptedTextField


class ScreeningQuestionSet(models.Model):
    """One version of a screening tool. Published sets never change: edit a new version."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"))
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_sw = models.CharField(_("title (Kiswahili)"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_default = models.BooleanField(_("default"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="question_set_version_unique"),
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="one_default_question_set",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title_en} v{self.version}"


class ScreeningQuestion(models.Model):
    question_set = models.ForeignKey(
        ScreeningQuestionSet, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.SlugField(_("section"), max_length=60)
    code = models.SlugField(_("code"), max_length=80)
    position = models.PositiveIntegerField(_("position"))
    text_en = models.TextField(_("question (English)"))
    text_sw = models.TextField(_("question (Kiswahili)"))
    help_en = models.TextField(blank=True)
    help_sw = models.TextField(blank=True)
    kind = models.CharField(_("answer"), max_length=20, choices=ScreeningAnswerKind.choices)
    # For choice questions: [{"code": "...", "en": "...", "sw": "..."}].
    choices = models.JSONField(default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    # E.g. an ILO forced-labour indicator: a "yes" counts towards the indicator summary.
    indicator = models.CharField(_("indicator"), max_length=60, blank=True)
    # Only asked of children / only of adults, when set.
    applies_to_children = models.BooleanField(default=True)
    applies_to_adults = models.BooleanField(default=True)

    class Meta:
        ordering = ["question_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question_set", "code"], name="question_code_unique")
        ]

    def __str__(self) -> str:
        return self.code


class Screening(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="screenings")
    question_set = models.ForeignKey(
        ScreeningQuestionSet, on_delete=models.PROTECT, related_name="screenings"
    )
    conducted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    conducted_on = models.DateField(_("interview date"))
    interview_language = models.ForeignKey(
        "core.Language",
        verbose_name=_("interview language"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    interpreter_present = models.BooleanField(_("interpreter present"), default=False)
    guardian_present = models.BooleanField(_("guardian present"), default=False)
    decision = models.CharField(
        _("decision"),
        max_length=20,
        choices=TraffickingDecision.choices,
        default=TraffickingDecision.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    justification = EncryptedTextField(_("justification"), blank=True)
    # Palermo elements as lists of codes (PalermoAct, PalermoMeans, PalermoPurpose).
    acts = models.JSONField(_("act"), default=list, blank=True)
    means = models.JSONField(_("means"), default=list, blank=True)
    purposes = models.JSONField(_("purpose"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-conducted_on", "-created_at"]

    def __str__(self) -> str:
        return f"screening of {self.case}"


class ScreeningAnswer(models.Model):
    """One typed answer: exactly one value column is used, by the question's kind."""

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(ScreeningQuestion, on_delete=models.PROTECT, related_name="+")
    value_bool = models.BooleanField(null=True, blank=True)
    # Free text may hold names and places: encrypted.
    value_text = EncryptedTextField(blank=True)
    value_choices = models.JSONField(default=list, blank=True)
    value_date = models.DateField(null=True, blank=True)
    value_number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["screening", "question"], name="one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"answer to {self.question_id}"
