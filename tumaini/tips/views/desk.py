"""The triage desk's further steps: linking a report to a case, confirming or dismissing possible
duplicates, the figures page; and the panels other pages show (staff home, case page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tumaini.cases import parts
from tumaini.core import access, home
from tumaini.core.access import UPDATE, VIEW
from tumaini.core.services import VersionConflict
from tumaini.tips import selectors
from tumaini.tips.forms import FiguresPeriodForm, IncidentForm, IncidentLeaveForm, LinkCaseForm
from tumaini.tips.models import Report
from tumaini.tips.policies import CAMPAIGN, PUBLIC_REPORT, REPORT_FIGURES
from tumaini.tips.selectors.figures import default_period, report_figures
from tumaini.tips.services import ReportRefused
from tumaini.tips.services import incidents as incident_services
from tumaini.tips.services import links as link_services
from tumaini.tips.views import _detail_context


@login_required
@require_POST
def link_case(request, public_id):
    """Link the report to an existing case, found by its number among the cases the user sees."""
    user = request.user
    report = link_services.report_for_linking(user=user, public_id=public_id)
    form = LinkCaseForm(request.POST)
    if form.is_valid():
        case = link_services.case_for_linking(
            user=user, case_number=form.cleaned_data["case_number"]
        )
        if case is None:
            form.add_error("case_number", _("No case of yours has that number."))
        else:
            try:
                link_services.report_link_case(
                    actor=user,
                    report=report,
                    case=case,
                    expected_version=form.cleaned_data["version"],
                    request=request,
                )
            except VersionConflict as conflict:
                messages.error(request, str(conflict))
            except ReportRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(
                    request,
                    _("The report is linked to case %(number)s.") % {"number": case.case_number},
                )
            return redirect("tips:detail", public_id=report.public_id)
    report = selectors.report_for_view(user=user, public_id=public_id, request=request)
    return render(
        request, "tips/detail.html", _detail_context(request, report, link_form=form), status=400
    )


INCIDENT_ACTIONS = {"same-incident", "not-duplicate"}


@login_required
@require_POST
def incident(request, public_id, action):
    if action not in INCIDENT_ACTIONS:
        raise Http404
    user = request.user
    report = access.get_scoped_or_404(
        user, PUBLIC_REPORT, UPDATE, Report.objects.all(), public_id=public_id
    )
    form = IncidentForm(request.POST)
    if not form.is_valid():
        raise Http404
    other = access.get_scoped_or_404(
        user, PUBLIC_REPORT, UPDATE, Report.objects.all(), public_id=form.cleaned_data["other"]
    )
    try:
        if action == "same-incident":
            incident_services.report_incident_confirm(
                actor=user, report=report, other=other, request=request
            )
            messages.success(request, _("Grouped as one incident."))
        else:
            incident_services.report_duplicate_dismiss(
                actor=user, report=report, other=other, request=request
            )
            messages.success(request, _("Suggestion dismissed."))
    except ReportRefused as refused:
        messages.error(request, str(refused))
    return redirect("tips:detail", public_id=report.public_id)


@login_required
@require_POST
def incident_leave(request, public_id):
    """ "Not the same incident": take this report out of the group it was confirmed into."""
    user = request.user
    report = access.get_scoped_or_404(
        user, PUBLIC_REPORT, UPDATE, Report.objects.all(), public_id=public_id
    )
    form = IncidentLeaveForm(request.POST)
    if not form.is_valid():
        # Only a hand-made request lacks the hidden version; say so rather than guess one.
        messages.error(request, _("The page was out of date. Please try again."))
        return redirect("tips:detail", public_id=report.public_id)
    try:
        incident_services.report_incident_leave(
            actor=user,
            report=report,
            expected_version=form.cleaned_data["version"],
            request=request,
        )
    except VersionConflict as conflict:
        messages.error(request, str(conflict))
    except ReportRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The report was taken out of the incident group."))
    return redirect("tips:detail", public_id=report.public_id)


@login_required
def figures(request):
    access.require(request.user, REPORT_FIGURES, VIEW)
    start, end = default_period(today=timezone.localdate())
    form = FiguresPeriodForm(request.GET or None, initial={"date_from": start, "date_to": end})
    status = 200
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["date_from"] or start
        end = form.cleaned_data["date_to"] or end
    elif form.is_bound:
        status = 400
    result = report_figures(user=request.user, date_from=start, date_to=end)
    context = {
        "form": form,
        **result,
        "may_see_campaigns": access.can(request.user, CAMPAIGN, VIEW),
    }
    return render(request, "tips/figures.html", context, status=status)


# --- Panels on other pages -------------------------------------------------------------------------


def _overdue_panel(*, user) -> dict | None:
    return selectors.reports_overdue(user=user)


home.register(
    home.HomePanel(
        key="reports-overdue",
        template="tips/home_overdue.html",
        context=_overdue_panel,
        order=15,
    )
)


def _case_reports_part(*, user, case) -> dict:
    return {"linked_reports": selectors.reports_linked_to_case(user=user, case=case)}


parts.register(
    parts.CasePart(
        key="public-reports",
        section="person",
        title=gettext_lazy("Public reports"),
        template="tips/case_part.html",
        context=_case_reports_part,
        order=25,
    )
)
