"""Forms of risk and needs assessments and of the care plan. Choices that depend on the case (the
needs identified, the staff who may be responsible) are given by the view, never read at import."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tumaini.cases.enums import GoalStatus, NeedType, RiskLevel, SupportPlanType

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _not_future(day):
    if day and day > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return day


class RiskAssessmentForm(forms.Form):
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE_INPUT)
    physical = forms.ChoiceField(
        label=_("Physical risk"), choices=RiskLevel.choices, widget=forms.RadioSelect
    )
    physical_notes = forms.CharField(
        label=_("Physical risk: notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    psychological = forms.ChoiceField(
        label=_("Psychological risk"), choices=RiskLevel.choices, widget=forms.RadioSelect
    )
    psychological_notes = forms.CharField(
        label=_("Psychological risk: notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    health = forms.ChoiceField(
        label=_("Health risk"), choices=RiskLevel.choices, widget=forms.RadioSelect
    )
    health_notes = forms.CharField(
        label=_("Health risk: notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    security = forms.ChoiceField(
        label=_("Security risk"), choices=RiskLevel.choices, widget=forms.RadioSelect
    )
    security_notes = forms.CharField(
        label=_("Security risk: notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_assessed_on(self):
        return _not_future(self.cleaned_data["assessed_on"])


class NeedsAssessmentForm(forms.Form):
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE_INPUT)

    def clean_assessed_on(self):
        return _not_future(self.cleaned_data["assessed_on"])


class NeedForm(forms.Form):
    """One row of the fixed grid: the need type is carried, not chosen."""

    type = forms.ChoiceField(choices=NeedType.choices, widget=forms.HiddenInput)
    identified = forms.BooleanField(label=_("Identified"), required=False)
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        required=False,
        choices=[("", _("— not urgent / not set —")), *RiskLevel.choices],
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @property
    def need_label(self):
        value = self["type"].value()
        return NeedType(value).label if value in NeedType.values else ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("identified") and not cleaned.get("urgency"):
            self.add_error("urgency", _("Say how urgent this need is."))
        return cleaned


class BaseNeedFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        types = [form.cleaned_data.get("type") for form in self.forms]
        if sorted(types) != sorted(NeedType.values):
            raise forms.ValidationError(_("Answer every need exactly once."))


NeedFormSet = forms.formset_factory(
    NeedForm, formset=BaseNeedFormSet, extra=0, min_num=0, max_num=len(NeedType.values)
)


def need_formset(data=None):
    return NeedFormSet(
        data,
        prefix="needs",
        initial=[{"type": value} for value in NeedType.values],
    )


class CarePlanForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the plan is for, in a few sentences."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class GoalForm(forms.Form):
    goal = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 2}))
    # A blank first choice: an untouched extra goal block then posts nothing and stays empty.
    support_type = forms.ChoiceField(
        label=_("Type of support"), choices=[("", _("— choose —")), *SupportPlanType.choices]
    )
    need_type = forms.ChoiceField(label=_("Need it answers"), required=False, choices=())
    services = forms.CharField(
        label=_("Services"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = StaffChoiceField(label=_("Responsible"), queryset=None, to_field_name="public_id")
    due_on = forms.DateField(label=_("Due on"), widget=DATE_INPUT)
    status = forms.ChoiceField(
        label=_("Status"), choices=GoalStatus.choices, initial=GoalStatus.NOT_STARTED
    )

    def __init__(self, *args, needs=(), staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need_type"].choices = [
            ("", _("— none —")),
            *[(value, NeedType(value).label) for value in needs],
        ]
        self.fields["owner"].queryset = staff

    def clean_due_on(self):
        due = self.cleaned_data["due_on"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due


class BaseGoalFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not self.goals():
            raise forms.ValidationError(_("Add at least one goal."))

    def goals(self) -> list[dict]:
        return [
            {key: form.cleaned_data[key] for key in GoalForm.base_fields}
            for form in self.forms
            # An untouched blank row has no cleaned data; a removed row is left out.
            if form.cleaned_data and not self._should_delete_form(form)
        ]


GoalFormSet = forms.formset_factory(
    GoalForm, formset=BaseGoalFormSet, extra=2, can_delete=True, max_num=30, validate_max=True
)


def goal_formset(data=None, *, needs, staff, initial=None):
    return GoalFormSet(
        data,
        prefix="goals",
        initial=initial,
        form_kwargs={"needs": needs, "staff": staff},
    )


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
