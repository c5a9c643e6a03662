"""Forms of the access-to-justice area: they check what a clerk would check, next to the field."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tumaini.justice.enums import (
    Charge,
    HearingKind,
    HearingStatus,
    Outcome,
    PoliceReportStatus,
    ProsecutionStatus,
    ProtectiveMeasure,
)

DATE = {"type": "date"}


def _date(label, required=True, help_text=""):
    return forms.DateField(
        label=label, required=required, help_text=help_text, widget=forms.DateInput(attrs=DATE)
    )


class _NotInFuture:
    def _not_future(self, cleaned, *names):
        today = timezone.localdate()
        for name in names:
            value = cleaned.get(name)
            if value and value > today:
                self.add_error(name, _("This date is in the future."))


class MatterOpenForm(forms.Form):
    legal_officer = forms.ModelChoiceField(
        label=_("Legal officer"),
        queryset=None,
        required=False,
        empty_label=_("— assign later —"),
    )

    def __init__(self, *args, legal_officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["legal_officer"].queryset = legal_officers


class MatterAssignForm(MatterOpenForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PoliceReportForm(_NotInFuture, forms.Form):
    station = forms.CharField(label=_("Police station"), max_length=120)
    ob_number = forms.CharField(
        label=_("OB number"),
        max_length=60,
        help_text=_("The Occurrence Book number the station gave, e.g. OB 12/03/05/2026."),
    )
    reported_on = _date(_("Reported on"))
    investigating_officer = forms.CharField(
        label=_("Investigating officer"), max_length=120, required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=PoliceReportStatus.choices)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        self._not_future(cleaned, "reported_on")
        return cleaned


class ProsecutionForm(_NotInFuture, forms.Form):
    police_report = forms.ChoiceField(label=_("From the police report"), required=False)
    court = forms.CharField(
        label=_("Court"), max_length=120, help_text=_("For example Milimani Law Courts.")
    )
    court_case_number = forms.CharField(label=_("Court case number"), max_length=60)
    prosecutor = forms.CharField(label=_("Prosecutor"), max_length=120, required=False)
    charges = forms.MultipleChoiceField(
        label=_("Charges under the Counter-Trafficking in Persons Act"),
        choices=Charge.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_charges = forms.CharField(
        label=_("Other charges"),
        max_length=300,
        required=False,
        help_text=_("Under other laws, e.g. the Sexual Offences Act or the Children Act."),
    )
    charged_on = _date(_("Charged on"), required=False)
    status = forms.ChoiceField(label=_("Stage"), choices=ProsecutionStatus.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    outcome_on = _date(_("Outcome on"), required=False)
    sentence = forms.CharField(
        label=_("Sentence"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    protective_measures = forms.MultipleChoiceField(
        label=_("Protective measures ordered (s11)"),
        choices=ProtectiveMeasure.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    victim_impact_statement = forms.CharField(
        label=_("Victim impact statement (s12)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    impact_statement_submitted_on = _date(_("Impact statement submitted on"), required=False)
    restitution_ordered = forms.DecimalField(
        label=_("Restitution ordered (KES)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    restitution_ordered_on = _date(_("Restitution ordered on"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, police_reports=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["police_report"].choices = [("", _("— none —"))] + [
            (str(report.public_id), f"{report.station}, {report.reported_on:%Y-%m-%d}")
            for report in police_reports
        ]

    def clean(self):
        cleaned = super().clean()
        self._not_future(
            cleaned,
            "charged_on",
            "outcome_on",
            "impact_statement_submitted_on",
            "restitution_ordered_on",
        )
        if not cleaned.get("charges") and not (cleaned.get("other_charges") or "").strip():
            self.add_error("charges", _("Choose at least one charge, or write the other charges."))
        outcome = cleaned.get("outcome")
        if outcome and outcome != Outcome.PENDING and not cleaned.get("outcome_on"):
            self.add_error("outcome_on", _("Give the date of the outcome."))
        if outcome == Outcome.PENDING and cleaned.get("outcome_on"):
            self.add_error("outcome_on", _("There is no outcome yet: leave this date empty."))
        charged, decided = cleaned.get("charged_on"), cleaned.get("outcome_on")
        if charged and decided and decided < charged:
            self.add_error("outcome_on", _("The outcome cannot come before the charge."))
        if cleaned.get("restitution_ordered_on") and cleaned.get("restitution_ordered") is None:
            self.add_error("restitution_ordered", _("Give the amount the court ordered."))
        concluded = (ProsecutionStatus.CONCLUDED, ProsecutionStatus.APPEAL)
        if outcome and outcome != Outcome.PENDING and cleaned.get("status") not in concluded:
            self.add_error("status", _("A case with an outcome is concluded (or on appeal)."))
        return cleaned


class HearingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    kind = forms.ChoiceField(label=_("Hearing"), choices=HearingKind.choices)
    survivor_attends = forms.BooleanField(
        label=_("The survivor is to attend"),
        required=False,
        help_text=_("They get an SMS reminder two days before, if they agreed to SMS contact."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        if starts_at <= timezone.now():
            raise forms.ValidationError(_("A new hearing must be in the future."))
        return starts_at


class HearingOutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("What happened"),
        choices=[(v, label) for v, label in HearingStatus.choices if v != HearingStatus.SCHEDULED],
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PaymentForm(_NotInFuture, forms.Form):
    amount = forms.DecimalField(
        label=_("Amount paid (KES)"), min_value=0.01, max_digits=12, decimal_places=2
    )
    paid_on = _date(_("Paid on"))

    def __init__(self, *args, outstanding=None, **kwargs):
        self.outstanding = outstanding
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        self._not_future(cleaned, "paid_on")
        amount = cleaned.get("amount")
        if amount is not None:
            if self.outstanding is None:
                self.add_error("amount", _("Record the restitution the court ordered first."))
            elif amount > self.outstanding:
                self.add_error(
                    "amount",
                    _("That is more than the %(outstanding)s KES still owed.")
                    % {"outstanding": self.outstanding},
                )
        return cleaned
