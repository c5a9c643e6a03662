"""Forms of referrals: making one (service, reason, urgency, the fields shared), answering one, the
one-time link, and a partner's referral to the centre."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tumaini.accounts.enums import Role
from tumaini.accounts.models import Organisation
from tumaini.core.models import Country
from tumaini.directory.enums import ServiceStatus
from tumaini.directory.models import PartnerService
from tumaini.people.enums import Gender
from tumaini.referrals.enums import ReferralUrgency, SharedField


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.organisation.name} — {obj.name}"


class ReferralForm(forms.Form):
    service = ServiceChoiceField(
        label=_("Partner service"),
        queryset=PartnerService.objects.none(),
        to_field_name="public_id",
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=ReferralUrgency.choices,
        initial=ReferralUrgency.ROUTINE,
        help_text=_(
            "The partner must acknowledge an emergency within 2 hours, an urgent referral within "
            "a day, a routine one within 5 days."
        ),
    )
    reason = forms.CharField(
        label=_("Reason for the referral"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The partner reads this. Write only what they need to help."),
    )
    shared_fields = forms.MultipleChoiceField(
        label=_("Information shared with the partner"),
        choices=SharedField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose the least the partner needs. The reason is always shared."),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = (
            PartnerService.objects.filter(status=ServiceStatus.ACTIVE, organisation__is_active=True)
            .exclude(organisation_id=case.organisation_id)
            .select_related("organisation")
            .order_by("organisation__name", "name")
        )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why you refer the survivor."))
        return reason


class SendForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    override_reason = forms.CharField(
        label=_("Why send without the survivor's consent (directors only)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only when the survivor's life or safety is at stake. This is audited."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the referral cancelled?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LinkForm(forms.Form):
    phone = forms.CharField(
        label=_("Partner's mobile number (optional)"),
        required=False,
        max_length=40,
        help_text=_(
            "With a number, the link goes by SMS. Without, it is shown to you once, to send by "
            "e-mail or read out on the phone."
        ),
    )


class DeclineForm(forms.Form):
    note = forms.CharField(
        label=_("Why do you decline?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The centre reads this to find another service."),
    )


class OutcomeForm(forms.Form):
    note = forms.CharField(
        label=_("Outcome"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done for the person, and anything the centre should follow up."),
    )


def respond_forms(data=None, *, step: str = "") -> dict:
    """The decline and outcome forms of a partner's answer page; only the one posted is bound."""
    return {
        "decline_form": DeclineForm(data if step == "decline" else None, prefix="decline"),
        "outcome_form": OutcomeForm(data if step == "complete" else None, prefix="complete"),
    }


def _text(label, rows=3, **kwargs):
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


class IncomingReferralForm(forms.Form):
    to_organisation = forms.ModelChoiceField(
        label=_("Refer to"), queryset=Organisation.objects.none(), to_field_name="public_id"
    )
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    gender = forms.ChoiceField(
        label=_("Sex / gender"), choices=Gender.choices, initial=Gender.UNKNOWN
    )
    estimated_age = forms.IntegerField(
        label=_("Age (estimated)"), min_value=0, max_value=120, required=False
    )
    citizenship = forms.ModelChoiceField(
        label=_("Nationality"), queryset=Country.objects.all(), required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=ReferralUrgency.choices)
    reason = forms.CharField(
        label=_("Reason for the referral"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    referrer_contact = _text(_("Who the centre should call back"), rows=2, max_length=1000)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Centres using Tumaini: organisations whose staff take intakes.
        self.fields["to_organisation"].queryset = (
            Organisation.objects.filter(
                Q(users__role_assignments__role=Role.CASE_MANAGER), is_active=True
            )
            .exclude(pk=user.organisation_id)
            .distinct()
            .order_by("name")
        )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why you refer this person."))
        return reason


class DeclineIncomingForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the referral declined?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
