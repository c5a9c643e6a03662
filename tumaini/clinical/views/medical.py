"""Medical record pages for the organisation's medical officers; on the case page, the dates the
medical team saw the survivor. Registers the case part "medical" (82) and the home panel
"open_hospital_referrals"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tumaini.cases import parts
from tumaini.clinical import forms
from tumaini.clinical.models import HospitalReferral, MedicalCondition, TreatmentConsent
from tumaini.clinical.selectors import medical as selectors
from tumaini.clinical.selectors.counselling import list_name
from tumaini.clinical.services import medical as services
from tumaini.core import home
from tumaini.core.access import CREATE, UPDATE
from tumaini.core.editing import submit_or_show


def _medical_context(*, user, case) -> dict:
    return selectors.medical_summary(case=case)


parts.register(
    parts.CasePart(
        key="medical",
        section="care",
        title=gettext_lazy("Medical care"),
        template="clinical/parts/medical.html",
        context=_medical_context,
        order=82,
    )
)


def _open_referrals_panel(*, user):
    referrals = selectors.open_referrals_of(user=user)
    if referrals is None:
        return None
    return {"referrals": referrals}


home.register(
    home.HomePanel(
        key="open_hospital_referrals",
        template="clinical/home/open_referrals.html",
        context=_open_referrals_panel,
    )
)


def _record_url(case) -> str:
    return reverse("clinical:medical_record", kwargs={"public_id": case.public_id})


def _form_page(request, *, case, form, title, submit, conflict=None):
    return render(
        request,
        "clinical/medical_form.html",
        {
            "case": case,
            "display_name": list_name(case.person),
            "form": form,
            "title": title,
            "submit": submit,
            "conflict": conflict,
        },
        status=409 if conflict else (400 if form.is_bound and form.errors else 200),
    )


@login_required
@require_http_methods(["GET", "POST"])
def patient_list(request):
    finder = forms.CaseNumberForm(request.POST or None)
    if request.method == "POST" and finder.is_valid():
        case = selectors.case_by_number(
            user=request.user, case_number=finder.cleaned_data["case_number"]
        )
        if case is not None:
            return redirect(_record_url(case))
        finder.add_error("case_number", gettext("No case with this number in your organisation."))
    patients = selectors.patients_of(user=request.user, request=request)
    return render(
        request,
        "clinical/patient_list.html",
        {"patients": patients, "finder": finder},
        status=400 if finder.is_bound and finder.errors else 200,
    )


@login_required
@require_http_methods(["GET"])
def medical_record(request, public_id):
    case = selectors.medical_case(user=request.user, public_id=public_id)
    record = selectors.medical_record_of(user=request.user, case=case, request=request)
    return render(
        request,
        "clinical/medical_record.html",
        {
            "case": case,
            "display_name": list_name(case.person),
            "active_consent": services.treatment_consent_active(case=case),
            **record,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_add(request, public_id):
    case = selectors.medical_case(
        user=request.user, public_id=public_id, action=CREATE, request=request
    )
    form = forms.TreatmentConsentForm(request.POST or None)
    return submit_or_show(
        request,
        form,
        lambda values: services.treatment_consent_record(
            actor=request.user, case=case, request=request, **values
        ),
        refusals=services.MedicalRefused,
        saved_message=gettext("Consent to treatment recorded."),
        saved_url=_record_url(case),
        show=lambda conflict: _form_page(
            request,
            case=case,
            form=form,
            title=gettext("Record a consent to treatment"),
            submit=gettext("Record the consent"),
        ),
    )


@login_required
@require_POST
def consent_withdraw(request, public_id, item_id):
    case = selectors.medical_case(user=request.user, public_id=public_id, action=UPDATE)
    consent = selectors.medical_item(
        user=request.user, case=case, model=TreatmentConsent, public_id=item_id, action=UPDATE
    )
    try:
        services.treatment_consent_withdraw(actor=request.user, consent=consent, request=request)
    except services.MedicalRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, gettext("Consent to treatment withdrawn."))
    return redirect(_record_url(case))


@login_required
@require_http_methods(["GET", "POST"])
def visit_add(request, public_id):
    case = selectors.medical_case(
        user=request.user, public_id=public_id, action=CREATE, request=request
    )
    form = forms.MedicalVisitForm(request.POST or None)
    return submit_or_show(
        request,
        form,
        lambda values: services.medical_visit_record(
            actor=request.user, case=case, request=request, **values
        ),
        refusals=services.MedicalRefused,
        saved_message=gettext("Visit recorded."),
        saved_url=_record_url(case),
        show=lambda conflict: _form_page(
            request,
            case=case,
            form=form,
            title=gettext("Record a visit"),
            submit=gettext("Record the visit"),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def condition_add(request, public_id):
    case = selectors.medical_case(
        user=request.user, public_id=public_id, action=CREATE, request=request
    )
    form = forms.MedicalConditionForm(request.POST or None)
    return submit_or_show(
        request,
        form,
        lambda values: services.medical_condition_record(
            actor=request.user,
            case=case,
            request=request,
            **{name: value for name, value in values.items() if name != "version"},
        ),
        saved_message=gettext("Condition recorded."),
        saved_url=_record_url(case),
        show=lambda conflict: _form_page(
            request,
            case=case,
            form=form,
            title=gettext("Record a condition"),
            submit=gettext("Record the condition"),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def condition_edit(request, public_id, item_id):
    case = selectors.medical_case(user=request.user, public_id=public_id, action=UPDATE)
    condition = selectors.medical_item(
        user=request.user,
        case=case,
        model=MedicalCondition,
        public_id=item_id,
        action=UPDATE,
        request=request,
    )
    if request.method == "POST":
        form = forms.MedicalConditionForm(request.POST)
    else:
        form = forms.MedicalConditionForm(
            initial={
                "name": condition.name,
                "status": condition.status,
                "since": condition.since,
                "version": condition.version,
            }
        )
    return submit_or_show(
        request,
        form,
        lambda values: services.medical_condition_update(
            actor=request.user,
            condition=condition,
            expected_version=values["version"] or 0,
            values=values,
            request=request,
        ),
        saved_message=gettext("Condition saved."),
        saved_url=_record_url(case),
        show=lambda conflict: _form_page(
            request,
            case=case,
            form=form,
            title=gettext("Edit a condition"),
            submit=gettext("Save"),
            conflict=conflict,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_add(request, public_id):
    case = selectors.medical_case(
        user=request.user, public_id=public_id, action=CREATE, request=request
    )
    form = forms.HospitalReferralForm(request.POST or None, hospitals=selectors.hospitals())
    return submit_or_show(
        request,
        form,
        lambda values: services.hospital_referral_record(
            actor=request.user, case=case, request=request, **values
        ),
        refusals=services.MedicalRefused,
        saved_message=gettext("Referral to hospital recorded."),
        saved_url=_record_url(case),
        show=lambda conflict: _form_page(
            request,
            case=case,
            form=form,
            title=gettext("Refer to hospital"),
            submit=gettext("Record the referral"),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_outcome(request, public_id, item_id):
    case = selectors.medical_case(user=request.user, public_id=public_id, action=UPDATE)
    referral = selectors.medical_item(
        user=request.user,
        case=case,
        model=HospitalReferral,
        public_id=item_id,
        action=UPDATE,
        request=request,
    )
    if request.method == "POST":
        form = forms.ReferralOutcomeForm(request.POST)
    else:
        form = forms.ReferralOutcomeForm(
            initial={
                "outcome": referral.outcome,
                "outcome_on": referral.outcome_on,
                "outcome_notes": referral.outcome_notes,
                "version": referral.version,
            }
        )
    return submit_or_show(
        request,
        form,
        lambda values: services.hospital_referral_outcome(
            actor=request.user,
            referral=referral,
            expected_version=values["version"],
            outcome=values["outcome"],
            outcome_notes=values["outcome_notes"],
            outcome_on=values["outcome_on"],
            request=request,
        ),
        refusals=services.MedicalRefused,
        saved_message=gettext("Referral outcome saved."),
        saved_url=_record_url(case),
        show=lambda conflict: _form_page(
            request,
            case=case,
            form=form,
            title=gettext("Outcome of the referral to hospital"),
            submit=gettext("Save"),
            conflict=conflict,
        ),
    )


urlpatterns = [
    path("medical/", patient_list, name="patient_list"),
    path("medical/<uuid:public_id>/", medical_record, name="medical_record"),
    path("medical/<uuid:public_id>/consents/new/", consent_add, name="consent_add"),
    path(
        "medical/<uuid:public_id>/consents/<uuid:item_id>/withdraw/",
        consent_withdraw,
        name="consent_withdraw",
    ),
    path("medical/<uuid:public_id>/visits/new/", visit_add, name="visit_add"),
    path("medical/<uuid:public_id>/conditions/new/", condition_add, name="condition_add"),
    path(
        "medical/<uuid:public_id>/conditions/<uuid:item_id>/edit/",
        condition_edit,
        name="condition_edit",
    ),
    path("medical/<uuid:public_id>/referrals/new/", referral_add, name="referral_add"),
    path(
        "medical/<uuid:public_id>/referrals/<uuid:item_id>/outcome/",
        referral_outcome,
        name="referral_outcome",
    ),
]
