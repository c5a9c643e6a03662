"""Filters of the case lists. Nothing here queries the database when the module is imported."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tumaini.cases.enums import CaseStage, ExploitationType, RiskLevel

CHILD_CHOICES = [
    ("", _("children and adults")),
    ("yes", _("children only")),
    ("no", _("adults only")),
]


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Case number or name"),
        required=False,
        max_length=200,
        help_text=_("A full case number (with or without dashes) or a full name, exactly."),
    )
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("any stage")), *CaseStage.choices]
    )
    risk = forms.ChoiceField(
        label=_("Risk"), required=False, choices=[("", _("any risk")), *RiskLevel.choices]
    )
    child = forms.ChoiceField(label=_("Child"), required=False, choices=CHILD_CHOICES)
    exploitation = forms.ChoiceField(
        label=_("Type of exploitation"),
        required=False,
        choices=[("", _("any type")), *ExploitationType.choices],
    )
    overdue = forms.BooleanField(label=_("Only overdue follow-ups"), required=False)

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())
