"""Forms of the staff administration pages. They check the shape of what was typed; the rules
(teams inside the organisation, who may grant which role, stale edits) live in services."""

from __future__ import annotations

import phonenumbers
from allauth.account.forms import ChangePasswordForm
from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tumaini.accounts.enums import OrganisationType, Role, SiteType
from tumaini.accounts.models import Organisation, Site, Team, User
from tumaini.core.models import County, SubCounty


class StateField(forms.CharField):
    """The hidden concurrency token of an edit form (see services.state_token)."""

    def __init__(self, **kwargs):
        super().__init__(widget=forms.HiddenInput, required=True, **kwargs)


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class TeamChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Team) -> str:
        return f"{obj.organisation.name} — {obj.name}"


class SubCountyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SubCounty) -> str:
        return f"{obj.name} ({obj.county.name})"


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        full_name = obj.get_full_name()
        return f"{full_name} ({obj.username})" if full_name else obj.username


# --- Organisations, sites, teams ----------------------------------------------------------------


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=40, required=False)
    type = forms.ChoiceField(label=_("Type"), choices=OrganisationType.choices)
    county = forms.ModelChoiceField(
        label=_("County"), queryset=County.objects.order_by("name"), required=False
    )


class OrganisationEditForm(OrganisationForm):
    state = StateField()


class SiteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=SiteType.choices)
    sub_county = SubCountyChoiceField(
        label=_("Sub-county"),
        queryset=SubCounty.objects.select_related("county").order_by("county__name", "name"),
        required=False,
    )
    is_confidential = forms.BooleanField(
        label=_("Confidential location"),
        required=False,
        help_text=_("A shelter's address is never shown on public pages or to partners."),
    )


class SiteEditForm(SiteForm):
    state = StateField()


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), required=False, to_field_name="public_id"
    )
    members = MemberChoiceField(
        label=_("Members"),
        queryset=User.objects.none(),
        required=False,
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(organisation=organisation)
        self.fields["members"].queryset = User.objects.filter(
            organisation=organisation, is_active=True
        ).order_by("username")


class TeamEditForm(TeamForm):
    state = StateField()


# --- Staff accounts -----------------------------------------------------------------------------


def normalise_phone(value: str) -> str:
    """Kenyan numbers may be typed locally (0712 345678); stored in E.164 (+254712345678)."""
    value = value.strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "KE")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(_("Enter a valid phone number."), code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class StaffForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(
        label=_("Work phone"),
        max_length=20,
        required=False,
        help_text=_("Stored encrypted."),
    )
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        to_field_name="public_id",
    )
    teams = TeamChoiceField(
        label=_("Teams"),
        queryset=Team.objects.select_related("organisation")
        .filter(organisation__is_active=True)
        .order_by("organisation__name", "name"),
        required=False,
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only teams of the person's organisation."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])


class StaffCreateForm(StaffForm):
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Leave empty to generate a random one, shown to you once. When they first sign in, "
            "the person chooses their own password and sets up two-factor sign-in."
        ),
    )


class StaffEditForm(StaffForm):
    state = StateField()

    def __init__(self, *args, staff: User, **kwargs):
        super().__init__(*args, **kwargs)
        # The person's current organisation stays selectable even if it was deactivated since.
        self.fields["organisation"].queryset = Organisation.objects.filter(
            Q(is_active=True) | Q(pk=staff.organisation_id)
        ).order_by("name")
        self.fields["teams"].queryset = (
            Team.objects.select_related("organisation")
            .filter(Q(organisation__is_active=True) | Q(members=staff))
            .distinct()
            .order_by("organisation__name", "name")
        )


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        to_field_name="public_id",
        empty_label=_("All organisations"),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("All roles")), *Role.choices], required=False
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ResetMFAForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: phone lost, reported by the person on a call with you."),
    )


class ResetPasswordForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: password forgotten, reported by the person on a call with you."),
    )


class PasswordChangeForm(ChangePasswordForm):
    """allauth's own change form (ACCOUNT_FORMS), refusing to keep the current password: after a
    reset or a first sign-in the current one is the password an administrator knows."""

    def clean(self):
        cleaned_data = super().clean()
        current, new = cleaned_data.get("oldpassword"), cleaned_data.get("password1")
        if current and new and current == new:
            self.add_error("password1", _("Choose a new password, not the one you have now."))
        return cleaned_data
