"""Case views: the stage panel and stage changes, approvals (care plans, closures), notifications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from tumaini.cases import parts
from tumaini.cases.enums import ApprovalKind, ApprovalStatus, CaseStage, ClosureReason
from tumaini.cases.forms import workflow as forms
from tumaini.cases.policies import APPROVE, CASE
from tumaini.cases.selectors import assessments as assessment_selectors
from tumaini.cases.selectors import workflow as selectors
from tumaini.cases.selectors.case import case_for_action
from tumaini.cases.services import approvals
from tumaini.cases.services import workflow as services
from tumaini.core import access, home
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction

APPROVALS_PAGE_LIMIT = 200


def _errors_to_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- Stage changes --------------------------------------------------------------------------------


@login_required
def case_stage(request, public_id):
    case = case_for_action(user=request.user, public_id=public_id, action=access.UPDATE)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form_class = forms.ReopenForm if case.stage == CaseStage.CLOSED else forms.TransitionForm
    form = form_class(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect(parts.part_url(case, "workflow"))
    # The version the page showed, not the one just read: a change in between is refused.
    case.version = form.cleaned_data["version"]
    try:
        moved = services.case_transition(
            actor=request.user,
            case=case,
            to_stage=form.cleaned_data["to_stage"],
            comment=form.cleaned_data["comment"],
            request=request,
        )
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        messages.success(
            request,
            _("The case is now at the stage “%(stage)s”.")
            % {"stage": CaseStage(moved.stage).label},
        )
    return redirect(parts.part_url(case, "workflow"))


# --- Requests -------------------------------------------------------------------------------------


@login_required
def care_plan_submit(request, public_id, plan_id):
    case = case_for_action(user=request.user, public_id=public_id, action=access.UPDATE)
    plan = assessment_selectors.care_plan_of_case(case=case, public_id=plan_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.CarePlanSubmitForm(request.POST)
    if form.is_valid():
        try:
            approvals.care_plan_submit(
                actor=request.user,
                plan=plan,
                expected_version=form.cleaned_data["version"],
                comment=form.cleaned_data["comment"],
                request=request,
            )
        except ValidationError as error:
            _errors_to_messages(request, error)
        else:
            messages.success(request, _("The care plan was sent to the directors for approval."))
    else:
        messages.error(request, _("The care plan could not be sent: open it again and retry."))
    return redirect("cases:care_plan_detail", public_id=case.public_id, plan_id=plan.public_id)


@login_required
@never_cache
def closure_request(request, public_id):
    case = case_for_action(user=request.user, public_id=public_id, action=access.UPDATE)
    if request.method != "POST":
        audit_record(action=AuditAction.VIEW, actor=request.user, request=request, obj=case)
    form = forms.ClosureRequestForm(request.POST or None, initial={"notes": case.closure_notes})
    if request.method == "POST" and form.is_valid():
        try:
            approvals.closure_request(
                actor=request.user, case=case, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Closure requested: a director will decide."))
            return redirect(parts.part_url(case, "workflow"))
    return render(
        request,
        "cases/workflow_closure_form.html",
        {"case": case, "form": form, "title": _("Request closure")},
    )


# --- Approvals ------------------------------------------------------------------------------------


@login_required
def approval_queue(request):
    pending = list(selectors.approvals_pending(user=request.user)[:APPROVALS_PAGE_LIMIT])
    return render(request, "cases/approval_queue.html", {"pending": pending})


@login_required
@never_cache
def approval_detail(request, approval_id):
    approval = selectors.approval_for_decision(user=request.user, public_id=approval_id)
    case = approval.case
    own = approval.requested_by_id == request.user.pk
    decidable = approval.status == ApprovalStatus.PENDING and not own
    form = forms.ApprovalDecisionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                approvals.approval_decide(
                    actor=request.user,
                    approval=approval,
                    approve=form.cleaned_data["decision"] == form.APPROVE,
                    comment=form.cleaned_data["comment"],
                    request=request,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for name, errors in error.error_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Request approved.")
                    if form.cleaned_data["decision"] == form.APPROVE
                    else _("Request rejected: the requester has been told why."),
                )
                return redirect("cases:approval_queue")
    else:
        audit_record(action=AuditAction.VIEW, actor=request.user, request=request, obj=case)
    plan = None
    if approval.kind == ApprovalKind.CARE_PLAN and approval.care_plan_id:
        plan = assessment_selectors.care_plan_of_case(
            case=case, public_id=approval.care_plan.public_id
        )
    return render(
        request,
        "cases/approval_detail.html",
        {
            "approval": approval,
            "case": case,
            "plan": plan,
            "own": own,
            "decidable": decidable,
            "form": form,
            "closure_reason_label": ClosureReason(approval.closure_reason).label
            if approval.closure_reason in ClosureReason.values
            else "",
        },
    )


# --- Notifications --------------------------------------------------------------------------------


@login_required
def notification_read(request, notification_id=None):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.notification_mark_read(user=request.user, public_id=notification_id)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("core:staff_home")
    return redirect(target)


# --- The stage panel and the home panels -----------------------------------------------------------


def _workflow_part(*, user, case) -> dict:
    panel = selectors.stage_panel(user=user, case=case)
    panel["reopen_form"] = (
        forms.ReopenForm(initial={"version": case.version}) if panel["can_reopen"] else None
    )
    return panel


parts.register(
    parts.CasePart(
        key="workflow",
        section="overview",
        title=gettext_lazy("Stage"),
        template="cases/parts/workflow.html",
        context=_workflow_part,
        order=70,
    )
)


def _notifications_panel(*, user) -> dict | None:
    unread = selectors.unread_notifications(user=user)
    shown = list(unread[: selectors.HOME_NOTIFICATIONS_LIMIT])
    if not shown:
        return None
    return {"notifications": shown, "unread_count": unread.count()}


def _approvals_panel(*, user) -> dict | None:
    if not access.can(user, CASE, APPROVE):
        return None
    return {"waiting": selectors.approvals_waiting_count(user=user)}


home.register(
    home.HomePanel(
        key="notifications",
        template="cases/home_notifications.html",
        context=_notifications_panel,
        order=10,
    )
)
home.register(
    home.HomePanel(
        key="approvals", template="cases/home_approvals.html", context=_approvals_panel, order=20
    )
)

urlpatterns = [
    path("approvals/", approval_queue, name="approval_queue"),
    path("approvals/<uuid:approval_id>/", approval_detail, name="approval_detail"),
    path("notifications/read/", notification_read, name="notifications_read"),
    path(
        "notifications/<uuid:notification_id>/read/",
        notification_read,
        name="notification_read",
    ),
    path("<uuid:public_id>/stage/", case_stage, name="case_stage"),
    path("<uuid:public_id>/closure/", closure_request, name="closure_request"),
    path(
        "<uuid:public_id>/care-plan/<uuid:plan_id>/submit/",
        care_plan_submit,
        name="care_plan_submit",
    ),
]
