"""Shelter pages: facilities, the occupancy board (htmx fragments, and plain POST/redirect without
JavaScript), admission, transfer, discharge, the waiting list, figures and the house log. Registers
the "shelter" part of the case page."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

# Plain names: makemessages only finds gettext, gettext_lazy and _ (not an alias like _t).
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tumaini.cases import parts
from tumaini.cases.selectors.case import case_for_action
from tumaini.core import access, home
from tumaini.core.editing import show_refusal, submit, submit_or_show
from tumaini.shelter import selectors, services
from tumaini.shelter.forms import (
    AdmissionForm,
    DischargeForm,
    IncidentForm,
    PeriodForm,
    TransferForm,
    WaitingRequestForm,
)
from tumaini.shelter.models import Facility, Stay
from tumaini.shelter.policies import SHELTER_FACILITY, SHELTER_WAITING

BOARD_TEMPLATE = "shelter/board.html"
ACTION_TEMPLATE = "shelter/action.html"


# --- The case page part ----------------------------------------------------------------------------


def _case_part_context(*, user, case) -> dict:
    context = selectors.case_shelter(user=user, case=case)
    if context["may_request"]:
        context["request_form"] = WaitingRequestForm(
            facilities=selectors.facilities_for_request(user=user, case=case)
        )
    return context


parts.register(
    parts.CasePart(
        key="shelter",
        section="shelter",
        title=gettext_lazy("Shelter"),
        template="shelter/parts/case_shelter.html",
        context=_case_part_context,
        order=45,
    )
)


@login_required
@require_POST
def waiting_request(request, case_id):
    case = case_for_action(user=request.user, public_id=case_id, action=access.VIEW)
    access.require(request.user, SHELTER_WAITING, access.CREATE)
    form = WaitingRequestForm(
        request.POST, facilities=selectors.facilities_for_request(user=request.user, case=case)
    )
    return submit_or_show(
        request,
        form,
        lambda data: services.waiting_request(
            actor=request.user,
            case=case,
            facility=data["facility"],
            needed_from=data["needed_from"],
            note=data["note"].strip(),
            request=request,
        ),
        refusals=services.ShelterRefused,
        saved_message=gettext("The survivor is on the facility's waiting list."),
        saved_url=parts.part_url(case, "shelter"),
        show=lambda conflict: render(
            request, "shelter/waiting_request.html", {"case": case, "form": form}, status=400
        ),
    )


@login_required
@require_POST
def waiting_withdraw(request, entry_id):
    entry = selectors.waiting_for_update(user=request.user, public_id=entry_id)
    try:
        services.waiting_withdraw(actor=request.user, entry=entry, request=request)
    except services.ShelterRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, gettext("The request for a bed was withdrawn."))
    if access.can(request.user, SHELTER_FACILITY, access.VIEW):
        return redirect(_board_url(entry.facility))
    return redirect(parts.part_url(entry.case, "shelter"))


def _home_panel(*, user):
    """Shelter staff see their facilities' beds first thing."""
    if not access.can(user, SHELTER_FACILITY, access.VIEW):
        return None
    facilities = selectors.facilities_visible_to(user=user)
    return {"facilities": facilities} if facilities else None


home.register(
    home.HomePanel(key="shelter", template="shelter/home_beds.html", context=_home_panel, order=30)
)


# --- Facilities and the board ----------------------------------------------------------------------


def _board_url(facility) -> str:
    return reverse("shelter:board", kwargs={"facility_id": facility.public_id})


@login_required
def facility_list(request):
    facilities = selectors.facilities_visible_to(user=request.user)
    may_see_address = access.can(request.user, SHELTER_FACILITY, "view_address")
    return render(
        request,
        "shelter/facility_list.html",
        {
            "facilities": facilities,
            "may_see_address": may_see_address,
            "may_add": access.can(request.user, SHELTER_FACILITY, access.CREATE),
        },
    )


def _board_context(request, facility, *, notice: str = "", notice_level: str = "success") -> dict:
    return {
        **selectors.facility_board(user=request.user, facility=facility, request=request),
        "notice": notice,
        "notice_level": notice_level,
    }


@login_required
def board(request, facility_id):
    facility = selectors.facility_for_view(user=request.user, public_id=facility_id)
    context = _board_context(request, facility)
    if request.htmx:
        return render(request, f"{BOARD_TEMPLATE}#board", context)
    context["address"] = selectors.facility_address(user=request.user, facility=facility)
    context["may_set_up"] = access.scoped(
        request.user, SHELTER_FACILITY, access.UPDATE, Facility.objects.filter(pk=facility.pk)
    ).exists()
    return render(request, BOARD_TEMPLATE, context)


