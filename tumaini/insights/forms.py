"""The dashboard's filters: period, organisation (county-wide viewers only), sub-county, map."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tumaini.insights.enums import ReportPeriod
from tumaini.insights.figures import Filters, nairobi_sub_counties

MAPS = [
    ("survivors", _("Identified survivors")),
    ("reports", _("Public reports")),
    ("recruitment", _("Recruitment places")),
]
LEVELS = [("sub_county", _("Sub-counties")), ("ward", _("Wards"))]


class DashboardFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=None, required=False, empty_label=_("all")
    )
    sub_county = forms.TypedChoiceField(
        label=_("Sub-county"), required=False, coerce=int, empty_value=None
    )
    map = forms.ChoiceField(label=_("Map shows"), choices=MAPS, required=False)
    level = forms.ChoiceField(label=_("Map by"), choices=LEVELS, required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if not organisations.exists():
            del self.fields["organisation"]
        self.fields["sub_county"].choices = [("", _("all of Nairobi"))] + [
            (s.code, s.name) for s in nairobi_sub_counties()
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period is before its start."))
        return cleaned

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_valid() else {}
        organisation = data.get("organisation")
        return Filters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            organisation_id=organisation.pk if organisation else None,
            sub_county_code=data.get("sub_county"),
        )


class SituationReportForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Report"), choices=ReportPeriod.choices, initial=ReportPeriod.MONTHLY
    )
    month = forms.DateField(
        label=_("Month (for a quarter: any month in it)"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
