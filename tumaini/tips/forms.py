from django import forms
from django.utils.translation import gettext_lazy as _

from tumaini.accounts.models import User
from tumaini.core.models import SubCounty, Ward
from tumaini.tips.enums import Channel, ClosureReason, ReportStatus, Urgency, VictimAges, VictimSex

WHAT_MIN_LENGTH = 20
WHAT_MAX_LENGTH = 5000
# The whole form posted, with every field at its limit, stays well under this.
MAX_REQUEST_BYTES = 64 * 1024
HONEYPOT_FIELD = "website"
TOO_SHORT = _(
    "Please write at least %(limit_value)d characters, so we can understand what happened."
)
TOO_LONG = _("Please keep this under %(limit_value)d characters.")


class PublicReportForm(forms.Form):
    what_happened = forms.CharField(
        label=_("What did you see or hear?"),
        help_text=_("Who, what, how many people. Write in English or Kiswahili."),
        min_length=WHAT_MIN_LENGTH,
        max_length=WHAT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    danger_now = forms.BooleanField(label=_("Someone is in danger right now"), required=False)
    sub_county = forms.ModelChoiceField(
        label=_("Sub-county"),
        queryset=SubCounty.objects.order_by("name"),
        required=False,
        empty_label=_("Not known"),
    )
    ward = forms.ModelChoiceField(
        label=_("Ward"),
        queryset=Ward.objects.order_by("name"),
        required=False,
        empty_label=_("Not known"),
    )
    place_text = forms.CharField(
        label=_("Where? (place, street, building, landmark)"), max_length=500, required=False
    )
    occurred_on = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    occurred_time = forms.TimeField(
        label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    occurred_text = forms.CharField(
        label=_("Or say when in words"),
        help_text=_("For example: every night, last week."),
        max_length=200,
        required=False,
    )
    victims_count = forms.IntegerField(
        label=_("How many people may be victims?"), min_value=1, max_value=999, required=False
    )
    victim_ages = forms.ChoiceField(
        label=_("Their ages"),
        choices=VictimAges.choices,
        initial=VictimAges.UNKNOWN,
        required=False,
    )
    victim_sex = forms.ChoiceField(
        label=_("Their sex"),
        choices=VictimSex.choices,
        initial=VictimSex.UNKNOWN,
        required=False,
    )
    suspects_description = forms.CharField(
        label=_("The people who may be exploiting them"),
        help_text=_("Names, what they look like, what they do."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    suspect_phone = forms.CharField(
        label=_("Their phone number, if known"), max_length=40, required=False
    )
    vehicles = forms.CharField(
        label=_("Vehicles (type, colour, number plate)"), max_length=500, required=False
    )
    reporter_contact = forms.CharField(
        label=_("Your name or phone number (optional)"),
        help_text=_(
            "Only if you want us to be able to reach you. It is kept confidential and deleted "
            "after the report is closed."
        ),
        max_length=300,
        required=False,
    )
    no_contact = forms.BooleanField(label=_("Please do not contact me"), required=False)
    # Honeypot: hidden from people by a CSS class; a form that fills it is a robot.
    website = forms.CharField(label=_("Leave this field empty"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        # Django has no Kiswahili for its length messages: ours, in both languages.
        for field in self.fields.values():
            field.error_messages["min_length"] = TOO_SHORT
            field.error_messages["max_length"] = TOO_LONG

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def visible_fields(self):
        return [f for f in super().visible_fields() if f.name != HONEYPOT_FIELD]

    def clean(self):
        data = super().clean()
        # Not answered means not known.
        data["victim_ages"] = data.get("victim_ages") or VictimAges.UNKNOWN
        data["victim_sex"] = data.get("victim_sex") or VictimSex.UNKNOWN
        ward, sub_county = data.get("ward"), data.get("sub_county")
        if ward and sub_county and ward.sub_county_id != sub_county.pk:
            self.add_error("ward", _("This ward is not in the sub-county you chose."))
        return data


class StatusLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Reference code"),
        help_text=_("The code you were given when you reported, for example 4KXT-9PQM."),
        max_length=20,
    )


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open")), *ReportStatus.choices],
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), required=False, choices=[("", _("Any")), *Urgency.choices]
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("Any")), *Channel.choices]
    )


class _Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class TakeForm(_Versioned):
    pass


class AssignForm(_Versioned):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=User.objects.none())

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        if staff is not None:
            self.fields["assignee"].queryset = staff


class StatusForm(_Versioned):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (ReportStatus.TRIAGING, ReportStatus.TRIAGING.label),
            (ReportStatus.REFERRED, ReportStatus.REFERRED.label),
        ],
    )


class EscalateForm(_Versioned):
    unit = forms.ModelChoiceField(label=_("Law-enforcement unit"), queryset=None)
    officer = forms.CharField(label=_("Officer"), max_length=120)
    reference = forms.CharField(
        label=_("Police reference (OB number)"), max_length=60, required=False
    )
    escalated_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        help_text=_("Leave empty for now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class CloseForm(_Versioned):
    reason = forms.ChoiceField(label=_("Why is it closed?"), choices=ClosureReason.choices)
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class LinkCaseForm(_Versioned):
    case_number = forms.CharField(
        label=_("Case number"),
        max_length=30,
        help_text=_("The number of a case you can open, for example TUM-26-K7QX-M3."),
    )


class IncidentForm(forms.Form):
    """Confirm or dismiss one suggested duplicate (the other report's public id)."""

    other = forms.UUIDField(widget=forms.HiddenInput)


class IncidentLeaveForm(_Versioned):
    """Take the report out of its incident group, at the version the triager read."""


class FiguresPeriodForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period comes before its start."))
        return cleaned


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    starts_on = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Last day"),
        help_text=_("Included in the campaign."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels it promoted"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Short description"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The campaign cannot end before it starts."))
        return cleaned
