"""The public one-time link (/r/<token>/) for a partner without an account.

The page shows only what was shared, and the answers still open. A decision (accept, decline,
complete) uses the link up. An unknown, used, expired or revoked link gets one bilingual page that
says only that: not whether the link ever existed, nor anything about the referral.
"""

from django.contrib import messages
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from tumaini.referrals import selectors, services
from tumaini.referrals.forms import respond_forms
from tumaini.referrals.sharing import snapshot_rows
from tumaini.referrals.views.common import posted_answer
from tumaini.referrals.views.partner import done_message

# Links are 43 characters; anything far longer is not ours and is not looked up.
TOKEN_MAX_LENGTH = 100


def _unusable(request):
    return render(request, "referrals/link_unusable.html", status=404)


@never_cache
def referral_link(request, token):
    if len(token) > TOKEN_MAX_LENGTH:
        return _unusable(request)
    link = selectors.link_page(token=token, request=request)
    if link is None:
        return _unusable(request)
    referral = link.referral
    forms, status = respond_forms(), 200
    if request.method == "POST":

        def answer(step, note):
            services.link_respond(token=token, step=step, note=note, request=request)

        step = request.POST.get("step", "")
        done, forms = posted_answer(request, answer)
        if done:
            referral.refresh_from_db()
            used = step in services.LINK_DECISIONS
            if not used:
                messages.success(request, done_message(step))
                link.refresh_from_db()
            else:
                return render(
                    request,
                    "referrals/link_done.html",
                    {"referral": referral, "message": done_message(step)},
                )
        else:
            link.refresh_from_db()
            if not link.is_usable():
                # Used or revoked meanwhile (another tab, the centre): show nothing more.
                return _unusable(request)
            status = 400
    return render(
        request,
        "referrals/link_page.html",
        {
            "referral": referral,
            "link": link,
            "rows": snapshot_rows(referral.shared()),
            "steps": services.steps_open(referral),
            "answer_url": request.path,
            **forms,
        },
        status=status,
    )