def _done(request, facility, notice: str):
    """After an action: the refreshed board fragment for htmx, a redirect to the board otherwise."""
    if request.htmx:
        response = render(
            request, f"{BOARD_TEMPLATE}#board", _board_context(request, facility, notice=notice)
        )
        response["HX-Retarget"] = "#occupancy-board"
        response["HX-Reswap"] = "outerHTML"
        return response
    messages.success(request, notice)
    return redirect(_board_url(facility))


def _action_page(request, *, facility, form, title, action_url, submit):
    context = {
        "facility": facility,
        "form": form,
        "title": title,
        "action_url": action_url,
        "submit": submit,
        "board_url": _board_url(facility),
    }
    if request.htmx:
        # htmx swaps only 2xx answers: the form with its errors comes back as 200.
        return render(request, f"{ACTION_TEMPLATE}#panel", context)
    return render(
        request, ACTION_TEMPLATE, context, status=400 if form.is_bound and form.errors else 200
    )


def _refusal_to_form(form, refused: services.ShelterRefused) -> None:
    # The admission form names the case by its number.
    show_refusal(form, refused, field="case_number" if refused.field == "case" else None)


@login_required
@require_http_methods(["GET", "POST"])
def admit(request, facility_id):
    facility = selectors.facility_for_view(user=request.user, public_id=facility_id)
    entry = None
    waiting_id = request.POST.get("waiting") or request.GET.get("waiting")
    if waiting_id:
        entry = selectors.waiting_for_admission(user=request.user, public_id=waiting_id)
        if entry.facility_id != facility.pk:
            raise Http404
    access.require(request.user, selectors.SHELTER_STAY, selectors.ADMIT)
    beds = selectors.free_beds(organisation_id=facility.organisation_id).filter(
        room__facility=facility
    )
    initial = {}
    if request.GET.get("bed"):
        initial["bed"] = request.GET["bed"]
    form = AdmissionForm(
        request.POST or None, beds=beds, case=entry.case if entry else None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = entry.case if entry else None
        if case is None:
            case = selectors.case_for_admission(user=request.user, case_number=data["case_number"])
        if case is None:
            form.add_error("case_number", gettext("No case with this number in your organisation."))
        else:
            try:
                stay = services.stay_admit(
                    actor=request.user,
                    case=case,
                    bed=data["bed"],
                    admitted_on=data["admitted_on"],
                    expected_leave_on=data["expected_leave_on"],
                    waiting_entry=entry,
                    request=request,
                )
            except services.ShelterRefused as refused:
                _refusal_to_form(form, refused)
            else:
                resident = selectors.stay_resident(stay)
                return _done(
                    request,
                    facility,
                    gettext("%(name)s (%(number)s) admitted to %(bed)s.")
                    % {"name": resident.name, "number": resident.case_number, "bed": stay.bed},
                )
    url = reverse("shelter:admit", kwargs={"facility_id": facility.public_id})
    if entry is None:
        title, action_url = gettext("Admit a survivor"), url
    else:
        title = gettext("Admit from the waiting list: %(name)s (%(number)s)") % {
            "name": selectors.resident_name(entry.person),
            "number": entry.case.case_number,
        }
        action_url = f"{url}?waiting={entry.public_id}"
    return _action_page(
        request,
        facility=facility,
        form=form,
        title=title,
        action_url=action_url,
        submit=gettext("Admit"),
    )


def _stay_action(request, stay_id):
    stay = selectors.stay_for_update(user=request.user, public_id=stay_id)
    return stay, selectors.stay_resident(stay)


def _stay_ended(request, stay):
    """Someone else discharged or moved the resident first: say so, and show the board as it is."""
    notice = gettext("This stay has already ended; the board has been refreshed.")
    if request.htmx:
        response = render(
            request,
            f"{BOARD_TEMPLATE}#board",
            _board_context(request, stay.facility, notice=notice, notice_level="error"),
        )
        response["HX-Retarget"] = "#occupancy-board"
        response["HX-Reswap"] = "outerHTML"
        return response
    messages.error(request, notice)
    return redirect(_board_url(stay.facility))


@login_required
@require_http_methods(["GET", "POST"])
def transfer(request, stay_id):
    stay, resident = _stay_action(request, stay_id)
    if stay.ended_on is not None:
        return _stay_ended(request, stay)
    beds = selectors.free_beds(organisation_id=stay.organisation_id)
    form = TransferForm(request.POST or None, beds=beds)
    outcome = submit(
        request,
        form,
        lambda data: services.stay_transfer(
            actor=request.user,
            stay=stay,
            bed=data["bed"],
            moved_on=data["moved_on"],
            reason=data["reason"].strip(),
            request=request,
        ),
        refusals=services.ShelterRefused,
    )
    if outcome.saved:
        moved = outcome.result
        return _done(
            request,
            stay.facility,
            gettext("%(name)s moved to %(bed)s (%(facility)s).")
            % {"name": resident.name, "bed": moved.bed, "facility": moved.facility},
        )
    return _action_page(
        request,
        facility=stay.facility,
        form=form,
        title=gettext("Move %(name)s (%(number)s) from %(bed)s")
        % {"name": resident.name, "number": resident.case_number, "bed": stay.bed},
        action_url=reverse("shelter:transfer", kwargs={"stay_id": stay.public_id}),
        submit=gettext("Move"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def discharge(request, stay_id):
    stay, resident = _stay_action(request, stay_id)
    if stay.ended_on is not None:
        return _stay_ended(request, stay)
    form = DischargeForm(request.POST or None)
    outcome = submit(
        request,
        form,
        lambda data: services.stay_discharge(
            actor=request.user,
            stay=stay,
            left_on=data["left_on"],
            reason=data["reason"],
            destination=data["destination"],
            notes=data["notes"].strip(),
            request=request,
        ),
        refusals=services.ShelterRefused,
    )
    if outcome.saved:
        return _done(
            request,
            stay.facility,
            gettext("%(name)s (%(number)s) was discharged; %(bed)s is free.")
            % {"name": resident.name, "number": resident.case_number, "bed": stay.bed},
        )
    return _action_page(
        request,
        facility=stay.facility,
        form=form,
        title=gettext("Discharge %(name)s (%(number)s) from %(bed)s")
        % {"name": resident.name, "number": resident.case_number, "bed": stay.bed},
        action_url=reverse("shelter:discharge", kwargs={"stay_id": stay.public_id}),
        submit=gettext("Discharge"),
    )


# --- Figures and the house log ---------------------------------------------------------------------


@login_required
def figures(request, facility_id):
    facility = selectors.facility_for_view(user=request.user, public_id=facility_id)
    today = timezone.localdate()
    form = PeriodForm(
        request.GET or None, initial={"start": today - timedelta(days=29), "end": today}
    )
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    else:
        start, end = today - timedelta(days=29), today
    period = (
        selectors.occupancy_figures(user=request.user, facility=facility, start=start, end=end)
        if not form.is_bound or form.is_valid()
        else None
    )
    return render(
        request,
        "shelter/figures.html",
        {
            "facility": facility,
            "form": form,
            "period": period,
            "today_figures": selectors.occupancy_figures(
                user=request.user, facility=facility, start=today, end=today
            ),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def house_log(request, facility_id):
    facility = selectors.facility_for_view(user=request.user, public_id=facility_id)
    residents = selectors.residents_for_log(user=request.user, facility=facility)
    form = IncidentForm(request.POST or None, residents=residents)
    return submit_or_show(
        request,
        form,
        lambda data: services.incident_record(
            actor=request.user,
            facility=facility,
            occurred_at=data["occurred_at"],
            kind=data["kind"],
            description=data["description"],
            action_taken=data["action_taken"].strip(),
            residents=Stay.objects.filter(public_id__in=data["residents"], facility=facility),
            request=request,
        ),
        refusals=services.ShelterRefused,
        saved_message=gettext("The entry was added to the house log."),
        saved_url=reverse("shelter:house_log", kwargs={"facility_id": facility_id}),
        show=lambda conflict: render(
            request,
            "shelter/house_log.html",
            {
                "facility": facility,
                "form": form,
                "incidents": selectors.incidents_of(
                    user=request.user, facility=facility, request=request
                ),
            },
            status=400 if form.is_bound else 200,
        ),
    )


urlpatterns = [
    path("", facility_list, name="facility_list"),
    path("<uuid:facility_id>/", board, name="board"),
    path("<uuid:facility_id>/admit/", admit, name="admit"),
    path("<uuid:facility_id>/figures/", figures, name="figures"),
    path("<uuid:facility_id>/log/", house_log, name="house_log"),
    path("stays/<uuid:stay_id>/transfer/", transfer, name="transfer"),
    path("stays/<uuid:stay_id>/discharge/", discharge, name="discharge"),
    path("cases/<uuid:case_id>/request/", waiting_request, name="waiting_request"),
    path("waiting/<uuid:entry_id>/withdraw/", waiting_withdraw, name="waiting_withdraw"),
]
