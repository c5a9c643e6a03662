"""Forms of the shelter. The rules that need the database (bed fit, a free bed, one bed per survivor)
are the services'; the views put their refusals next to the field they name."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tumaini.shelter.enums import (
    DischargeDestination,
    DischargeReason,
    IncidentKind,
    RoomAgeGroup,
    RoomSex,
)
from tumaini.shelter.models import Bed

DATE = {"type": "date"}


class BedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, bed: Bed) -> str:
        room = bed.room
        marks = [str(room.get_sex_display()), str(room.get_age_group_display())]
        if bed.accessible:
            marks.append(str(_("accessible")))
        return f"{room.facility.name} — {room.name} · {bed.label} ({', '.join(marks)})"


def _bed_field(queryset, label=None):
    return BedChoiceField(label=label or _("Bed"), queryset=queryset, to_field_name="public_id")


class _PastDateMixin:
    past_date_fields: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for name in self.past_date_fields:
            day = cleaned.get(name)
            if day and day > today:
                self.add_error(name, _("This date is in the future."))
        return cleaned


class AdmissionForm(_PastDateMixin, forms.Form):
    past_date_fields = ("admitted_on",)

    case_number = forms.CharField(
        label=_("Case number"),
        max_length=30,
        help_text=_("As the case manager gives it, e.g. TUM-26-K7QX-M3."),
    )
    bed = forms.ModelChoiceField(queryset=Bed.objects.none())
    admitted_on = forms.DateField(label=_("Admitted on"), widget=forms.DateInput(attrs=DATE))
    expected_leave_on = forms.DateField(
        label=_("Expected to leave on"),
        required=False,
        widget=forms.DateInput(attrs=DATE),
        help_text=_("The board marks a stay that runs past this day."),
    )

    def __init__(self, *args, beds, case=None, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("admitted_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["bed"] = _bed_field(beds)
        if case is not None:
            # Admission from the waiting list: the case is already known.
            del self.fields["case_number"]

    def clean(self):
        cleaned = super().clean()
        admitted, leave = cleaned.get("admitted_on"), cleaned.get("expected_leave_on")
        if admitted and leave and leave < admitted:
            self.add_error(
                "expected_leave_on", _("The expected leaving date cannot be before the admission.")
            )
        return cleaned


class TransferForm(_PastDateMixin, forms.Form):
    past_date_fields = ("moved_on",)

    bed = forms.ModelChoiceField(queryset=Bed.objects.none())
    moved_on = forms.DateField(label=_("Moved on"), widget=forms.DateInput(attrs=DATE))
    reason = forms.CharField(
        label=_("Why move"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, beds, **kwargs):
        kwargs.setdefault("initial", {"moved_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["bed"] = _bed_field(beds, label=_("New bed"))


class DischargeForm(_PastDateMixin, forms.Form):
    past_date_fields = ("left_on",)

    left_on = forms.DateField(label=_("Left on"), widget=forms.DateInput(attrs=DATE))
    reason = forms.ChoiceField(label=_("Reason for leaving"), choices=DischargeReason.choices)
    destination = forms.ChoiceField(label=_("Destination"), choices=DischargeDestination.choices)
    notes = forms.CharField(
        label=_("Discharge notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"left_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class WaitingRequestForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("Facility"), queryset=None, to_field_name="public_id")
    needed_from = forms.DateField(label=_("Bed needed from"), widget=forms.DateInput(attrs=DATE))
    note = forms.CharField(
        label=_("Note for the shelter"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the shelter must know to place the survivor; not the story."),
    )

    def __init__(self, *args, facilities, **kwargs):
        kwargs.setdefault("initial", {"needed_from": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities


class IncidentForm(forms.Form):
    occurred_at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    kind = forms.ChoiceField(label=_("What kind"), choices=IncidentKind.choices)
    description = forms.CharField(
        label=_("What happened"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    residents = forms.MultipleChoiceField(
        label=_("Residents involved"), required=False, widget=forms.CheckboxSelectMultiple
    )
    action_taken = forms.CharField(
        label=_("Action taken"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, residents, **kwargs):
        kwargs.setdefault(
            "initial", {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}
        )
        super().__init__(*args, **kwargs)
        self.fields["residents"].choices = residents

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if not text:
            raise forms.ValidationError(_("Say what happened."))
        return text


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs=DATE))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs=DATE))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end of the period is before its start."))
            elif (end - start).days > 366 * 5:
                self.add_error("end", _("Choose a period of at most five years."))
        return cleaned


# --- Set-up: facilities, rooms and beds ------------------------------------------------------------


class FacilityForm(forms.Form):
    site = forms.ModelChoiceField(
        label=_("Shelter site"),
        queryset=None,
        required=False,
        to_field_name="public_id",
        empty_label=_("A new site (give its name below)"),
        help_text=_("A shelter site of your organisation that has no facility yet."),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("Everyone in the centre sees this name: it must not reveal where it is."),
    )
    address = forms.CharField(
        label=_("Address (confidential)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only shelter managers and directors see it."),
    )
    is_active = forms.BooleanField(label=_("Open: takes admissions"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sites is None:
            # Editing: the site stays; its name is edited here.
            del self.fields["site"]
            self.fields["name"].required = True
        else:
            self.fields["site"].queryset = sites
            del self.fields["version"]

    def clean(self):
        cleaned = super().clean()
        cleaned["name"] = (cleaned.get("name") or "").strip()
        if not cleaned.get("site") and not cleaned["name"] and "name" not in self.errors:
            self.add_error("name", _("Give the facility a name, or choose a site."))
        return cleaned


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Room name"), max_length=100)
    sex = forms.ChoiceField(label=_("For"), choices=RoomSex.choices, initial=RoomSex.ANY)
    age_group = forms.ChoiceField(
        label=_("Age group"), choices=RoomAgeGroup.choices, initial=RoomAgeGroup.MIXED
    )
    min_age = forms.IntegerField(
        label=_("Youngest age"), required=False, min_value=0, max_value=120
    )
    max_age = forms.IntegerField(label=_("Oldest age"), required=False, min_value=0, max_value=120)
    beds = forms.IntegerField(
        label=_("Number of beds"),
        min_value=0,
        max_value=50,
        initial=1,
        help_text=_("Labelled 1, 2, 3…; add or relabel beds afterwards."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["version" if not editing else "beds"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the room a name."))
        return name

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_age"), cleaned.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", _("The oldest age cannot be below the youngest age."))
        return cleaned

    def restrictions(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in ("sex", "age_group", "min_age", "max_age")
        }


class BedAddForm(forms.Form):
    label = forms.CharField(label=_("Bed label"), max_length=40)
    accessible = forms.BooleanField(
        label=_("Accessible (wheelchair, ground floor)"), required=False
    )

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        if not label:
            raise forms.ValidationError(_("Give the bed a label."))
        return label


class BedForm(forms.Form):
    accessible = forms.BooleanField(
        label=_("Accessible (wheelchair, ground floor)"), required=False
    )
    in_service = forms.BooleanField(
        label=_("In service"),
        required=False,
        help_text=_("A bed out of service is not offered and not counted as capacity."),
    )
