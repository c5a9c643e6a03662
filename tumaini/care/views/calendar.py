"""Calendars: a staff member's and a survivor's appointments, by day or week."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils.http import urlencode

from tumaini.care.policies import APPOINTMENT
from tumaini.care.selectors import appointments as appointment_selectors
from tumaini.care.selectors.display import staff_label, survivor_label
from tumaini.care.selectors.scope import care_case_or_404, case_in_care_scope
from tumaini.care.views.common import case_link, day_from
from tumaini.core.access import CREATE, VIEW


def _render(request, context, *, base_url):
    result = context["calendar"]
    span = result["span"]
    context["links"] = {
        "previous": f"{base_url}?{urlencode({'day': result['previous_day'], 'span': span})}",
        "next": f"{base_url}?{urlencode({'day': result['next_day'], 'span': span})}",
        "day": f"{base_url}?{urlencode({'day': result['first'], 'span': 'day'})}",
        "week": f"{base_url}?{urlencode({'day': result['first'], 'span': 'week'})}",
    }
    context["page_query"] = urlencode({"day": result["first"], "span": span})
    context["base_url"] = base_url
    template = "care/calendar.html"
    if request.htmx:
        template += "#calendar-table"
    return render(request, template, context)


@login_required
def my_calendar(request, staff_id=None):
    staff = appointment_selectors.calendar_staff_member(user=request.user, staff_public_id=staff_id)
    result = appointment_selectors.calendar(
        user=request.user,
        staff=staff,
        day=day_from(request),
        span=request.GET.get("span", ""),
        page_number=request.GET.get("page") or 1,
        request=request,
    )
    return _render(
        request,
        {
            "calendar": result,
            "staff_member": staff,
            "heading_name": staff_label(staff),
            "is_mine": staff.pk == request.user.pk,
        },
        base_url=request.path,
    )


@login_required
def case_calendar(request, case_id):
    case = care_case_or_404(
        user=request.user, resource=APPOINTMENT.name, action=VIEW, public_id=case_id
    )
    result = appointment_selectors.calendar(
        user=request.user,
        case=case,
        day=day_from(request),
        span=request.GET.get("span", ""),
        page_number=request.GET.get("page") or 1,
        request=request,
    )
    return _render(
        request,
        {
            "calendar": result,
            "case": case,
            "heading_name": survivor_label(case.person),
            "survivor": survivor_label(case.person),
            "case_url": case_link(user=request.user, case=case, part="care-appointments"),
            "may_book": case_in_care_scope(
                user=request.user, resource=APPOINTMENT.name, action=CREATE, case=case
            ),
        },
        base_url=request.path,
    )


urlpatterns = [
    path("calendar/", my_calendar, name="my_calendar"),
    path("calendar/<uuid:staff_id>/", my_calendar, name="staff_calendar"),
    path("cases/<uuid:case_id>/appointments/", case_calendar, name="case_calendar"),
]
