"""Case views: consent (record, withdraw). Registers the part "consent" (50) of the case page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from tumaini.cases import parts
from tumaini.cases.forms.consent import ConsentForm, ConsentWithdrawForm
from tumaini.cases.models import Consent
from tumaini.cases.selectors.case import case_allows, case_for_action
from tumaini.cases.selectors.consent import consents_of_case
from tumaini.cases.services import consent as consent_services
from tumaini.core.access import UPDATE


def _consent_context(*, user, case) -> dict:
    return {
        **consents_of_case(case=case),
        "may_write": case_allows(user=user, case=case, action=UPDATE),
    }


parts.register(
    parts.CasePart(
        key="consent",
        section="person",
        title=_("Consent"),
        template="cases/parts/consent.html",
        context=_consent_context,
        order=50,
    )
)


@login_required
def consent_add(request, public_id):
    case = case_for_action(user=request.user, public_id=public_id, action=UPDATE)
    form = ConsentForm(request.POST or None, person=case.person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        consent_services.consent_record(
            actor=request.user,
            case=case,
            purpose=data["purpose"],
            recipient=data["recipient"],
            sections=data["sections"],
            given_by=data["given_by"],
            guardian_name=data["guardian_name"].strip(),
            guardian_relationship=data["guardian_relationship"].strip(),
            given_on=data["given_on"],
            expires_on=data["expires_on"],
            scope_notes=data["scope_notes"].strip(),
            request=request,
        )
        messages.success(request, _t("Consent recorded."))
        return redirect(parts.part_url(case, "consent"))
    return render(request, "cases/consent_form.html", {"case": case, "form": form})


@login_required
def consent_withdraw(request, public_id, consent_id):
    case = case_for_action(user=request.user, public_id=public_id, action=UPDATE)
    consent = (
        Consent.objects.filter(person_id=case.person_id, public_id=consent_id)
        .select_related("recipient")
        .first()
    )
    if consent is None:
        raise Http404
    form = ConsentWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consent_services.consent_withdraw(
                actor=request.user,
                case=case,
                consent_public_id=consent.public_id,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except consent_services.ConsentRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request, _t("Consent withdrawn. Nothing more will be shared under it.")
            )
        return redirect(parts.part_url(case, "consent"))
    return render(
        request, "cases/consent_withdraw.html", {"case": case, "consent": consent, "form": form}
    )


urlpatterns = [
    path("<uuid:public_id>/consent/add/", consent_add, name="consent_add"),
    path(
        "<uuid:public_id>/consent/<uuid:consent_id>/withdraw/",
        consent_withdraw,
        name="consent_withdraw",
    ),
]
