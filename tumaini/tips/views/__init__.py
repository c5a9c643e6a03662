"""Public pages (report form, status lookup) and the staff triage desk."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tumaini.accounts.models import Organisation
from tumaini.cases.policies import CASE
from tumaini.core import access
from tumaini.core.access import UPDATE
from tumaini.core.audit import client_ip
from tumaini.core.services import VersionConflict
from tumaini.tips import selectors, services
from tumaini.tips.enums import Channel, ReportStatus
from tumaini.tips.forms import (
    MAX_REQUEST_BYTES,
    AssignForm,
    CloseForm,
    EscalateForm,
    IncidentLeaveForm,
    LinkCaseForm,
    PublicReportForm,
    QueueFilterForm,
    StatusForm,
    StatusLookupForm,
    TakeForm,
)
from tumaini.tips.models import format_reference
from tumaini.tips.policies import CLOSE, ESCALATE, LINK_CASE, PUBLIC_REPORT, REPORT_FIGURES
from tumaini.tips.selectors.duplicates import duplicate_suggestions, incident_group
from tumaini.tips.sla import deadline_for

REPORTS_PER_HOUR = 5
LOOKUPS_PER_HOUR = 20
WINDOW_SECONDS = 3600


def _over_limit(request, kind: str, limit: int, *, count: bool) -> bool:
    """Whether this address has used up `limit` for the hour; counts this request when `count`."""
    key = f"tips:{kind}:{client_ip(request) or 'unknown'}"
    if not count:
        return (cache.get(key) or 0) >= limit
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        used = 1
    return used > limit


def _too_large(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_REQUEST_BYTES
    except ValueError:
        return True


def report_form(request):
    if request.method == "POST":
        if _too_large(request):
            return render(request, "tips/report_too_large.html", status=413)
        if _over_limit(request, "report", REPORTS_PER_HOUR, count=False):
            return render(request, "tips/report_limited.html", status=429)
        form = PublicReportForm(request.POST)
        if form.is_robot:
            # Looks like success, so the robot moves on; nothing is stored and the code is unknown.
            _over_limit(request, "report", REPORTS_PER_HOUR, count=True)
            code = format_reference(services.new_reference_code())
            return render(request, "tips/report_thanks.html", {"reference": code})
        if form.is_valid():
            _over_limit(request, "report", REPORTS_PER_HOUR, count=True)
            data = form.cleaned_data
            try:
                receiver = services.receiving_organisation()
            except Organisation.DoesNotExist:
                # A new installation nobody has set up yet: say so, and point to the help line.
                return render(request, "tips/report_unavailable.html", {"form": form}, status=503)
            report = services.report_receive(
                channel=Channel.WEB,
                what_happened=data["what_happened"],
                danger_now=data["danger_now"],
                sub_county=data["sub_county"],
                ward=data["ward"],
                place_text=data["place_text"],
                occurred_on=data["occurred_on"],
                occurred_time=data["occurred_time"],
                occurred_text=data["occurred_text"],
                victims_count=data["victims_count"],
                victim_ages=data["victim_ages"],
                victim_sex=data["victim_sex"],
                suspects_description=data["suspects_description"],
                suspect_phone=data["suspect_phone"],
                vehicles=data["vehicles"],
                reporter_contact=data["reporter_contact"],
                no_contact=data["no_contact"],
                language=get_language() or "",
                organisation=receiver,
                request=request,
            )
            # Shown once, on this page only: not kept in the session or a URL.
            return render(
                request, "tips/report_thanks.html", {"reference": report.display_reference}
            )
    else:
        form = PublicReportForm()
    return render(request, "tips/report_form.html", {"form": form})


def report_status(request):
    result = None
    looked_up = False
    form = StatusLookupForm(request.POST or None)
    if request.method == "POST":
        if _over_limit(request, "status", LOOKUPS_PER_HOUR, count=True):
            return render(request, "tips/status_limited.html", status=429)
        if form.is_valid():
            looked_up = True
            code = services.normalise_reference(form.cleaned_data["code"])
            result = selectors.public_status(code=code)
    return render(
        request, "tips/report_status.html", {"form": form, "result": result, "looked_up": looked_up}
    )


# --- Staff ----------------------------------------------------------------------------------------


@login_required
def queue(request):
    form = QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    result = selectors.report_queue(
        user=request.user, filters=filters, page_number=request.GET.get("page") or 1
    )
    kept = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    context = {
        **result,
        "form": form,
        "query": kept,
        "perms_figures": access.can(request.user, REPORT_FIGURES, access.VIEW),
    }
    return render(request, "tips/queue.html", context)


def _detail_context(request, report, **forms):
    user = request.user
    staff = services._hotline_staff(report.organisation_id).order_by("username")
    may_update = access.can(user, PUBLIC_REPORT, UPDATE) and report.organisation_id == (
        user.organisation_id
    )
    closed = report.status == ReportStatus.CLOSED
    initial = {"version": report.version}
    may_link = (
        access.can(user, PUBLIC_REPORT, LINK_CASE)
        and access.can(user, CASE, access.CREATE)
        and report.organisation_id == user.organisation_id
        and not closed
        and not report.linked_case_id
    )
    return {
        "report": report,
        "deadline": deadline_for(report, now=timezone.now()),
        "linked_case": selectors.linked_case_for(user=user, report=report),
        "suggestions": duplicate_suggestions(user=user, reports=[report])[report.pk],
        "incident": incident_group(user=user, report=report),
        "may_link": may_link,
        "link_form": forms.get("link_form") or LinkCaseForm(initial=initial),
        "show_contact": selectors.may_see_contact(user=user, report=report),
        "may_update": may_update and not closed,
        "may_escalate": access.can(user, PUBLIC_REPORT, ESCALATE) and may_update and not closed,
        "may_close": access.can(user, PUBLIC_REPORT, CLOSE) and may_update and not closed,
        "take_form": forms.get("take_form") or TakeForm(initial=initial),
        "assign_form": forms.get("assign_form") or AssignForm(initial=initial, staff=staff),
        "status_form": forms.get("status_form") or StatusForm(initial=initial),
        "escalate_form": forms.get("escalate_form")
        or EscalateForm(initial=initial, units=services.law_enforcement_organisations()),
        "close_form": forms.get("close_form") or CloseForm(initial=initial),
        "leave_form": IncidentLeaveForm(initial=initial),
    }


@login_required
def detail(request, public_id):
    report = selectors.report_for_view(user=request.user, public_id=public_id, request=request)
    return render(request, "tips/detail.html", _detail_context(request, report))


ACTIONS = {"take", "assign", "status", "escalate", "close"}


@login_required
@require_POST
def act(request, public_id, action):
    if action not in ACTIONS:
        raise Http404
    user = request.user
    report = selectors.report_for_view(user=user, public_id=public_id, request=request)
    staff = services._hotline_staff(report.organisation_id)
    units = services.law_enforcement_organisations()
    form_classes = {
        "take": (TakeForm, {}),
        "assign": (AssignForm, {"staff": staff}),
        "status": (StatusForm, {}),
        "escalate": (EscalateForm, {"units": units}),
        "close": (CloseForm, {}),
    }
    form_class, extra = form_classes[action]
    form = form_class(request.POST, **extra)
    if form.is_valid():
        data = form.cleaned_data
        common = {
            "actor": user,
            "report": report,
            "expected_version": data["version"],
            "request": request,
        }
        try:
            if action == "take":
                services.report_take(**common)
            elif action == "assign":
                services.report_assign(assignee=data["assignee"], **common)
            elif action == "status":
                services.report_set_status(status=data["status"], **common)
            elif action == "escalate":
                services.report_escalate(
                    unit=data["unit"],
                    officer=data["officer"],
                    reference=data["reference"],
                    escalated_at=data["escalated_at"],
                    **common,
                )
            else:
                services.report_close(reason=data["reason"], note=data["note"], **common)
        except VersionConflict as conflict:
            messages.error(request, str(conflict))
        except services.ReportRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Saved."))
        return redirect("tips:detail", public_id=report.public_id)
    context = _detail_context(request, report, **{f"{action}_form": form})
    return render(request, "tips/detail.html", context, status=400)
