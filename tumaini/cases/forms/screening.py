"""The screening form: built from the question set's own questions, plus the interview context and
the decision. Fields are created per instance (never at import), in the user's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tumaini.cases.enums import (
    PalermoAct,
    PalermoMeans,
    PalermoPurpose,
    ScreeningAnswerKind,
    TraffickingDecision,
)
from tumaini.cases.models import ScreeningQuestion
from tumaini.cases.selectors.screening import (
    choice_options,
    question_help,
    question_text,
    section_title,
)
from tumaini.core.models import Language

YES, NO, NOT_ASKED = "yes", "no", "not_asked"
TEXT_MAX = 1000
LONG_TEXT_MAX = 10000
JUSTIFICATION_MAX = 5000


def question_field_name(question: ScreeningQuestion) -> str:
    return f"q_{question.code}"


def _question_field(question: ScreeningQuestion) -> forms.Field:
    common: dict[str, Any] = {
        "label": question_text(question),
        "help_text": question_help(question),
        "required": question.required,
    }
    kind = question.kind
    if kind == ScreeningAnswerKind.YES_NO:
        choices = [(YES, _("Yes")), (NO, _("No"))]
        if not question.required:
            choices.append((NOT_ASKED, _("Not asked")))
        return forms.ChoiceField(
            choices=choices,
            widget=forms.RadioSelect,
            initial=None if question.required else NOT_ASKED,
            **common,
        )
    if kind == ScreeningAnswerKind.TEXT:
        return forms.CharField(max_length=TEXT_MAX, **common)
    if kind == ScreeningAnswerKind.LONG_TEXT:
        return forms.CharField(
            max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}), **common
        )
    if kind == ScreeningAnswerKind.CHOICE:
        return forms.ChoiceField(
            choices=[("", _("— not answered —")), *choice_options(question)], **common
        )
    if kind == ScreeningAnswerKind.MULTI_CHOICE:
        return forms.MultipleChoiceField(
            choices=choice_options(question), widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == ScreeningAnswerKind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    return forms.DecimalField(max_digits=12, decimal_places=2, min_value=0, **common)


def initial_for(question: ScreeningQuestion, value: Any) -> Any:
    """A stored typed value as the form field shows it."""
    if question.kind == ScreeningAnswerKind.YES_NO:
        if value is None:
            return None if question.required else NOT_ASKED
        return YES if value else NO
    return value


@dataclass
class FormSection:
    code: str
    title: Any
    fields: list = field(default_factory=list)


class ScreeningForm(forms.Form):
    conducted_on = forms.DateField(
        label=_("Interview date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    interview_language = forms.ModelChoiceField(
        label=_("Interview language"),
        queryset=Language.objects.none(),
        required=False,
        empty_label=_("— choose —"),
    )
    interpreter_present = forms.BooleanField(label=_("An interpreter was present"), required=False)
    guardian_present = forms.BooleanField(
        label=_("A parent, guardian or children's officer was present"), required=False
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=TraffickingDecision.choices,
        initial=TraffickingDecision.PENDING,
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(
        label=_("Decided on"),
        required=False,
        help_text=_("Today if left empty."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    justification = forms.CharField(
        label=_("Why this decision"),
        required=False,
        max_length=JUSTIFICATION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    acts = forms.MultipleChoiceField(
        label=_("Act"),
        choices=PalermoAct.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    means = forms.MultipleChoiceField(
        label=_("Means"),
        choices=PalermoMeans.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    purposes = forms.MultipleChoiceField(
        label=_("Purpose (exploitation)"),
        choices=PalermoPurpose.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    CONTEXT_FIELDS = ("conducted_on", "interview_language", "interpreter_present")
    DECISION_FIELDS = ("decision", "decided_on", "justification", "acts", "means", "purposes")

    def __init__(self, *args, questions: list[ScreeningQuestion], is_child: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.is_child = is_child
        self.fields["interview_language"].queryset = Language.objects.order_by("name")
        if is_child:
            self.CONTEXT_FIELDS = (*self.CONTEXT_FIELDS, "guardian_present")
            self.fields["means"].help_text = _(
                "For a child, the means are not needed to decide (Palermo Protocol art. 3(c))."
            )
        else:
            del self.fields["guardian_present"]
        for question in questions:
            self.fields[question_field_name(question)] = _question_field(question)

    def question_sections(self) -> list[FormSection]:
        sections: list[FormSection] = []
        for question in self.questions:
            if not sections or sections[-1].code != question.section:
                sections.append(FormSection(question.section, section_title(question.section)))
            sections[-1].fields.append(self[question_field_name(question)])
        return sections

    def context_fields(self) -> list:
        return [self[name] for name in self.CONTEXT_FIELDS]

    def decision_fields(self) -> list:
        return [self[name] for name in self.DECISION_FIELDS]

    def clean_conducted_on(self):
        conducted_on = self.cleaned_data["conducted_on"]
        if conducted_on and conducted_on > timezone.localdate():
            raise forms.ValidationError(_("The interview date cannot be in the future."))
        return conducted_on

    def clean_decided_on(self):
        decided_on = self.cleaned_data.get("decided_on")
        if decided_on and decided_on > timezone.localdate():
            raise forms.ValidationError(_("The decision date cannot be in the future."))
        return decided_on

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == TraffickingDecision.ACTUAL:
            # Palermo art. 3: act, means and purpose; for a child (art. 3(c)) act and purpose only.
            if not cleaned.get("acts"):
                self.add_error("acts", _("Choose at least one act for a victim of trafficking."))
            if not cleaned.get("purposes"):
                self.add_error(
                    "purposes", _("Choose at least one purpose for a victim of trafficking.")
                )
            if not self.is_child and not cleaned.get("means"):
                self.add_error(
                    "means", _("Choose at least one means: an adult victim needs all three.")
                )
        if (
            decision == TraffickingDecision.NOT_A_VICTIM
            and not (cleaned.get("justification") or "").strip()
        ):
            self.add_error(
                "justification", _("Say why this person is not a victim of trafficking.")
            )
        if decision == TraffickingDecision.PENDING and cleaned.get("decided_on"):
            cleaned["decided_on"] = None
        return cleaned

    def screening_fields(self) -> dict[str, Any]:
        cleaned = self.cleaned_data
        values = {name: cleaned.get(name) for name in (*self.CONTEXT_FIELDS, *self.DECISION_FIELDS)}
        values["justification"] = (values["justification"] or "").strip()
        values.setdefault("guardian_present", False)
        for name in ("acts", "means", "purposes"):
            values[name] = list(values[name] or [])
        return values

    def answers(self) -> dict[ScreeningQuestion, Any]:
        """Typed values by question; None (or blank) for "not answered"."""
        typed: dict[ScreeningQuestion, Any] = {}
        for question in self.questions:
            value = self.cleaned_data.get(question_field_name(question))
            if question.kind == ScreeningAnswerKind.YES_NO:
                value = {YES: True, NO: False}.get(value)
            elif question.kind in (ScreeningAnswerKind.TEXT, ScreeningAnswerKind.LONG_TEXT):
                value = (value or "").strip()
            typed[question] = value
        return typed
