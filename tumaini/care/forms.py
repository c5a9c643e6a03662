"""Forms of care delivery. The rules that guard the data are in the services too; the forms put each
message next to its field and keep what was typed."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tumaini.accounts.enums import Role
from tumaini.accounts.models import Organisation, User
from tumaini.care.enums import (
    AppointmentStatus,
    ContactMethod,
    DeliveryOutcome,
    Livelihood,
    ReTrafficked,
    Safety,
    ServiceType,
    Wellbeing,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
# Who can meet a survivor or deliver a service.
CARE_STAFF_ROLES = (
    Role.CASE_MANAGER,
    Role.DIRECTOR,
    Role.COUNSELLOR,
    Role.MEDICAL_OFFICER,
    Role.LEGAL_OFFICER,
    Role.SHELTER_MANAGER,
)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class OfferingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_service_type_display()}: {obj.name} ({obj.provider})"


class GoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        need = f" — {obj.get_need_type_display()}" if obj.need_type else ""
        return f"{obj.goal[:80]}{need}"


def care_staff_of(organisation_id):
    return (
        User.objects.filter(
            organisation_id=organisation_id,
            is_active=True,
            role_assignments__role__in=CARE_STAFF_ROLES,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class OfferingForm(forms.Form):
    service_type = forms.ChoiceField(label=_("Type of service"), choices=ServiceType.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    provider = forms.ModelChoiceField(
        label=_("Provided by"),
        queryset=Organisation.objects.none(),
        to_field_name="public_id",
        help_text=_("Your own organisation for an in-house service, or the partner."),
    )
    is_active = forms.BooleanField(label=_("Offered now"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Organisation.objects.filter(is_active=True).order_by(
            "name"
        )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the service a name."))
        return name


class DeliveryForm(forms.Form):
    offering = OfferingChoiceField(
        label=_("Service"), queryset=None, to_field_name="public_id", empty_label=_("— choose —")
    )
    goal = GoalChoiceField(
        label=_("Care-plan goal it serves"),
        queryset=None,
        to_field_name="public_id",
        required=False,
        empty_label=_("— no goal —"),
    )
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DATE_INPUT)
    delivered_by = StaffChoiceField(
        label=_("Delivered by"),
        queryset=None,
        to_field_name="public_id",
        required=False,
        empty_label=_("— the partner —"),
        help_text=_("Leave empty when a partner delivered it."),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=DeliveryOutcome.choices)
    outcome_notes = forms.CharField(
        label=_("Outcome notes"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A short summary. Counselling and medical notes belong in their own records."),
    )
    cost_kes = forms.DecimalField(
        label=_("Cost (KES)"),
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        initial=Decimal("0"),
    )

    def __init__(self, *args, offerings, goals, staff, **kwargs):
        kwargs.setdefault("initial", {"delivered_on": timezone.localdate(), "cost_kes": 0})
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = offerings
        self.fields["goal"].queryset = goals
        self.fields["delivered_by"].queryset = staff

    def clean_delivered_on(self):
        day = self.cleaned_data["delivered_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A service cannot be delivered in the future."))
        return day


class AppointmentForm(forms.Form):
    staff = StaffChoiceField(label=_("With"), queryset=None, to_field_name="public_id")
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME_INPUT)
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=5, max_value=720, initial=60
    )
    service_type = forms.ChoiceField(
        label=_("About"),
        required=False,
        choices=[("", _("— not said —")), *ServiceType.choices],
        help_text=_("Kept inside the system: the SMS reminder never says what it is about."),
    )
    location = forms.CharField(label=_("Where"), required=False, max_length=500)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, staff, current=None, **kwargs):
        # `current`: the appointment being edited (its own time may have passed already).
        self.current = current
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        unchanged = self.current is not None and starts_at == self.current.starts_at
        if not unchanged and starts_at <= timezone.now():
            raise forms.ValidationError(
                _("This time has passed: an appointment is booked for a time still to come.")
            )
        return starts_at


class AppointmentStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (value, label)
            for value, label in AppointmentStatus.choices
            if value != AppointmentStatus.SCHEDULED
        ],
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


YES_NO = [("yes", _("Yes")), ("no", _("No"))]
REQUIRED_WHEN_CONTACTED = (
    "contact_method",
    "contacted_on",
    "wellbeing",
    "safety",
    "livelihood",
    "re_trafficked",
)


def _choices(enum):
    return [("", _("— choose —")), *enum.choices]


class FollowUpForm(forms.Form):
    contact_made = forms.ChoiceField(
        label=_("Was contact made?"), choices=YES_NO, widget=forms.RadioSelect
    )
    contact_method = forms.ChoiceField(
        label=_("How"), choices=_choices(ContactMethod), required=False
    )
    contacted_on = forms.DateField(label=_("Contacted on"), widget=DATE_INPUT, required=False)
    wellbeing = forms.ChoiceField(label=_("Wellbeing"), choices=_choices(Wellbeing), required=False)
    wellbeing_notes = forms.CharField(
        label=_("Wellbeing: notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    safety = forms.ChoiceField(label=_("Safety"), choices=_choices(Safety), required=False)
    safety_notes = forms.CharField(
        label=_("Safety: notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    livelihood = forms.ChoiceField(
        label=_("Livelihood"), choices=_choices(Livelihood), required=False
    )
    livelihood_notes = forms.CharField(
        label=_("Livelihood: notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    re_trafficked = forms.ChoiceField(
        label=_("Trafficked again?"), choices=_choices(ReTrafficked), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("contact_made") == "yes":
            for name in REQUIRED_WHEN_CONTACTED:
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("This answer is needed when contact was made."))
        contacted_on = cleaned.get("contacted_on")
        if contacted_on and contacted_on > timezone.localdate():
            self.add_error("contacted_on", _("The contact cannot be in the future."))
        return cleaned

    def answers(self) -> dict:
        data = dict(self.cleaned_data)
        data["contact_made"] = data.get("contact_made") == "yes"
        data.pop("version", None)
        return data
