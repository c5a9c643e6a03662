"""Forms of the case workflow: a stage change, a reopening, requests and decisions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tumaini.cases.enums import CaseStage, ClosureReason
from tumaini.cases.services.workflow import REOPEN_TARGETS

PLAIN_TEXT_WARNING = _("Do not name the survivor here: use the case number.")


class TransitionForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Move to"), choices=CaseStage.choices)
    # The case version the page showed: a change in between refuses the move.
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=1000, help_text=PLAIN_TEXT_WARNING
    )


class ReopenForm(forms.Form):
    to_stage = forms.ChoiceField(
        label=_("Reopen at the stage"),
        choices=[(stage, CaseStage(stage).label) for stage in REOPEN_TARGETS],
        initial=CaseStage.ASSESSMENT,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Why is the case reopened?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PLAIN_TEXT_WARNING,
    )


class CarePlanSubmitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment for the director"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=PLAIN_TEXT_WARNING,
    )


class ClosureRequestForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason for closing"), choices=ClosureReason.choices)
    notes = forms.CharField(
        label=_("Closure notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Kept encrypted with the case."),
    )
    comment = forms.CharField(
        label=_("Comment for the director"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=PLAIN_TEXT_WARNING,
    )


class ApprovalDecisionForm(forms.Form):
    APPROVE, REJECT = "approve", "reject"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve")), (REJECT, _("Reject"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required to reject: say what must change. Do not name the survivor here: use the "
            "case number."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REJECT and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("Say why the request is rejected."))
        return cleaned
