"""Booking and changing appointments, and marking them attended, missed or cancelled."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.views.decorators.http import require_POST

from tumaini.care.forms import AppointmentForm, AppointmentStatusForm, care_staff_of
from tumaini.care.policies import APPOINTMENT
from tumaini.care.selectors import appointments as appointment_selectors
from tumaini.care.selectors.display import survivor_label
from tumaini.care.selectors.scope import care_case_or_404
from tumaini.care.services import appointments as appointment_services
from tumaini.care.views.common import apply_refusal
from tumaini.core.access import CREATE, UPDATE
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.services import VersionConflict

EDITABLE_FIELDS = ("staff", "starts_at", "duration_minutes", "service_type", "location", "notes")


def _case_calendar_url(case, starts_at=None) -> str:
    url = reverse("care:case_calendar", kwargs={"case_id": case.public_id})
    return f"{url}?day={timezone.localdate(starts_at).isoformat()}" if starts_at else url


@login_required
def appointment_new(request, case_id):
    case = care_case_or_404(
        user=request.user, resource=APPOINTMENT.name, action=CREATE, public_id=case_id
    )
    staff = care_staff_of(case.organisation_id)
    form = AppointmentForm(
        request.POST or None, staff=staff, initial={"staff": request.user.public_id}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                appointment = appointment_services.appointment_book(
                    actor=request.user,
                    case=case,
                    staff=data["staff"],
                    starts_at=data["starts_at"],
                    duration_minutes=data["duration_minutes"],
                    service_type=data["service_type"],
                    location=data["location"],
                    notes=data["notes"],
                    request=request,
                )
            except appointment_services.AppointmentRefused as refused:
                apply_refusal(form, refused)
            else:
                messages.success(request, _t("Appointment booked."))
                return redirect(_case_calendar_url(case, appointment.starts_at))
        status = 400
    return render(
        request,
        "care/appointment_form.html",
        {"case": case, "survivor": survivor_label(case.person), "form": form, "appointment": None},
        status=status,
    )


@login_required
def appointment_edit(request, appointment_id):
    appointment = appointment_selectors.appointment_for(
        user=request.user, public_id=appointment_id, action=UPDATE
    )
    case = appointment.case
    staff = care_staff_of(case.organisation_id)
    initial = {name: getattr(appointment, name) for name in EDITABLE_FIELDS}
    initial["staff"] = appointment.staff.public_id
    initial["version"] = appointment.version
    form = AppointmentForm(request.POST or None, staff=staff, current=appointment, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = appointment_services.appointment_update(
                    actor=request.user,
                    appointment=appointment,
                    expected_version=data["version"] or 0,
                    changes={name: data[name] for name in EDITABLE_FIELDS},
                    request=request,
                )
            except VersionConflict as conflict:
                form.add_error(None, str(conflict))
            except appointment_services.AppointmentRefused as refused:
                apply_refusal(form, refused)
            else:
                messages.success(request, _t("Appointment saved."))
                return redirect(_case_calendar_url(case, saved.starts_at))
        status = 400
    else:
        # The form shows the encrypted place and notes: a view of the record.
        audit_record(action=AuditAction.VIEW, actor=request.user, request=request, obj=appointment)
    return render(
        request,
        "care/appointment_form.html",
        {
            "case": case,
            "survivor": survivor_label(case.person),
            "form": form,
            "appointment": appointment,
            "status_form": AppointmentStatusForm(initial={"version": appointment.version}),
        },
        status=status,
    )


@login_required
@require_POST
def appointment_status(request, appointment_id):
    appointment = appointment_selectors.appointment_for(
        user=request.user, public_id=appointment_id, action=UPDATE
    )
    form = AppointmentStatusForm(request.POST)
    if form.is_valid():
        try:
            appointment_services.appointment_set_status(
                actor=request.user,
                appointment=appointment,
                status=form.cleaned_data["status"],
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except VersionConflict as conflict:
            messages.error(request, str(conflict))
        except appointment_services.AppointmentRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _t("Appointment updated."))
    else:
        messages.error(request, _t("Choose what happened to the appointment."))
    next_url = request.POST.get("next") or ""
    if next_url.startswith("/staff/") and "//" not in next_url:
        return redirect(next_url)
    return redirect(_case_calendar_url(appointment.case, appointment.starts_at))


urlpatterns = [
    path("cases/<uuid:case_id>/appointments/new/", appointment_new, name="appointment_new"),
    path("appointments/<uuid:appointment_id>/edit/", appointment_edit, name="appointment_edit"),
    path(
        "appointments/<uuid:appointment_id>/status/", appointment_status, name="appointment_status"
    ),
]
