"""Recording and withdrawing a consent."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tumaini.accounts.models import Organisation
from tumaini.cases.enums import ConsentGiver, ConsentPurpose
from tumaini.cases.selectors.consent import SUMMARY_SECTIONS

# Purposes that name who receives the data: a consent for them without a recipient means nothing.
PURPOSES_NEEDING_RECIPIENT = {ConsentPurpose.REFERRAL, ConsentPurpose.CASE_SUMMARY}


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    recipient = forms.ModelChoiceField(
        label=_("Recipient organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Required for a referral and for a case summary."),
    )
    sections = forms.MultipleChoiceField(
        label=_("Sections that may be shared"),
        choices=SUMMARY_SECTIONS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a case summary: at least one section."),
    )
    given_by = forms.ChoiceField(
        label=_("Given by"), choices=ConsentGiver.choices, widget=forms.RadioSelect
    )
    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=200, required=False)
    guardian_relationship = forms.CharField(
        label=_("Guardian is the survivor's"),
        max_length=60,
        required=False,
        help_text=_("For example mother, uncle, children's officer."),
    )
    given_on = forms.DateField(label=_("Given on"), widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty if it does not expire. It stops applying on this day."),
    )
    scope_notes = forms.CharField(
        label=_("Notes on what may be shared"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, person, **kwargs):
        self.person = person
        kwargs.setdefault("initial", {"given_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = Organisation.objects.filter(is_active=True).order_by(
            "name"
        )

    def clean(self):
        cleaned = super().clean()
        purpose = cleaned.get("purpose")
        if purpose in PURPOSES_NEEDING_RECIPIENT and not cleaned.get("recipient"):
            self.add_error("recipient", _("Name the organisation the data will go to."))
        if purpose == ConsentPurpose.CASE_SUMMARY:
            if not cleaned.get("sections"):
                self.add_error("sections", _("Choose the sections that may be shared."))
        else:
            cleaned["sections"] = []
        given_by = cleaned.get("given_by")
        if self.person.is_child and given_by and given_by != ConsentGiver.GUARDIAN:
            self.add_error(
                "given_by", _("The survivor is a child: a parent or guardian must give consent.")
            )
        if given_by == ConsentGiver.GUARDIAN:
            if not (cleaned.get("guardian_name") or "").strip():
                self.add_error("guardian_name", _("Write the guardian's name."))
        else:
            cleaned["guardian_name"] = ""
            cleaned["guardian_relationship"] = ""
        given_on, expires_on = cleaned.get("given_on"), cleaned.get("expires_on")
        if given_on and given_on > timezone.localdate():
            self.add_error("given_on", _("Consent cannot be given in the future."))
        if given_on and expires_on and expires_on <= given_on:
            self.add_error("expires_on", _("The expiry must be after the day consent was given."))
        return cleaned


class ConsentWithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is consent withdrawn?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why consent is withdrawn."))
        return reason
