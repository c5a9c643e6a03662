"""The receiving partner's views: the referrals sent to their organisation and, in each, only what
was shared; acknowledging, accepting, declining (a reason) and reporting the outcome."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache

from tumaini.core import home
from tumaini.referrals import selectors, services
from tumaini.referrals.forms import respond_forms
from tumaini.referrals.policies import RESPOND
from tumaini.referrals.sharing import snapshot_rows
from tumaini.referrals.views.common import posted_answer


def done_message(step: str) -> str:
    messages_by_step = {
        services.ACKNOWLEDGE: gettext("Acknowledged: the centre knows you have the referral."),
        services.ACCEPT: gettext("Accepted: the centre has been told."),
        services.DECLINE: gettext("Declined: the centre has been told why."),
        services.COMPLETE: gettext("Outcome reported: the referral is completed."),
    }
    return messages_by_step[step]


@login_required
def received_list(request):
    referrals = selectors.received_referrals(user=request.user)
    return render(request, "referrals/received_list.html", {"referrals": referrals})


@login_required
@never_cache
def received_detail(request, public_id):
    if request.method == "POST":
        referral = selectors.received_referral_for_action(
            user=request.user, public_id=public_id, action=RESPOND
        )

        def answer(step, note):
            services.referral_respond(
                referral=referral, step=step, actor=request.user, note=note, request=request
            )
            messages.success(request, done_message(step))

        done, forms = posted_answer(request, answer)
        if done:
            return redirect("referrals:received_detail", public_id=referral.public_id)
        status = 400
    else:
        forms, status = respond_forms(), 200
    referral = selectors.received_referral_for_view(
        user=request.user, public_id=public_id, request=request
    )
    return render(
        request,
        "referrals/received_detail.html",
        {
            "referral": referral,
            "rows": snapshot_rows(referral.shared()),
            "steps": services.steps_open(referral),
            "answer_url": request.path,
            **forms,
        },
        status=status,
    )


home.register(
    home.HomePanel(
        key="referrals-received",
        template="referrals/home_received.html",
        context=selectors.received_panel,
        order=15,
    )
)

urlpatterns = [
    path("received/", received_list, name="received_list"),
    path("received/<uuid:public_id>/", received_detail, name="received_detail"),
]
