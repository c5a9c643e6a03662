"""Staff views of outgoing referrals: make one from a case, send it (the consent check), cancel it,
give the partner a one-time link; the referral list; the case page's part and the home panel."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tumaini.cases import parts
from tumaini.cases.selectors.case import case_for_action
from tumaini.cases.services import summary
from tumaini.core import access, home
from tumaini.core.access import CREATE, UPDATE
from tumaini.people.forms import show_service_errors
from tumaini.referrals import selectors, services
from tumaini.referrals.enums import OPEN_STATUSES, ReferralStatus, SharedField
from tumaini.referrals.forms import CancelForm, LinkForm, ReferralForm, SendForm
from tumaini.referrals.policies import OVERRIDE_CONSENT, REFERRAL, SEND
from tumaini.referrals.sharing import snapshot_rows


def _may(user, referral, action) -> bool:
    return access.scoped(
        user, REFERRAL, action, type(referral).objects.filter(pk=referral.pk)
    ).exists()


@login_required
def referral_new(request, case_id):
    case = case_for_action(user=request.user, public_id=case_id, action=access.VIEW)
    if not services.may_act(request.user, CREATE, case):
        raise Http404
    form = ReferralForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_create(
                actor=request.user,
                case=case,
                service=data["service"],
                reason=data["reason"],
                urgency=data["urgency"],
                shared_fields=data["shared_fields"],
                request=request,
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                gettext("Referral saved as a draft. Check it, then send it to the partner."),
            )
            return redirect("referrals:referral_detail", public_id=referral.public_id)
    return render(
        request,
        "referrals/referral_form.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )


def _detail(request, referral, *, send_form=None, link_form=None, issued=None, status=200):
    user = request.user
    may_update = _may(user, referral, UPDATE)
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "case": referral.case,
            "rows": snapshot_rows(referral.shared())
            if referral.status != ReferralStatus.DRAFT
            else [],
            "fields_chosen": [
                label for code, label in SharedField.choices if code in referral.shared_fields
            ],
            "updates": list(referral.updates.select_related("by", "link")),
            "links": selectors.links_of(referral=referral) if may_update else [],
            "may_send": referral.status == ReferralStatus.DRAFT and _may(user, referral, SEND),
            "may_override": _may(user, referral, OVERRIDE_CONSENT),
            "may_cancel": may_update and referral.status in (ReferralStatus.DRAFT, *OPEN_STATUSES),
            "may_link": may_update and referral.status in OPEN_STATUSES,
            "send_form": send_form or SendForm(initial={"version": referral.version}),
            "link_form": link_form or LinkForm(),
            "issued": issued,
        },
        status=status,
    )


@login_required
@never_cache
def referral_detail(request, public_id):
    referral = selectors.referral_for_view(user=request.user, public_id=public_id, request=request)
    return _detail(request, referral)


@login_required
@require_POST
def referral_send(request, public_id):
    referral = selectors.referral_for_action(user=request.user, public_id=public_id, action=SEND)
    form = SendForm(request.POST)
    if form.is_valid():
        if form.cleaned_data["version"] != referral.version:
            messages.error(
                request, gettext("Someone else changed this referral after you opened it.")
            )
            return redirect("referrals:referral_detail", public_id=referral.public_id)
        try:
            services.referral_send(
                actor=request.user,
                referral=referral,
                override_reason=form.cleaned_data["override_reason"],
                request=request,
            )
        except ValidationError as error:
            show_service_errors(form, error)
        except services.ReferralRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request, gettext("Referral sent. The partner sees only what you chose to share.")
            )
            return redirect("referrals:referral_detail", public_id=referral.public_id)
    return _detail(request, referral, send_form=form, status=400)


@login_required
def referral_cancel(request, public_id):
    referral = selectors.referral_for_action(user=request.user, public_id=public_id, action=UPDATE)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_cancel(
                actor=request.user,
                referral=referral,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            show_service_errors(form, error)
        except services.ReferralRefused as refused:
            messages.error(request, str(refused))
            return redirect("referrals:referral_detail", public_id=referral.public_id)
        else:
            messages.success(request, gettext("Referral cancelled."))
            return redirect("referrals:referral_detail", public_id=referral.public_id)
    return render(
        request,
        "referrals/referral_cancel.html",
        {"referral": referral, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
@never_cache
def link_new(request, public_id):
    referral = selectors.referral_for_action(user=request.user, public_id=public_id, action=UPDATE)
    form = LinkForm(request.POST)
    if form.is_valid():
        try:
            issued = services.link_issue(
                actor=request.user,
                referral=referral,
                phone=form.cleaned_data["phone"],
                url_for=lambda token: request.build_absolute_uri(
                    reverse("referral_link", kwargs={"token": token})
                ),
                request=request,
            )
        except ValidationError as error:
            form.add_error("phone", error.messages[0])
        except services.ReferralRefused as refused:
            messages.error(request, str(refused))
            return redirect("referrals:referral_detail", public_id=referral.public_id)
        else:
            referral.refresh_from_db()
            # Shown on this answer only: the token is not stored, so it cannot be shown again.
            url = request.build_absolute_uri(
                reverse("referral_link", kwargs={"token": issued.token})
            )
            return _detail(request, referral, issued={"link": issued.link, "url": url})
    return _detail(request, referral, link_form=form, status=400)


@login_required
@require_POST
def link_revoke(request, public_id, link_id):
    referral = selectors.referral_for_action(user=request.user, public_id=public_id, action=UPDATE)
    try:
        services.link_revoke(
            actor=request.user, referral=referral, link_public_id=link_id, request=request
        )
    except services.ReferralRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, gettext("Link revoked: it no longer opens the referral."))
    return redirect("referrals:referral_detail", public_id=referral.public_id)


@login_required
def referral_list(request):
    status = request.GET.get("status", "")
    if status not in ReferralStatus.values:
        status = ""
    referrals = selectors.referrals_visible_to(user=request.user, status=status)
    return render(
        request,
        "referrals/referral_list.html",
        {"referrals": referrals, "status": status, "statuses": ReferralStatus.choices},
    )


# --- The case page's part and the home panel ---------------------------------------------------------


def _case_part(*, user, case) -> dict:
    return {
        "referrals": selectors.referrals_of_case(user=user, case=case),
        "may_refer": services.may_act(user, CREATE, case),
        "visible": access.can(user, REFERRAL, access.VIEW),
    }


parts.register(
    parts.CasePart(
        key="referrals",
        section="referrals",
        title=_("Referrals"),
        template="referrals/parts/referrals.html",
        context=_case_part,
        order=65,
    )
)

# The case summary's care-plan section lists referrals and their outcomes.
summary.register_extra(
    summary.SummaryExtra(
        section="care_plan",
        template="referrals/summary_referrals.html",
        read=selectors.referrals_for_summary,
    )
)

home.register(
    home.HomePanel(
        key="referrals-overdue",
        template="referrals/home_overdue.html",
        context=selectors.overdue_panel,
        order=25,
    )
)

urlpatterns = [
    path("", referral_list, name="referral_list"),
    path("case/<uuid:case_id>/new/", referral_new, name="referral_new"),
    path("<uuid:public_id>/", referral_detail, name="referral_detail"),
    path("<uuid:public_id>/send/", referral_send, name="referral_send"),
    path("<uuid:public_id>/cancel/", referral_cancel, name="referral_cancel"),
    path("<uuid:public_id>/links/", link_new, name="link_new"),
    path("<uuid:public_id>/links/<uuid:link_id>/revoke/", link_revoke, name="link_revoke"),
]
