"""Forms for survivor identities. Ages are checked by the same rule the services apply
(people.services.validate_age), so the error shows next to the field at fault."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tumaini.core.models import Country, Language
from tumaini.core.widgets import ListSelect, ListSelectMultiple
from tumaini.people import services
from tumaini.people.enums import ContactKind, Disability, Gender, IdentityDocumentKind

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


def show_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's errors next to the fields they name (the rest above the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class PersonIdentityForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    other_names = forms.CharField(label=_("Other names"), max_length=200, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    gender = forms.ChoiceField(
        label=_("Sex / gender"), choices=Gender.choices, initial=Gender.UNKNOWN
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DATE_INPUT)
    date_of_birth_is_estimated = forms.BooleanField(
        label=_("The date of birth is estimated"), required=False
    )
    estimated_age = forms.IntegerField(
        label=_("Estimated age (years)"),
        required=False,
        help_text=_("Only when the date of birth is not known."),
    )
    assessed_as_child = forms.BooleanField(
        label=_("Assessed as a child"),
        required=False,
        help_text=_("An age assessment found the survivor is under 18, whatever the papers say."),
    )
    citizenship = forms.ModelChoiceField(
        label=_("Citizenship"), queryset=Country.objects.all(), required=False, widget=ListSelect
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages"),
        queryset=Language.objects.all(),
        required=False,
        widget=ListSelectMultiple,
    )
    disability = forms.ChoiceField(
        label=_("Disability"), choices=Disability.choices, initial=Disability.UNKNOWN
    )

    def clean(self):
        cleaned = super().clean()
        try:
            services.validate_age(
                date_of_birth=cleaned.get("date_of_birth"),
                estimated_age=cleaned.get("estimated_age"),
            )
        except ValidationError as error:
            show_service_errors(self, error)
        return cleaned

    def is_child(self) -> bool:
        cleaned = getattr(self, "cleaned_data", {})
        return services.child_status(
            date_of_birth=cleaned.get("date_of_birth"),
            estimated_age=cleaned.get("estimated_age"),
            age_estimated_on=None if cleaned.get("estimated_age") is None else _today(),
            assessed_as_child=bool(cleaned.get("assessed_as_child")),
        )

    def birth_year(self) -> int | None:
        cleaned = getattr(self, "cleaned_data", {})
        if cleaned.get("date_of_birth"):
            return cleaned["date_of_birth"].year
        if cleaned.get("estimated_age") is not None:
            return _today().year - cleaned["estimated_age"]
        return None


def _today():
    from django.utils import timezone

    return timezone.localdate()


class PersonEditForm(PersonIdentityForm):
    disability_notes = forms.CharField(
        label=_("Disability notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # The version the user read: the update is refused if another edit landed since.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PersonAliasForm(forms.Form):
    name = forms.CharField(label=_("Also known as"), max_length=200)


class PersonContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices)
    value = forms.CharField(label=_("Contact"), max_length=500)
    is_safe_to_use = forms.BooleanField(
        label=_("Safe to contact"),
        required=False,
        help_text=_("Only if the survivor said this contact is safe (a trafficker may hold it)."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == ContactKind.PHONE and cleaned.get("value"):
            try:
                cleaned["value"] = services.normalise_phone(cleaned["value"])
            except ValidationError as error:
                self.add_error("value", error)
        return cleaned


class PersonDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=IdentityDocumentKind.choices)
    number = forms.CharField(label=_("Number"), max_length=60)
    issuing_country = forms.ModelChoiceField(
        label=_("Issued by"), queryset=Country.objects.all(), required=False, widget=ListSelect
    )
    held_by_survivor = forms.BooleanField(
        label=_("The survivor holds the original"), required=False, initial=True
    )


class MergeSearchForm(forms.Form):
    kept_case = forms.CharField(
        label=_("Case number of the person to keep"),
        max_length=20,
        help_text=_("For example TUM-26-K7QX-M3"),
    )
    duplicate_case = forms.CharField(
        label=_("Case number of the duplicate"),
        max_length=20,
        help_text=_("Everything of this person moves to the person kept."),
    )


class MergeForm(forms.Form):
    kept = forms.UUIDField(widget=forms.HiddenInput)
    duplicate = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why are these the same person?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
