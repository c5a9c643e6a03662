"""The hotline desk's pages: the call log (list, log, detail, edit, follow-up done, report from a
call) and the on-duty roster. Registers the "follow-ups due" panel of the staff home."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tumaini.core import access, home
from tumaini.core.access import CREATE, VIEW
from tumaini.core.services import VersionConflict
from tumaini.hotline import selectors, services
from tumaini.hotline.forms import (
    CallEditForm,
    CallFilterForm,
    CallForm,
    CallReportForm,
    ShiftForm,
    VersionForm,
)
from tumaini.hotline.policies import HOTLINE_CALL, HOTLINE_ROSTER


def _call_url(call) -> str:
    return reverse("hotline:call_detail", kwargs={"public_id": call.public_id})


# --- Calls ----------------------------------------------------------------------------------------


@login_required
def call_list(request):
    form = CallFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    result = selectors.call_list(
        user=request.user,
        tab=request.GET.get("tab", ""),
        filters=filters,
        page_number=request.GET.get("page") or 1,
        request=request,
    )
    kept = {k: ("on" if v is True else v) for k, v in filters.items() if v}
    tabs = [
        {
            "label": label,
            "query": urlencode({"tab": key, **kept}),
            "current": key == result["tab"],
        }
        for key, label in ((selectors.TAB_MINE, _("My calls")), (selectors.TAB_ALL, _("All calls")))
    ]
    context = {
        **result,
        "form": form,
        "tab_links": tabs,
        "query": urlencode({"tab": result["tab"], **kept}),
        "may_log": access.can(request.user, HOTLINE_CALL, CREATE),
    }
    template = "hotline/call_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def call_new(request):
    access.require(request.user, HOTLINE_CALL, CREATE)
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_log(actor=request.user, request=request, **form.call_fields())
        except services.CallRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The call was logged."))
            return redirect(_call_url(call))
    return render(
        request, "hotline/call_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


@login_required
def call_detail(request, public_id):
    user = request.user
    call = selectors.call_for_view(user=user, public_id=public_id, request=request)
    may_update = selectors.may_update_call(user=user, call=call)
    return render(
        request,
        "hotline/call_detail.html",
        {
            "call": call,
            "show_phone": services.may_see_caller_phone(user=user, call=call),
            "may_update": may_update,
            "may_make_report": services.call_may_become_report(user=user, call=call),
            "follow_up_form": VersionForm(initial={"version": call.version}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_edit(request, public_id):
    user = request.user
    call = selectors.call_for_update(user=user, public_id=public_id)
    with_phone = services.may_see_caller_phone(user=user, call=call)
    conflict = None
    if request.method == "POST":
        form = CallEditForm(request.POST, with_phone=with_phone)
        if form.is_valid():
            changes = form.call_fields()
            # The form shows minutes: an untouched time must not count as a change of its seconds.
            if changes["started_at"] == call.started_at.replace(second=0, microsecond=0):
                changes.pop("started_at")
            try:
                services.call_update(
                    actor=user,
                    call=call,
                    expected_version=form.cleaned_data["version"],
                    changes=changes,
                    request=request,
                )
            except VersionConflict as error:
                conflict = error
                # Saving again is then a deliberate choice against the current version.
                form.data = form.data.copy()
                form.data["version"] = error.current.version
            except services.CallRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("The call was saved."))
                return redirect(_call_url(call))
    else:
        form = CallEditForm(initial=CallForm.initial_from(call), with_phone=with_phone)
    return render(
        request,
        "hotline/call_form.html",
        {"form": form, "call": call, "conflict": conflict},
        status=409 if conflict else (400 if form.is_bound else 200),
    )


@login_required
@require_POST
def call_follow_up_done(request, public_id):
    call = selectors.call_for_update(user=request.user, public_id=public_id)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            services.call_follow_up_done(
                actor=request.user,
                call=call,
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except (VersionConflict, services.CallRefused) as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("The follow-up is marked done."))
    else:
        messages.error(request, _("The page was out of date: try again."))
    return redirect(_call_url(call))


@login_required
@require_http_methods(["GET", "POST"])
def call_report(request, public_id):
    user = request.user
    call = selectors.call_for_update(user=user, public_id=public_id)
    if call.report_id is not None:
        messages.info(request, _("A report was already created from this call."))
        return redirect(_call_url(call))
    if not services.call_may_become_report(user=user, call=call):
        messages.error(request, _("Only a call reporting trafficking becomes a report."))
        return redirect(_call_url(call))
    has_phone = bool(call.caller_phone)
    if request.method == "POST":
        form = CallReportForm(request.POST, call_has_phone=has_phone)
        if form.is_valid():
            try:
                report = services.call_report_create(
                    actor=user,
                    call=call,
                    expected_version=form.cleaned_data["version"],
                    report_fields=form.report_fields(),
                    keep_caller_phone=form.cleaned_data.get("keep_caller_phone", False),
                    request=request,
                )
            except (VersionConflict, services.CallRefused) as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request,
                    _("Report %(reference)s was created from the call.")
                    % {"reference": report.display_reference},
                )
                return redirect(_call_url(call))
    else:
        form = CallReportForm(initial=CallReportForm.initial_from(call), call_has_phone=has_phone)
    return render(
        request,
        "hotline/call_report_form.html",
        {"form": form, "call": call},
        status=400 if form.is_bound else 200,
    )


def _follow_ups_panel(*, user):
    return selectors.follow_ups_for(user=user)


home.register(
    home.HomePanel(
        key="hotline-follow-ups",
        template="hotline/home_follow_ups.html",
        context=_follow_ups_panel,
        order=25,
    )
)


# --- Roster ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def roster(request):
    user = request.user
    access.require(user, HOTLINE_ROSTER, VIEW)
    agents = services.roster_agents(user.organisation_id)
    form = None
    if access.can(user, HOTLINE_ROSTER, CREATE):
        form = ShiftForm(request.POST or None, agents=agents)
    if request.method == "POST":
        if form is None:
            access.require(user, HOTLINE_ROSTER, CREATE)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.shift_add(
                    actor=user,
                    agent=data["agent"],
                    phone=data["phone"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    request=request,
                )
            except services.ShiftRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("The shift was added to the roster."))
                return redirect("hotline:roster")
    context = {**selectors.roster(user=user, request=request), "form": form}
    return render(
        request,
        "hotline/roster.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def shift_remove(request, public_id):
    shift = selectors.shift_for_removal(user=request.user, public_id=public_id)
    services.shift_remove(actor=request.user, shift=shift, request=request)
    messages.success(request, _("The shift was removed from the roster."))
    return redirect("hotline:roster")
