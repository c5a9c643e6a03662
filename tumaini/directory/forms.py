"""Forms of the partner directory. Place and language choices are read when a form is made."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tumaini.accounts.models import Site
from tumaini.care.enums import ServiceType
from tumaini.core.models import County, Language, SubCounty, Ward
from tumaini.directory.enums import (
    EligibleNationality,
    EligibleSex,
    LocationType,
    MouStatus,
    PhoneType,
    ServiceStatus,
)
from tumaini.directory.models import PartnerService


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Name or keyword"), required=False, max_length=100)
    service_type = forms.ChoiceField(
        label=_("Need"),
        required=False,
        choices=[("", _("any service")), *ServiceType.choices],
    )
    county = forms.ModelChoiceField(
        label=_("County"), required=False, queryset=County.objects.none(), empty_label=_("any")
    )
    sub_county = forms.ModelChoiceField(
        label=_("Sub-county"),
        required=False,
        queryset=SubCounty.objects.none(),
        empty_label=_("any"),
    )
    active_only = forms.BooleanField(label=_("Only active services"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = County.objects.order_by("name")
        self.fields["sub_county"].queryset = SubCounty.objects.select_related("county").order_by(
            "county__name", "name"
        )
        self.fields["sub_county"].label_from_instance = lambda sub: f"{sub.name} ({sub.county})"

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())


class DirectoryProfileForm(forms.Form):
    alternate_name = forms.CharField(label=_("Also known as"), required=False, max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the organisation does, in a few sentences. It is published."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("Email"), required=False)
    legal_status = forms.CharField(
        label=_("Legal status"),
        required=False,
        max_length=200,
        help_text=_("For example: registered NGO, county government department, embassy."),
    )
    is_listed = forms.BooleanField(
        label=_("Listed in the directory"),
        required=False,
        help_text=_("Unlisted entries are seen only by staff and never published."),
    )
    mou_status = forms.ChoiceField(label=_("MoU status"), choices=MouStatus.choices)
    mou_signed_on = forms.DateField(
        label=_("MoU signed on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    mou_expires_on = forms.DateField(
        label=_("MoU expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    mou_notes = forms.CharField(
        label=_("MoU notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Internal: never published."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, may_edit_mou: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_edit_mou:
            for name in ("mou_status", "mou_signed_on", "mou_expires_on", "mou_notes"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        status = data.get("mou_status")
        signed, expires = data.get("mou_signed_on"), data.get("mou_expires_on")
        if status in (MouStatus.SIGNED, MouStatus.EXPIRED) and not signed:
            self.add_error(
                "mou_signed_on", _("A signed or expired MoU needs the date it was signed.")
            )
        if signed and expires and expires < signed:
            self.add_error("mou_expires_on", _("The MoU cannot expire before it was signed."))
        return data


class PartnerServiceForm(forms.Form):
    name = forms.CharField(label=_("Name of the service"), max_length=200)
    alternate_name = forms.CharField(label=_("Also known as"), required=False, max_length=200)
    service_types = forms.MultipleChoiceField(
        label=_("Service types"),
        choices=ServiceType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What a survivor can be referred here for."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ServiceStatus.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    url = forms.URLField(label=_("Web page"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("Email"), required=False)
    eligible_sex = forms.ChoiceField(label=_("Sex"), choices=EligibleSex.choices)
    eligible_nationality = forms.ChoiceField(
        label=_("Nationality"), choices=EligibleNationality.choices
    )
    minimum_age = forms.IntegerField(
        label=_("Minimum age"), required=False, min_value=0, max_value=120
    )
    maximum_age = forms.IntegerField(
        label=_("Maximum age"), required=False, min_value=0, max_value=120
    )
    eligibility_description = forms.CharField(
        label=_("Who else is eligible"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages"),
        required=False,
        queryset=Language.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    catchment_counties = forms.ModelMultipleChoiceField(
        label=_("Counties served"),
        required=False,
        queryset=County.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    catchment_sub_counties = forms.ModelMultipleChoiceField(
        label=_("Sub-counties served"),
        required=False,
        queryset=SubCounty.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    fees_description = forms.CharField(
        label=_("Fees"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    application_process = forms.CharField(
        label=_("How to refer"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    wait_time = forms.CharField(label=_("Waiting time"), required=False, max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisation, service=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.service = service
        self.fields["languages"].queryset = Language.objects.order_by("name")
        self.fields["catchment_counties"].queryset = County.objects.order_by("name")
        self.fields["catchment_sub_counties"].queryset = SubCounty.objects.select_related(
            "county"
        ).order_by("county__name", "name")

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        others = PartnerService.objects.filter(organisation=self.organisation, name__iexact=name)
        if self.service is not None:
            others = others.exclude(pk=self.service.pk)
        if others.exists():
            raise forms.ValidationError(_("This organisation already has a service of that name."))
        return name

    def clean(self):
        data = super().clean()
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and high < low:
            self.add_error("maximum_age", _("The maximum age cannot be below the minimum age."))
        for name in (
            "alternate_name",
            "description",
            "url",
            "email",
            "eligibility_description",
            "fees_description",
            "application_process",
            "wait_time",
        ):
            if data.get(name) is None and name in self.fields:
                data[name] = ""
        return data


WEEKDAYS = [
    ("MO", _("Monday")),
    ("TU", _("Tuesday")),
    ("WE", _("Wednesday")),
    ("TH", _("Thursday")),
    ("FR", _("Friday")),
    ("SA", _("Saturday")),
    ("SU", _("Sunday")),
]


class LocationForm(forms.Form):
    name = forms.CharField(label=_("Name of the place"), max_length=200)
    location_type = forms.ChoiceField(label=_("Type"), choices=LocationType.choices)
    site = forms.ModelChoiceField(
        label=_("Site of the organisation"),
        required=False,
        queryset=Site.objects.none(),
        help_text=_("A confidential site makes this location confidential too."),
    )
    is_confidential = forms.BooleanField(
        label=_("Confidential location (a shelter)"),
        required=False,
        help_text=_(
            "Its address and coordinates are never published, and no coordinates are kept."
        ),
    )
    address_1 = forms.CharField(label=_("Street address"), required=False, max_length=300)
    city = forms.CharField(label=_("Town"), required=False, max_length=100)
    postal_code = forms.CharField(label=_("Postal code"), required=False, max_length=20)
    county = forms.ModelChoiceField(
        label=_("County"), required=False, queryset=County.objects.none()
    )
    sub_county = forms.ModelChoiceField(
        label=_("Sub-county"), required=False, queryset=SubCounty.objects.none()
    )
    ward = forms.ModelChoiceField(label=_("Ward"), required=False, queryset=Ward.objects.none())
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
    )
    description = forms.CharField(
        label=_("Directions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Services offered here"),
        required=False,
        queryset=PartnerService.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(organisation=organisation)
        self.fields["county"].queryset = County.objects.order_by("name")
        self.fields["sub_county"].queryset = SubCounty.objects.order_by("county__name", "name")
        self.fields["ward"].queryset = Ward.objects.select_related("sub_county").order_by(
            "sub_county__name", "name"
        )
        self.fields["services"].queryset = PartnerService.objects.filter(
            organisation=organisation
        ).order_by("name")

    def clean(self):
        data = super().clean()
        site = data.get("site")
        confidential = data.get("is_confidential") or bool(site and site.is_confidential)
        if confidential and (data.get("latitude") is not None or data.get("longitude") is not None):
            self.add_error(
                "latitude", _("A confidential location keeps no coordinates: leave them empty.")
            )
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("Give both coordinates, or neither."))
        sub_county, ward = data.get("sub_county"), data.get("ward")
        if ward and sub_county and ward.sub_county_id != sub_county.pk:
            self.add_error("ward", _("This ward is not in the sub-county chosen."))
        county = data.get("county")
        if sub_county and county and sub_county.county_id != county.pk:
            self.add_error("sub_county", _("This sub-county is not in the county chosen."))
        for name in ("address_1", "city", "postal_code", "description"):
            data[name] = (data.get(name) or "").strip()
        return data


class ScheduleForm(forms.Form):
    days = forms.MultipleChoiceField(
        label=_("Days"), choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple
    )
    opens_at = forms.TimeField(
        label=_("Opens at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    closes_at = forms.TimeField(
        label=_("Closes at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    description = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=200,
        help_text=_("For example: public holidays closed."),
    )

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if (opens is None) != (closes is None):
            self.add_error(
                "closes_at", _("Give both the opening and the closing time, or neither.")
            )
        elif opens is not None and closes <= opens:
            self.add_error("closes_at", _("Closing time must be after opening time."))
        # Keep RFC 5545's weekday order whatever order the boxes came in.
        order = [code for code, _label in WEEKDAYS]
        data["days"] = sorted(data.get("days") or [], key=order.index)
        return data


class PhoneForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=30)
    extension = forms.CharField(label=_("Extension"), required=False, max_length=10)
    type = forms.ChoiceField(label=_("Type"), choices=PhoneType.choices)
    description = forms.CharField(label=_("What the number is for"), required=False, max_length=200)

    def clean_number(self):
        number = " ".join(self.cleaned_data["number"].split())
        if not any(ch.isdigit() for ch in number) or any(
            ch not in "0123456789 +-()" for ch in number
        ):
            raise forms.ValidationError(_("Enter a phone number: digits, spaces and a leading +."))
        return number

    def clean_extension(self):
        extension = self.cleaned_data["extension"].strip()
        if extension and not extension.isdigit():
            raise forms.ValidationError(_("An extension is digits only."))
        return extension


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    title = forms.CharField(label=_("Job title"), required=False, max_length=200)
    department = forms.CharField(label=_("Department"), required=False, max_length=200)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=30)
    email = forms.EmailField(label=_("Email"), required=False)
    service = forms.ModelChoiceField(
        label=_("For the service"),
        required=False,
        queryset=PartnerService.objects.none(),
        empty_label=_("the whole organisation"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = PartnerService.objects.filter(
            organisation=organisation
        ).order_by("name")

    def clean(self):
        data = super().clean()
        for name in ("title", "department", "phone", "email"):
            data[name] = (data.get(name) or "").strip()
        return data
