"""Recording what a follow-up after leaving found."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _t

from tumaini.care.forms import FollowUpForm
from tumaini.care.selectors.display import survivor_label
from tumaini.care.selectors.follow_ups import follow_up_for
from tumaini.care.services import follow_ups as follow_up_services
from tumaini.care.views.common import apply_refusal, case_link
from tumaini.core.access import UPDATE
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.services import VersionConflict

ANSWER_FIELDS = (
    "contact_method",
    "contacted_on",
    "wellbeing",
    "wellbeing_notes",
    "safety",
    "safety_notes",
    "livelihood",
    "livelihood_notes",
    "re_trafficked",
)


def _initial(follow_up) -> dict:
    initial = {name: getattr(follow_up, name) for name in ANSWER_FIELDS}
    if follow_up.contact_made is not None:
        initial["contact_made"] = "yes" if follow_up.contact_made else "no"
    initial["version"] = follow_up.version
    return initial


@login_required
def follow_up_record(request, follow_up_id):
    follow_up = follow_up_for(user=request.user, public_id=follow_up_id, action=UPDATE)
    case = follow_up.case
    form = FollowUpForm(request.POST or None, initial=_initial(follow_up))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                follow_up_services.followup_record(
                    actor=request.user,
                    follow_up=follow_up,
                    expected_version=form.cleaned_data["version"],
                    answers=form.answers(),
                    request=request,
                )
            except VersionConflict as conflict:
                form.add_error(None, str(conflict))
            except follow_up_services.FollowUpRefused as refused:
                apply_refusal(form, refused)
            else:
                messages.success(request, _t("Follow-up recorded."))
                url = case_link(user=request.user, case=case, part="care-follow-ups")
                return redirect(url or "/staff/")
        status = 400
    else:
        # The form shows the recorded answers (encrypted notes): a view of the record.
        audit_record(action=AuditAction.VIEW, actor=request.user, request=request, obj=follow_up)
    return render(
        request,
        "care/follow_up_form.html",
        {
            "case": case,
            "survivor": survivor_label(case.person),
            "follow_up": follow_up,
            "form": form,
            "case_url": case_link(user=request.user, case=case, part="care-follow-ups"),
        },
        status=status,
    )


urlpatterns = [
    path("follow-ups/<uuid:follow_up_id>/", follow_up_record, name="follow_up_record"),
]
