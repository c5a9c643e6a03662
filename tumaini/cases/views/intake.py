"""Case views: intake (a new survivor, a new case) and the case page's person and intake parts."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from tumaini.accounts.enums import Role
from tumaini.accounts.models import Organisation, Team, User
from tumaini.cases import intake_prefill, parts
from tumaini.cases.enums import IntakeSource
from tumaini.cases.policies import CASE
from tumaini.cases.services.intake import case_open_from_intake
from tumaini.core import access
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.models import SubCounty
from tumaini.core.widgets import ListSelect
from tumaini.people import selectors as people_selectors
from tumaini.people import services as people_services
from tumaini.people.forms import (
    DATE_INPUT,
    PersonIdentityForm,
    UserChoiceField,
    show_service_errors,
)

IDENTITY_ARGUMENTS = (
    "given_name",
    "other_names",
    "family_name",
    "gender",
    "date_of_birth",
    "date_of_birth_is_estimated",
    "estimated_age",
    "assessed_as_child",
    "citizenship",
    "languages",
    "disability",
    "phone",
    "phone_is_safe",
)
INTAKE_ARGUMENTS = (
    "source",
    "referring_organisation",
    "referrer_details",
    "intake_date",
    "where_identified",
    "sub_county",
    "narrative",
    "immediate_needs",
)


def _text(label, rows=3, **kwargs):
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


class IntakeForm(PersonIdentityForm):
    known_as = forms.CharField(
        label=_("Also known as"),
        required=False,
        max_length=400,
        help_text=_("Other names the survivor uses or was given, separated by commas."),
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    phone_is_safe = forms.BooleanField(
        label=_("The survivor says this phone is safe to call"), required=False
    )
    source = forms.ChoiceField(label=_("How they came"), choices=IntakeSource.choices)
    referring_organisation = forms.ModelChoiceField(
        label=_("Referred by (organisation)"),
        queryset=Organisation.objects.none(),
        required=False,
        to_field_name="public_id",
    )
    referrer_details = _text(_("Referrer details"), help_text=_("Name, office, phone."))
    intake_date = forms.DateField(label=_("Intake date"), widget=DATE_INPUT)
    where_identified = _text(_("Where identified"), rows=2)
    sub_county = forms.ModelChoiceField(
        label=_("Sub-county"), queryset=SubCounty.objects.all(), required=False, widget=ListSelect
    )
    narrative = _text(_("What happened, in brief"), rows=5)
    immediate_needs = _text(_("Immediate needs"))
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), to_field_name="public_id"
    )
    case_manager = UserChoiceField(
        label=_("Case manager"), queryset=User.objects.none(), to_field_name="public_id"
    )
    child_protection_officer = UserChoiceField(
        label=_("Child protection officer"),
        queryset=User.objects.none(),
        to_field_name="public_id",
        required=False,
        help_text=_("Required when the survivor is a child (under 18 or assessed as a child)."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisation_id = user.organisation_id
        members = User.objects.filter(organisation_id=organisation_id, is_active=True)
        self.fields["team"].queryset = Team.objects.filter(organisation_id=organisation_id)
        self.fields["case_manager"].queryset = members.filter(
            role_assignments__role__in=[Role.CASE_MANAGER, Role.DIRECTOR]
        ).distinct()
        self.fields["child_protection_officer"].queryset = members
        self.fields["referring_organisation"].queryset = Organisation.objects.filter(is_active=True)

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "")
        return people_services.normalise_phone(value) if value else ""

    def clean_intake_date(self):
        value = self.cleaned_data["intake_date"]
        if value > timezone.localdate():
            raise ValidationError(_("The intake date cannot be in the future."))
        return value

    def clean(self):
        cleaned = super().clean()
        if self.is_child():
            self.fields["child_protection_officer"].required = True
            if not cleaned.get("child_protection_officer"):
                self.add_error(
                    "child_protection_officer",
                    _("The survivor is a child: choose a child protection officer."),
                )
        return cleaned

    def aliases(self) -> list[str]:
        raw = self.cleaned_data.get("known_as") or ""
        return [name.strip() for name in raw.split(",") if name.strip()]


def _initial(user, report=None) -> dict:
    initial = {
        "intake_date": timezone.localdate(),
        "team": getattr(user.teams.order_by("name").first(), "public_id", None),
        "case_manager": user.public_id,
    }
    if report is not None:
        initial.update(
            source=IntakeSource.PUBLIC_REPORT,
            referrer_details=_("Public report %(reference)s")
            % {"reference": report.display_reference},
            sub_county=report.sub_county_id,
        )
    return initial


def _source_report(request):
    """The public report this intake starts from (`?report=<public id>`), or None; a report the
    user may not link is a 404, like any record outside their scope."""
    public_id = _uuid_or_none(request.GET.get("report", ""))
    if public_id is None:
        return None
    from tumaini.tips.services.links import report_for_linking

    return report_for_linking(user=request.user, public_id=public_id)


@login_required
@never_cache
def intake_new(request):
    access.require(request.user, CASE, access.CREATE)
    # Started from a public report (?report=) or from what another app received (?from=&id=).
    report = _source_report(request)
    prefill, prefill_id, prefilled = _prefill(request)
    form = IntakeForm(
        request.POST or None,
        user=request.user,
        initial={**_initial(request.user, report), **prefilled},
    )
    duplicates = None
    if request.method == "POST" and form.is_valid():
        decision = request.POST.get("decision", "")
        linked = None
        if decision.startswith("link:"):
            linked = people_selectors.person_linkable(
                user=request.user, public_id=_uuid_or_none(decision[5:])
            )
            if linked is None:
                form.add_error(None, _("That person cannot be chosen. Check again below."))
        elif decision != "new":
            data = form.cleaned_data
            duplicates = people_selectors.person_duplicate_candidates(
                user=request.user,
                given_name=data["given_name"],
                family_name=data["family_name"],
                other_names=data["other_names"],
                birth_year=form.birth_year(),
                phone=data["phone"],
                aliases=form.aliases(),
                request=request,
            )
        if not form.errors and not duplicates:
            # The case and the link back to what prefilled it are written together.
            with transaction.atomic():
                case = _open(request, form, linked, report)
                if case is not None and prefill is not None:
                    prefill.opened(
                        user=request.user, public_id=prefill_id, case=case, request=request
                    )
            if case is not None:
                # Consent is the next step of the journey, and this tab shows whom the case is about.
                return redirect(parts.section_url(case, "person"))
    return render(
        request,
        "cases/intake.html",
        {"form": form, "duplicates": duplicates, "groups": _groups(form), "report": report},
        status=400 if form.errors else 200,
    )


FIELD_GROUPS = (
    (
        _("The survivor"),
        (
            "given_name",
            "other_names",
            "family_name",
            "known_as",
            "gender",
            "date_of_birth",
            "date_of_birth_is_estimated",
            "estimated_age",
            "assessed_as_child",
            "citizenship",
            "languages",
            "disability",
            "phone",
            "phone_is_safe",
        ),
    ),
    (_("How they came"), INTAKE_ARGUMENTS),
    (_("Who looks after the case"), ("team", "case_manager", "child_protection_officer")),
)


def _groups(form) -> list[dict]:
    return [
        {"title": title, "fields": [form[name] for name in names]} for title, names in FIELD_GROUPS
    ]


def _prefill(request) -> tuple:
    """(source, its id, initial values) from ?from=&id=, or (None, None, {}) when not usable."""
    prefill = intake_prefill.PREFILLS.get(request.GET.get("from", ""))
    public_id = _uuid_or_none(request.GET.get("id", ""))
    if prefill is None or public_id is None:
        return None, None, {}
    initial = prefill.initial(user=request.user, public_id=public_id)
    if initial is None:
        return None, None, {}
    return prefill, public_id, initial


def _uuid_or_none(value: str):
    import uuid

    try:
        return uuid.UUID(value)
    except (ValueError, AttributeError):
        return None


def _open(request, form: IntakeForm, linked, report=None):
    data = form.cleaned_data
    identity = None
    if linked is None:
        identity = {name: data[name] for name in IDENTITY_ARGUMENTS}
        identity["aliases"] = form.aliases()
    try:
        return case_open_from_intake(
            actor=request.user,
            person=linked,
            identity=identity,
            intake={name: data[name] for name in INTAKE_ARGUMENTS},
            team=data["team"],
            case_manager=data["case_manager"],
            child_protection_officer=data["child_protection_officer"],
            source_report=report,
            request=request,
        )
    except ValidationError as error:
        if "child_protection_officer" in getattr(error, "error_dict", {}):
            form.fields["child_protection_officer"].required = True
        show_service_errors(form, error)
        return None


# --- Case page parts -----------------------------------------------------------------------------


def person_part_context(*, user, case) -> dict:
    """The survivor's identity on their case page. Who may view the case sees the full name; the
    read of the identity is audited on the person too."""
    person = case.person
    audit_record(
        action=AuditAction.VIEW, actor=user, obj=person, detail={"case": str(case.public_id)}
    )
    return {
        "person": person,
        "age": person.age_on(timezone.localdate()),
        "may_edit_person": people_selectors.may_update_person(user=user, person=person),
        **people_selectors.person_parts(person=person),
    }


def intake_part_context(*, user, case) -> dict:
    from tumaini.cases.models import Intake

    intake = Intake.objects.select_related("referring_organisation", "sub_county", "recorded_by")
    return {"intake": intake.filter(case=case).first()}


parts.register(
    parts.CasePart(
        key="person",
        section="person",
        title=_("Survivor"),
        template="cases/parts/person.html",
        context=person_part_context,
        order=10,
    )
)
parts.register(
    parts.CasePart(
        key="intake",
        section="person",
        title=_("Intake"),
        template="cases/parts/intake.html",
        context=intake_part_context,
        order=20,
    )
)

urlpatterns = [path("new/", intake_new, name="intake")]
