from __future__ import annotations

import re
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tumaini.hotline.enums import CallCategory, CallerType, CallLanguage
from tumaini.hotline.services import e164
from tumaini.tips.enums import Urgency
from tumaini.tips.forms import PublicReportForm

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
SUMMARY_MAX_LENGTH = 5000
# A call longer than ten hours is a typing mistake.
MAX_DURATION_SECONDS = 10 * 3600
_DURATION = re.compile(r"^\s*(\d{1,3})(?:\s*:\s*([0-5]?\d))?\s*$")


def _datetime_field(label, **kwargs) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        **kwargs,
    )


def _phone_error():
    return forms.ValidationError(
        _("Enter a phone number such as 0712 345 678 or +254 712 345 678."), code="phone"
    )


class CallForm(forms.Form):
    started_at = _datetime_field(_("When the call came in"))
    duration = forms.CharField(
        label=_("Duration"),
        help_text=_("Minutes, or minutes:seconds, for example 4 or 4:30."),
        max_length=10,
    )
    caller_type = forms.ChoiceField(label=_("Who called"), choices=CallerType.choices)
    language = forms.ChoiceField(
        label=_("Language of the call"), choices=CallLanguage.choices, initial=CallLanguage.ENGLISH
    )
    category = forms.ChoiceField(label=_("What the call was about"), choices=CallCategory.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    summary = forms.CharField(
        label=_("Summary of the call"),
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    advice = forms.CharField(
        label=_("Advice given"),
        max_length=SUMMARY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    caller_phone = forms.CharField(
        label=_("Caller's phone number (optional)"),
        help_text=_(
            "Only if the caller agreed to be called back. Shown to hotline supervisors only."
        ),
        max_length=40,
        required=False,
    )
    follow_up_needed = forms.BooleanField(label=_("Follow-up needed"), required=False)
    follow_up_due = forms.DateField(
        label=_("Follow-up due on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, with_phone: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_phone:
            # Who may not read the caller's number does not see (or overwrite) it.
            del self.fields["caller_phone"]
        self.fields["started_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean_duration(self) -> int:
        match = _DURATION.match(self.cleaned_data["duration"])
        if not match:
            raise forms.ValidationError(
                _("Write the duration in minutes, or as minutes:seconds (4:30)."), code="duration"
            )
        seconds = int(match.group(1)) * 60 + int(match.group(2) or 0)
        if seconds > MAX_DURATION_SECONDS:
            raise forms.ValidationError(_("A call cannot last this long."), code="duration")
        return seconds

    def clean_started_at(self):
        started = self.cleaned_data["started_at"]
        if started > timezone.now() + timedelta(minutes=5):
            raise forms.ValidationError(_("A call cannot be logged before it happens."))
        return started

    def clean_caller_phone(self) -> str:
        typed = self.cleaned_data["caller_phone"].strip()
        if not typed:
            return ""
        try:
            return e164(typed)
        except ValueError:
            raise _phone_error() from None

    def clean(self):
        data = super().clean()
        if data.get("follow_up_needed") and not data.get("follow_up_due"):
            self.add_error("follow_up_due", _("Give the date the follow-up is due."))
        if not data.get("follow_up_needed"):
            data["follow_up_due"] = None
        return data

    def call_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["duration_seconds"] = data.pop("duration")
        data.pop("version", None)
        return data

    @staticmethod
    def initial_from(call) -> dict:
        minutes, seconds = divmod(call.duration_seconds, 60)
        return {
            "started_at": timezone.localtime(call.started_at).replace(second=0, microsecond=0),
            "duration": f"{minutes}:{seconds:02d}" if seconds else str(minutes),
            "caller_type": call.caller_type,
            "language": call.language,
            "category": call.category,
            "urgency": call.urgency,
            "summary": call.summary,
            "advice": call.advice,
            "caller_phone": call.caller_phone,
            "follow_up_needed": call.follow_up_needed,
            "follow_up_due": call.follow_up_due,
            "version": call.version,
        }


class CallEditForm(CallForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class CallFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("Any")), *CallCategory.choices]
    )
    follow_up_open = forms.BooleanField(label=_("Follow-up still to do"), required=False)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class CallReportForm(PublicReportForm):
    """The public form's questions, answered by the agent from the call; no honeypot and no
    reporter contact (the caller's number is copied on the server when asked)."""

    keep_caller_phone = forms.BooleanField(
        label=_("Keep the caller's phone number as the reporter's contact"),
        help_text=_("Shown to hotline supervisors only, and deleted after the report is closed."),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, call_has_phone: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("website", "reporter_contact"):
            del self.fields[name]
        self.fields["what_happened"].label = _("What the caller reported")
        self.fields["what_happened"].help_text = ""
        self.fields["no_contact"].label = _("The caller asked not to be contacted")
        if not call_has_phone:
            del self.fields["keep_caller_phone"]

    @property
    def is_robot(self) -> bool:
        return False

    @staticmethod
    def initial_from(call) -> dict:
        return {
            "what_happened": call.summary,
            "danger_now": call.urgency == Urgency.CRITICAL,
            "keep_caller_phone": bool(call.caller_phone),
            "version": call.version,
        }

    def report_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("version", "keep_caller_phone", "website", "reporter_contact"):
            data.pop(name, None)
        return data


class ShiftForm(forms.Form):
    agent = forms.ModelChoiceField(label=_("Agent"), queryset=None)
    phone = forms.CharField(
        label=_("Phone number the line dials"),
        help_text=_("For example 0712 345 678 or +254 712 345 678."),
        max_length=40,
    )
    starts_at = _datetime_field(_("Starts"))
    ends_at = _datetime_field(_("Ends"))

    def __init__(self, *args, agents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = agents
        self.fields["agent"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean_phone(self) -> str:
        try:
            return e164(self.cleaned_data["phone"])
        except ValueError:
            raise _phone_error() from None

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The shift ends before it starts."))
        return data
