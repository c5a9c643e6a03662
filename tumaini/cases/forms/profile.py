"""Forms of the exploitation profile: the profile's vocabularies, trafficking events and suspected
perpetrators. Place choices are read when a form is made, never at import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tumaini.cases.enums import (
    ExploitationType,
    LabourSector,
    MeansOfControl,
    RecruiterRelation,
    SexualExploitationType,
    TraffickingEventType,
)
from tumaini.core.models import Country, County, SubCounty, Ward

KENYA = "KE"


def _checkboxes(label, choices, **kwargs) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        **kwargs,
    )


class ProfileForm(forms.Form):
    exploitation_types = _checkboxes(_("Types of exploitation"), ExploitationType.choices)
    labour_sectors = _checkboxes(
        _("Labour sectors"),
        LabourSector.choices,
        help_text=_("Only for forced labour or child labour."),
    )
    sexual_exploitation_types = _checkboxes(
        _("Types of sexual exploitation"),
        SexualExploitationType.choices,
        help_text=_("Only for sexual exploitation."),
    )
    means_of_control = _checkboxes(_("Means of control"), MeansOfControl.choices)
    recruiter_relation = forms.ChoiceField(
        label=_("The recruiter was"),
        choices=[("", _("— not known yet —")), *RecruiterRelation.choices],
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


def _country_choices(blank: str | None = None) -> list:
    countries = list(Country.objects.order_by("name").values_list("code", "name"))
    # Kenya first: most events of a Nairobi centre happen here.
    countries.sort(key=lambda row: row[0] != KENYA)
    return ([("", blank)] if blank else []) + countries


class TraffickingEventForm(forms.Form):
    type = forms.ChoiceField(label=_("What happened"), choices=TraffickingEventType.choices)
    country = forms.ChoiceField(label=_("Country"))
    county = forms.TypedChoiceField(label=_("County"), coerce=int, required=False, empty_value=None)
    sub_county = forms.TypedChoiceField(
        label=_("Sub-county"), coerce=int, required=False, empty_value=None
    )
    ward = forms.TypedChoiceField(label=_("Ward"), coerce=int, required=False, empty_value=None)
    place_details = forms.CharField(
        label=_("Place details"),
        help_text=_("Estate, building, landmark, business name: whatever helps find the place."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    started_on = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ended_on = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _country_choices()
        self.fields["county"].choices = [
            ("", _("— not in Kenya, or not known —")),
            *County.objects.order_by("name").values_list("code", "name"),
        ]
        sub_counties: dict[str, list] = {}
        for code, name, county in SubCounty.objects.order_by("county__name", "name").values_list(
            "code", "name", "county__name"
        ):
            sub_counties.setdefault(county, []).append((code, name))
        self.fields["sub_county"].choices = [("", _("— not known —")), *sub_counties.items()]
        wards: dict[str, list] = {}
        for code, name, sub_county in Ward.objects.order_by("sub_county__name", "name").values_list(
            "code", "name", "sub_county__name"
        ):
            wards.setdefault(sub_county, []).append((code, name))
        self.fields["ward"].choices = [("", _("— not known —")), *wards.items()]

    def clean(self):
        cleaned = super().clean()
        country = cleaned.get("country")
        county = County.objects.filter(pk=cleaned.get("county")).first()
        sub_county = SubCounty.objects.filter(pk=cleaned.get("sub_county")).first()
        ward = Ward.objects.filter(pk=cleaned.get("ward")).first()
        if country and country != KENYA and (county or sub_county or ward):
            self.add_error("county", _("County, sub-county and ward are only for places in Kenya."))
        if ward and sub_county and ward.sub_county_id != sub_county.pk:
            self.add_error("ward", _("This ward is not in the chosen sub-county."))
        elif ward and sub_county is None:
            sub_county = ward.sub_county
        if sub_county and county and sub_county.county_id != county.pk:
            self.add_error("sub_county", _("This sub-county is not in the chosen county."))
        elif sub_county and county is None:
            county = sub_county.county
        started_on, ended_on = cleaned.get("started_on"), cleaned.get("ended_on")
        if started_on and ended_on and started_on > ended_on:
            self.add_error("ended_on", _("The end date is before the start date."))
        cleaned["country"] = Country.objects.filter(pk=country).first() if country else None
        cleaned["county"], cleaned["sub_county"], cleaned["ward"] = county, sub_county, ward
        cleaned["place_details"] = (cleaned.get("place_details") or "").strip()
        return cleaned

    @staticmethod
    def initial_from(event) -> dict:
        return {
            "type": event.type,
            "country": event.country_id,
            "county": event.county_id,
            "sub_county": event.sub_county_id,
            "ward": event.ward_id,
            "place_details": event.place_details,
            "started_on": event.started_on,
            "ended_on": event.ended_on,
        }


class PerpetratorForm(forms.Form):
    name = forms.CharField(label=_("Name or alias"), required=False, max_length=200)
    description = forms.CharField(
        label=_("Description"),
        help_text=_("What they did, what they look like, where they can be found."),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    relation = forms.ChoiceField(
        label=_("Relation to the survivor"),
        choices=[("", _("— not known —")), *RecruiterRelation.choices],
        required=False,
    )
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = _country_choices(blank=_("— not known —"))

    def clean(self):
        cleaned = super().clean()
        for name in ("name", "description", "phone"):
            cleaned[name] = (cleaned.get(name) or "").strip()
        if not (cleaned["name"] or cleaned["description"] or cleaned["phone"]):
            raise forms.ValidationError(
                _("Give at least a name or alias, a description or a phone number.")
            )
        code = cleaned.get("nationality")
        cleaned["nationality"] = Country.objects.filter(pk=code).first() if code else None
        return cleaned

    @staticmethod
    def initial_from(perpetrator) -> dict:
        return {
            "name": perpetrator.name,
            "description": perpetrator.description,
            "phone": perpetrator.phone,
            "relation": perpetrator.relation,
            "nationality": perpetrator.nationality_id or "",
        }
