"""Incoming referrals: a partner refers a person to the centre; the centre's intake staff accept
(which opens the intake page prefilled) or decline with a reason."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tumaini.accounts.enums import OrganisationType
from tumaini.cases import intake_prefill
from tumaini.cases.enums import IntakeSource
from tumaini.core import access, home
from tumaini.people.forms import show_service_errors
from tumaini.referrals import selectors, services
from tumaini.referrals.enums import IncomingStatus
from tumaini.referrals.forms import DeclineIncomingForm, IncomingReferralForm
from tumaini.referrals.policies import SENT_INCOMING_REFERRAL

# Who referred, as the intake records it.
SOURCE_BY_ORGANISATION_TYPE = {
    OrganisationType.LAW_ENFORCEMENT: IntakeSource.POLICE,
    OrganisationType.HEALTH_SERVICE: IntakeSource.HOSPITAL,
    OrganisationType.EMBASSY: IntakeSource.EMBASSY,
    OrganisationType.NGO: IntakeSource.NGO,
    OrganisationType.FAITH_BASED: IntakeSource.NGO,
    OrganisationType.INTERNATIONAL: IntakeSource.NGO,
    OrganisationType.IMMIGRATION: IntakeSource.IMMIGRATION,
}
INTAKE_PREFILL_KEY = "incoming_referral"


@login_required
def sent_list(request):
    return render(
        request,
        "referrals/sent_incoming_list.html",
        {
            "referrals": selectors.sent_incoming(user=request.user),
            "may_create": access.can(request.user, SENT_INCOMING_REFERRAL, access.CREATE),
        },
    )


@login_required
def incoming_new(request):
    access.require(request.user, SENT_INCOMING_REFERRAL, access.CREATE)
    form = IncomingReferralForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incoming = services.incoming_referral_send(
                actor=request.user,
                to_organisation=data["to_organisation"],
                details={
                    name: data[name]
                    for name in (
                        "given_name",
                        "family_name",
                        "gender",
                        "estimated_age",
                        "citizenship",
                        "phone",
                        "urgency",
                        "reason",
                        "referrer_contact",
                    )
                },
                request=request,
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                gettext("Referral %(reference)s sent to %(centre)s.")
                % {"reference": incoming.reference, "centre": incoming.to_organisation.name},
            )
            return redirect("referrals:sent_list")
    return render(
        request,
        "referrals/incoming_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def incoming_list(request):
    return render(
        request,
        "referrals/incoming_list.html",
        {"referrals": selectors.incoming_for_centre(user=request.user)},
    )


@login_required
def incoming_detail(request, public_id):
    incoming = selectors.incoming_for_view(user=request.user, public_id=public_id, request=request)
    return render(
        request,
        "referrals/incoming_detail.html",
        {"incoming": incoming, "decline_form": DeclineIncomingForm(), **_intake(incoming)},
    )


def _intake(incoming) -> dict:
    if incoming.status != IncomingStatus.ACCEPTED or incoming.case_id:
        return {"intake_url": ""}
    query = urlencode({"from": INTAKE_PREFILL_KEY, "id": str(incoming.public_id)})
    return {"intake_url": f"{reverse('cases:intake')}?{query}"}


@login_required
@require_POST
def incoming_accept(request, public_id):
    incoming = selectors.incoming_for_action(user=request.user, public_id=public_id)
    try:
        incoming = services.incoming_referral_accept(
            actor=request.user, incoming=incoming, request=request
        )
    except services.ReferralRefused as refused:
        messages.error(request, str(refused))
        return redirect("referrals:incoming_detail", public_id=incoming.public_id)
    messages.success(request, gettext("Referral accepted. Complete the intake to open the case."))
    return redirect(_intake(incoming)["intake_url"])


@login_required
def incoming_decline(request, public_id):
    incoming = selectors.incoming_for_action(user=request.user, public_id=public_id)
    form = DeclineIncomingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.incoming_referral_decline(
                actor=request.user,
                incoming=incoming,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except services.ReferralRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, gettext("Referral declined; the partner has been told."))
        return redirect("referrals:incoming_detail", public_id=incoming.public_id)
    if request.method != "POST":
        raise Http404
    incoming = selectors.incoming_for_view(user=request.user, public_id=public_id, request=request)
    return render(
        request,
        "referrals/incoming_detail.html",
        {"incoming": incoming, "decline_form": form, **_intake(incoming)},
        status=400,
    )


# --- Opening the intake page prefilled (cases.intake_prefill) -----------------------------------


def _prefill_initial(*, user, public_id) -> dict | None:
    incoming = selectors.incoming_prefill(user=user, public_id=public_id)
    if incoming is None:
        return None
    sender = incoming.from_organisation
    return {
        "given_name": incoming.given_name,
        "family_name": incoming.family_name,
        "gender": incoming.gender,
        "estimated_age": incoming.estimated_age,
        "citizenship": incoming.citizenship_id,
        "phone": incoming.phone,
        "source": SOURCE_BY_ORGANISATION_TYPE.get(sender.type, IntakeSource.OTHER),
        "referring_organisation": sender.public_id,
        "referrer_details": incoming.referrer_contact,
        "immediate_needs": incoming.reason,
    }


def _prefill_opened(*, user, public_id, case, request=None) -> None:
    incoming = selectors.incoming_prefill(user=user, public_id=public_id)
    if incoming is not None:
        services.incoming_referral_case_opened(
            actor=user, incoming=incoming, case=case, request=request
        )


intake_prefill.register(
    intake_prefill.IntakePrefill(
        key=INTAKE_PREFILL_KEY, initial=_prefill_initial, opened=_prefill_opened
    )
)

home.register(
    home.HomePanel(
        key="referrals-incoming",
        template="referrals/home_incoming.html",
        context=selectors.incoming_panel,
        order=26,
    )
)

urlpatterns = [
    path("to-centre/", sent_list, name="sent_list"),
    path("to-centre/new/", incoming_new, name="incoming_new"),
    path("incoming/", incoming_list, name="incoming_list"),
    path("incoming/<uuid:public_id>/", incoming_detail, name="incoming_detail"),
    path("incoming/<uuid:public_id>/accept/", incoming_accept, name="incoming_accept"),
    path("incoming/<uuid:public_id>/decline/", incoming_decline, name="incoming_decline"),
]
