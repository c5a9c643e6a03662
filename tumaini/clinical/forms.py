"""Forms of counselling and medical records. Choices that come from the database are read when a
form is made, never at import."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tumaini.cases.enums import ConsentGiver
from tumaini.clinical.enums import (
    ConditionStatus,
    ReferralOutcome,
    ReferralUrgency,
    SessionModality,
    SessionTheme,
)

_DATE = {"type": "date"}


def _date(label, required=True, **kwargs):
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs=_DATE), **kwargs
    )


def _text(label, required=True, rows=4, max_length=20000, **kwargs):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class _NotInFuture:
    future_fields: tuple[str, ...] = ()

    def _check_future(self, cleaned):
        today = timezone.localdate()
        for name in self.future_fields:
            day = cleaned.get(name)
            if day and day > today:
                self.add_error(name, _("This date is in the future."))


class CounsellorAssignForm(forms.Form):
    counsellor = forms.ModelChoiceField(label=_("Counsellor"), queryset=None)

    def __init__(self, *args, counsellors, **kwargs):
        kwargs.setdefault("auto_id", "counsellor-%s")
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].queryset = counsellors
        self.fields["counsellor"].label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )


class SessionNoteForm(_NotInFuture, forms.Form):
    future_fields = ("held_on",)

    held_on = _date(_("Date of the session"))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=600)
    modality = forms.ChoiceField(label=_("Modality"), choices=SessionModality.choices)
    themes = forms.MultipleChoiceField(
        label=_("Themes"),
        choices=SessionTheme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    body = _text(
        _("Note"),
        rows=10,
        help_text=_("Read by you only. Never printed in a case summary or exported."),
        error_messages={"required": _("Write the note.")},
    )
    risk_concern = forms.BooleanField(
        label=_("Risk concern"),
        required=False,
        help_text=_("Tick if you are worried about the client's safety or about self-harm."),
    )
    next_session_on = _date(_("Next session"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write the note."))
        return body

    def clean(self):
        cleaned = super().clean()
        self._check_future(cleaned)
        held, coming = cleaned.get("held_on"), cleaned.get("next_session_on")
        if held and coming and coming < held:
            self.add_error("next_session_on", _("The next session comes after this one."))
        return cleaned


class TreatmentConsentForm(_NotInFuture, forms.Form):
    future_fields = ("given_on",)

    given_by = forms.ChoiceField(label=_("Given by"), choices=ConsentGiver.choices)
    guardian_name = forms.CharField(label=_("Guardian's name"), required=False, max_length=200)
    guardian_relationship = forms.CharField(
        label=_("Guardian is the survivor's"), required=False, max_length=60
    )
    given_on = _date(_("Given on"), initial=timezone.localdate)
    scope = _text(
        _("Treatment consented to"),
        rows=3,
        max_length=2000,
        help_text=_("E.g. examination, tests, treatment of injuries, medication."),
    )

    def clean(self):
        cleaned = super().clean()
        self._check_future(cleaned)
        if (
            cleaned.get("given_by") == ConsentGiver.GUARDIAN
            and not (cleaned.get("guardian_name") or "").strip()
        ):
            self.add_error("guardian_name", _("Give the name of the parent or guardian."))
        return cleaned


class MedicalVisitForm(_NotInFuture, forms.Form):
    future_fields = ("seen_on",)

    seen_on = _date(_("Date of the visit"), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason for the visit"), max_length=300)
    findings = _text(_("Findings"), required=False)
    treatment = _text(
        _("Treatment given"),
        required=False,
        help_text=_("Needs a consent to treatment; for a child, a parent's or guardian's."),
    )


class MedicalConditionForm(forms.Form):
    name = forms.CharField(label=_("Condition"), max_length=300)
    status = forms.ChoiceField(
        label=_("Status"), choices=ConditionStatus.choices, initial=ConditionStatus.ACTIVE
    )
    since = _date(_("Since"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class HospitalReferralForm(_NotInFuture, forms.Form):
    future_fields = ("referred_on",)

    hospital = forms.ModelChoiceField(
        label=_("Hospital"), queryset=None, required=False, empty_label=_("— other —")
    )
    hospital_other = forms.CharField(
        label=_("Other hospital or clinic"),
        required=False,
        max_length=200,
        help_text=_("Only if the hospital is not in the list."),
    )
    referred_on = _date(_("Referred on"), initial=timezone.localdate)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=ReferralUrgency.choices)
    reason = _text(_("Reason for the referral"), rows=3, max_length=5000)

    def __init__(self, *args, hospitals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hospital"].queryset = hospitals

    def clean(self):
        cleaned = super().clean()
        self._check_future(cleaned)
        if not cleaned.get("hospital") and not (cleaned.get("hospital_other") or "").strip():
            self.add_error(
                "hospital", _("Choose the hospital, or write its name if it is not in the list.")
            )
        return cleaned


class ReferralOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("— still open —")), *ReferralOutcome.choices],
        required=False,
    )
    outcome_on = _date(_("Outcome on"), required=False)
    outcome_notes = _text(_("Outcome notes"), required=False, rows=3, max_length=5000)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CaseNumberForm(forms.Form):
    case_number = forms.CharField(label=_("Case number"), max_length=20)
