"""Case views: risk and needs assessments, the care plan and its goals."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from tumaini.cases import parts
from tumaini.cases.enums import GoalStatus
from tumaini.cases.forms import assessments as forms
from tumaini.cases.forms.workflow import CarePlanSubmitForm
from tumaini.cases.selectors import assessments as selectors
from tumaini.cases.selectors.case import case_for_action, case_for_view
from tumaini.cases.services import assessments as services
from tumaini.core import access
from tumaini.core.audit import audit_record
from tumaini.core.editing import show_refusal
from tumaini.core.enums import AuditAction


def _case_to_change(request, public_id):
    """The case if the user may update it (404 otherwise). A form page shows case data, so its
    display is a read like any other: audited."""
    case = case_for_action(user=request.user, public_id=public_id, action=access.UPDATE)
    if request.method != "POST":
        audit_record(action=AuditAction.VIEW, actor=request.user, request=request, obj=case)
    return case


# --- Risk -----------------------------------------------------------------------------------------


@login_required
@never_cache
def risk_new(request, public_id):
    case = _case_to_change(request, public_id)
    form = forms.RiskAssessmentForm(
        request.POST or None, initial={"assessed_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_assessment_create(
                actor=request.user, case=case, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Risk assessment saved."))
            return redirect(parts.part_url(case, "risk"))
    return render(
        request,
        "cases/assessment_risk_form.html",
        {"case": case, "form": form, "title": _("New risk assessment")},
    )


@login_required
def risk_history(request, public_id):
    case = case_for_view(user=request.user, public_id=public_id, request=request)
    return render(
        request,
        "cases/assessment_risk_history.html",
        {"case": case, "assessments": selectors.risk_assessments_of(case=case)},
    )


# --- Needs ----------------------------------------------------------------------------------------


@login_required
@never_cache
def needs_new(request, public_id):
    case = _case_to_change(request, public_id)
    data = request.POST if request.method == "POST" else None
    form = forms.NeedsAssessmentForm(data, initial={"assessed_on": timezone.localdate()})
    grid = forms.need_formset(data)
    if request.method == "POST" and form.is_valid() and grid.is_valid():
        try:
            services.needs_assessment_create(
                actor=request.user,
                case=case,
                assessed_on=form.cleaned_data["assessed_on"],
                needs=[row.cleaned_data for row in grid.forms],
                request=request,
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Needs assessment saved."))
            return redirect(parts.part_url(case, "needs"))
    return render(
        request,
        "cases/assessment_needs_form.html",
        {"case": case, "form": form, "grid": grid, "title": _("New needs assessment")},
    )


@login_required
def needs_history(request, public_id):
    case = case_for_view(user=request.user, public_id=public_id, request=request)
    return render(
        request,
        "cases/assessment_needs_history.html",
        {"case": case, "assessments": selectors.needs_assessments_of(case=case)},
    )


# --- Care plan ------------------------------------------------------------------------------------


def _care_plan_page(request, *, case, form, goals, plan, assessment, title):
    return render(
        request,
        "cases/care_plan_form.html",
        {
            "case": case,
            "form": form,
            "goals": goals,
            "plan": plan,
            "assessment": assessment,
            "title": title,
        },
    )


@login_required
@never_cache
def care_plan_new(request, public_id):
    case = _case_to_change(request, public_id)
    assessment = services.latest_needs_assessment(case)
    if assessment is None:
        messages.error(
            request,
            _("Record a needs assessment first: a care plan answers the needs it identified."),
        )
        return redirect(parts.part_url(case, "care_plan"))
    data = request.POST if request.method == "POST" else None
    form = forms.CarePlanForm(data)
    goals = forms.goal_formset(
        data,
        needs=services.identified_needs(assessment),
        staff=services.responsible_staff(case),
    )
    if request.method == "POST" and form.is_valid() and goals.is_valid():
        try:
            plan = services.care_plan_create(
                actor=request.user,
                case=case,
                summary=form.cleaned_data["summary"],
                goals=goals.goals(),
                request=request,
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Care plan saved as a draft."))
            return redirect(
                "cases:care_plan_detail", public_id=case.public_id, plan_id=plan.public_id
            )
    return _care_plan_page(
        request,
        case=case,
        form=form,
        goals=goals,
        plan=None,
        assessment=assessment,
        title=_("New care plan"),
    )


@login_required
@never_cache
def care_plan_edit(request, public_id, plan_id):
    case = _case_to_change(request, public_id)
    plan = selectors.care_plan_of_case(case=case, public_id=plan_id)
    if not selectors.plan_is_editable(plan):
        messages.error(request, _("Only a draft or a sent-back care plan can be edited."))
        return redirect("cases:care_plan_detail", public_id=case.public_id, plan_id=plan.public_id)
    data = request.POST if request.method == "POST" else None
    form = forms.CarePlanForm(data, initial={"summary": plan.summary, "version": plan.version})
    goals = forms.goal_formset(
        data,
        needs=services.identified_needs(plan.needs_assessment),
        staff=services.responsible_staff(case),
        initial=[
            {
                "goal": goal.goal,
                "support_type": goal.support_type,
                "need_type": goal.need_type,
                "services": goal.services,
                "owner": goal.owner.public_id,
                "due_on": goal.due_on,
                "status": goal.status,
            }
            for goal in plan.goals.all()
        ],
    )
    if request.method == "POST" and form.is_valid() and goals.is_valid():
        try:
            services.care_plan_update(
                actor=request.user,
                plan=plan,
                expected_version=form.cleaned_data["version"] or 0,
                summary=form.cleaned_data["summary"],
                goals=goals.goals(),
                request=request,
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Care plan saved."))
            return redirect(
                "cases:care_plan_detail", public_id=case.public_id, plan_id=plan.public_id
            )
    return _care_plan_page(
        request,
        case=case,
        form=form,
        goals=goals,
        plan=plan,
        assessment=plan.needs_assessment,
        title=_("Edit the care plan"),
    )


@login_required
def care_plan_detail(request, public_id, plan_id):
    case = case_for_view(user=request.user, public_id=public_id, request=request)
    plan = selectors.care_plan_of_case(case=case, public_id=plan_id)
    can_update = selectors.may_update_case(user=request.user, case=case)
    return render(
        request,
        "cases/care_plan_detail.html",
        {
            "case": case,
            "plan": plan,
            "can_update": can_update,
            "editable": can_update and selectors.plan_is_editable(plan),
            "submit_form": CarePlanSubmitForm(initial={"version": plan.version}),
            "goal_statuses": GoalStatus.choices,
            "approvals": plan.approvals.select_related("requested_by", "decided_by").order_by(
                "-requested_at"
            ),
        },
    )


@login_required
def care_plan_history(request, public_id):
    case = case_for_view(user=request.user, public_id=public_id, request=request)
    return render(
        request,
        "cases/care_plan_history.html",
        {"case": case, "plans": selectors.care_plans_of(case=case)},
    )


@login_required
def goal_status(request, public_id, plan_id, goal_id):
    case = case_for_action(user=request.user, public_id=public_id, action=access.UPDATE)
    plan = selectors.care_plan_of_case(case=case, public_id=plan_id)
    goal = selectors.goal_of_plan(plan=plan, public_id=goal_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.GoalStatusForm(request.POST)
    if form.is_valid():
        try:
            services.goal_status_update(
                actor=request.user, goal=goal, status=form.cleaned_data["status"], request=request
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Goal status saved."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("cases:care_plan_detail", public_id=case.public_id, plan_id=plan.public_id)


# --- Parts of the case page -----------------------------------------------------------------------

parts.register(
    parts.CasePart(
        key="risk",
        section="assessments",
        title=gettext_lazy("Risk assessment"),
        template="cases/parts/risk.html",
        context=selectors.risk_part,
        order=60,
    )
)
parts.register(
    parts.CasePart(
        key="needs",
        section="assessments",
        title=gettext_lazy("Needs assessment"),
        template="cases/parts/needs.html",
        context=selectors.needs_part,
        order=61,
    )
)
parts.register(
    parts.CasePart(
        key="care_plan",
        section="assessments",
        title=gettext_lazy("Care plan"),
        template="cases/parts/care_plan.html",
        context=selectors.care_plan_part,
        order=62,
    )
)

urlpatterns = [
    path("<uuid:public_id>/risk/new/", risk_new, name="risk_new"),
    path("<uuid:public_id>/risk/", risk_history, name="risk_history"),
    path("<uuid:public_id>/needs/new/", needs_new, name="needs_new"),
    path("<uuid:public_id>/needs/", needs_history, name="needs_history"),
    path("<uuid:public_id>/care-plan/new/", care_plan_new, name="care_plan_new"),
    path("<uuid:public_id>/care-plans/", care_plan_history, name="care_plan_history"),
    path("<uuid:public_id>/care-plan/<uuid:plan_id>/", care_plan_detail, name="care_plan_detail"),
    path("<uuid:public_id>/care-plan/<uuid:plan_id>/edit/", care_plan_edit, name="care_plan_edit"),
    path(
        "<uuid:public_id>/care-plan/<uuid:plan_id>/goals/<uuid:goal_id>/status/",
        goal_status,
        name="care_plan_goal_status",
    ),
]
