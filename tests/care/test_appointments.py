"""Appointments: calendars (staff member, survivor), booking, editing with the version lock,
attended / missed / cancelled, and the staff home panel."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.care.builders import appointment, at_local, care_staff, planned_case, queries_for
from tests.testapp.helpers import sign_in
from tumaini.care.enums import AppointmentStatus
from tumaini.care.models import Appointment
from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(personas):
    return care_staff(personas)


@pytest.fixture
def case(personas):
    return planned_case(personas)


def _user(personas, staff, persona):
    return getattr(personas, persona, None) or getattr(staff, persona)


def _tomorrow_at(hour):
    return at_local(timezone.localdate() + timedelta(days=1), hour)


def _case_calendar(case, query=""):
    return f"/staff/care/cases/{case.public_id}/appointments/{query}"


# --- Calendars -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("owner", 200),
        ("teammate", 200),
        ("director", 200),
        ("counsellor", 200),  # holds the appointment
        ("nurse", 404),
        ("legal", 404),
        ("shelter", 404),
        ("analyst", 404),
        ("partner", 404),
        ("outsider", 404),
        ("admin_user", 404),
    ],
)
def test_case_calendar_access_matrix(client, personas, staff, case, persona, status):
    appointment(case, staff=staff.counsellor, starts_at=_tomorrow_at(10))
    response = sign_in(client, _user(personas, staff, persona)).get(
        _case_calendar(case, f"?day={(timezone.localdate() + timedelta(days=1)).isoformat()}")
    )
    page = response.content.decode()
    assert response.status_code == status
    if status == 200:
        assert "Zawadi Otieno" in page
        assert "10:00" in page
    else:
        assert "Zawadi" not in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("owner", 200),
        ("counsellor", 200),
        ("nurse", 200),
        ("director", 200),
        ("shelter", 404),
        ("analyst", 404),
        ("partner", 404),
        ("admin_user", 404),
    ],
)
def test_my_calendar_access_matrix(client, personas, staff, case, persona, status):
    user = _user(personas, staff, persona)
    if status == 200:
        appointment(case, staff=user, starts_at=_tomorrow_at(9))
    response = sign_in(client, user).get(
        f"/staff/care/calendar/?day={(timezone.localdate() + timedelta(days=1)).isoformat()}"
    )
    page = response.content.decode()
    assert response.status_code == status
    if status == 200:
        assert "My calendar" in page
        assert case.case_number in page
        assert "Zawadi Otieno" in page


def test_my_calendar_shows_only_my_appointments_in_the_week(client, personas, staff, case):
    other = planned_case(personas)
    mine = appointment(case, staff=staff.counsellor, starts_at=_tomorrow_at(9))
    appointment(other, staff=staff.nurse, starts_at=_tomorrow_at(11))
    appointment(case, staff=staff.counsellor, starts_at=timezone.now() + timedelta(days=30))
    day = mine.starts_at.date().isoformat()
    page = (
        sign_in(client, staff.counsellor).get(f"/staff/care/calendar/?day={day}").content.decode()
    )
    assert case.case_number in page
    assert other.case_number not in page
    assert page.count("/edit/") == 1  # next month's appointment is in another week


def test_staff_calendar_director_sees_a_colleague_but_not_another_organisation(
    client, personas, staff, case
):
    appointment(case, staff=staff.counsellor, starts_at=_tomorrow_at(9))
    day = (timezone.localdate() + timedelta(days=1)).isoformat()
    sign_in(client, personas.director)
    page = client.get(f"/staff/care/calendar/{staff.counsellor.public_id}/?day={day}").content
    assert case.case_number in page.decode()
    assert client.get(f"/staff/care/calendar/{personas.outsider.public_id}/").status_code == 404


def test_case_calendar_day_view_and_week_navigation(client, personas, case):
    tomorrow = timezone.localdate() + timedelta(days=1)
    appointment(case, staff=personas.owner, starts_at=at_local(tomorrow, 14))
    sign_in(client, personas.owner)
    day_page = client.get(_case_calendar(case, f"?day={tomorrow}&span=day")).content.decode()
    assert "14:00" in day_page
    assert "Next day" in day_page
    other_day = client.get(
        _case_calendar(case, f"?day={tomorrow + timedelta(days=1)}&span=day")
    ).content.decode()
    assert "No appointments in this period." in other_day


def test_case_calendar_htmx_returns_the_table_only(client, personas, case):
    sign_in(client, personas.owner)
    response = client.get(_case_calendar(case), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="calendar"')
    assert "<html" not in page


def test_case_calendar_is_audited_on_the_case(client, personas, case):
    sign_in(client, personas.teammate).get(_case_calendar(case))
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_id=str(case.public_id), actor_username="teammate"
    ).exists()


def test_calendars_queries_do_not_grow_with_rows(
    client, personas, staff, django_assert_num_queries
):
    tomorrow = timezone.localdate() + timedelta(days=1)
    cases = [planned_case(personas) for _ in range(3)]
    appointment(cases[0], staff=staff.counsellor, starts_at=at_local(tomorrow, 8))
    mine = f"/staff/care/calendar/?day={tomorrow}"
    of_case = _case_calendar(cases[0], f"?day={tomorrow}")
    sign_in(client, staff.counsellor)
    client.get(mine)
    counts = {url: queries_for(client, url) for url in (mine, of_case)}
    for index, other in enumerate(cases[1:], start=1):
        appointment(other, staff=staff.counsellor, starts_at=at_local(tomorrow, 8 + index))
        appointment(cases[0], staff=staff.counsellor, starts_at=at_local(tomorrow, 12 + index))
    with django_assert_num_queries(counts[mine]):
        page = client.get(mine).content.decode()
    assert all(c.case_number in page for c in cases)
    with django_assert_num_queries(counts[of_case]):
        page = client.get(of_case).content.decode()
    assert page.count("/edit/") == 3


# --- Booking and editing -------------------------------------------------------------------------


def _booking(staff_member, starts_at, **changes):
    data = {
        "staff": str(staff_member.public_id),
        "starts_at": timezone.localtime(starts_at).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "45",
        "service_type": "psychosocial",
        "location": "Room 3",
        "notes": "Bring the school letter",
    }
    data.update(changes)
    return data


def test_appointment_new_books_for_a_counsellor(client, personas, staff, case):
    sign_in(client, personas.owner)
    url = f"/staff/care/cases/{case.public_id}/appointments/new/"
    response = client.post(url, _booking(staff.counsellor, _tomorrow_at(10)), follow=True)
    page = response.content.decode()
    assert "Appointment booked." in page
    booked = Appointment.objects.get(case=case)
    assert booked.staff == staff.counsellor
    assert booked.duration_minutes == 45
    assert booked.notes == "Bring the school letter"
    assert AuditEvent.objects.filter(action="create", object_id=str(booked.public_id)).exists()
    # The counsellor now holds an appointment with the survivor: the case is theirs to see.
    assert sign_in(client, staff.counsellor).get(_case_calendar(case)).status_code == 200


def test_appointment_new_in_the_past_is_refused_next_to_the_field_and_keeps_input(
    client, personas, case
):
    sign_in(client, personas.owner)
    url = f"/staff/care/cases/{case.public_id}/appointments/new/"
    past = timezone.now() - timedelta(hours=2)
    response = client.post(url, _booking(personas.owner, past))
    page = response.content.decode()
    assert response.status_code == 400
    assert "This time has passed: an appointment is booked for a time still to come." in page
    assert "Starts at — This time has passed" in page  # the summary links to the field
    assert "Bring the school letter" in page
    assert timezone.localtime(past).strftime("%Y-%m-%dT%H:%M") in page
    assert not Appointment.objects.exists()


def test_appointment_new_staff_of_another_organisation_is_refused(client, personas, case):
    sign_in(client, personas.owner)
    url = f"/staff/care/cases/{case.public_id}/appointments/new/"
    response = client.post(url, _booking(personas.outsider, _tomorrow_at(10)))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "admin_user", "counsellor", "shelter", "partner"])
def test_appointment_new_refused_outside_the_care_scope(client, personas, staff, case, persona):
    sign_in(client, _user(personas, staff, persona))
    url = f"/staff/care/cases/{case.public_id}/appointments/new/"
    assert client.get(url).status_code == 404
    assert client.post(url, _booking(personas.owner, _tomorrow_at(10))).status_code == 404
    assert not Appointment.objects.exists()


def test_appointment_edit_moves_it_and_bumps_the_version(client, personas, case):
    booked = appointment(case, staff=personas.owner, starts_at=_tomorrow_at(10))
    sign_in(client, personas.owner)
    url = f"/staff/care/appointments/{booked.public_id}/edit/"
    assert "Save the appointment" in client.get(url).content.decode()
    assert AuditEvent.objects.filter(action="view", object_id=str(booked.public_id)).exists()
    data = _booking(personas.owner, _tomorrow_at(15), version=str(booked.version))
    response = client.post(url, data, follow=True)
    assert "Appointment saved." in response.content.decode()
    booked.refresh_from_db()
    assert timezone.localtime(booked.starts_at).hour == 15
    assert booked.version == 2


def test_appointment_edit_stale_version_is_refused_and_keeps_input(client, personas, case):
    booked = appointment(case, staff=personas.owner, starts_at=_tomorrow_at(10))
    Appointment.objects.filter(pk=booked.pk).update(version=5)
    sign_in(client, personas.owner)
    url = f"/staff/care/appointments/{booked.public_id}/edit/"
    response = client.post(url, _booking(personas.owner, _tomorrow_at(15), version="1"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Someone else changed this record after you opened it" in page
    assert "Bring the school letter" in page
    booked.refresh_from_db()
    assert timezone.localtime(booked.starts_at).hour == 10


@pytest.mark.parametrize(("status", "label"), [("attended", "Attended"), ("missed", "Missed")])
def test_appointment_status_marks_a_past_appointment(client, personas, case, status, label):
    past = appointment(case, staff=personas.owner, starts_at=timezone.now() - timedelta(hours=1))
    sign_in(client, personas.owner)
    response = client.post(
        f"/staff/care/appointments/{past.public_id}/status/",
        {"status": status, "version": past.version},
        follow=True,
    )
    assert "Appointment updated." in response.content.decode()
    past.refresh_from_db()
    assert past.status == status
    assert past.status_changed_by == personas.owner
    page = client.get(case.get_absolute_url()).content.decode()
    assert label in page


def test_appointment_status_future_cannot_be_marked_missed(client, personas, case):
    coming = appointment(case, staff=personas.owner, starts_at=_tomorrow_at(10))
    sign_in(client, personas.owner)
    response = client.post(
        f"/staff/care/appointments/{coming.public_id}/status/",
        {"status": "missed", "version": coming.version},
        follow=True,
    )
    assert "has not started yet" in response.content.decode()
    coming.refresh_from_db()
    assert coming.status == AppointmentStatus.SCHEDULED


@pytest.mark.parametrize("persona", ["outsider", "admin_user", "nurse", "analyst"])
def test_appointment_status_refused_outside_the_care_scope(client, personas, staff, case, persona):
    past = appointment(case, staff=personas.owner, starts_at=timezone.now() - timedelta(hours=1))
    sign_in(client, _user(personas, staff, persona))
    response = client.post(
        f"/staff/care/appointments/{past.public_id}/status/",
        {"status": "missed", "version": past.version},
    )
    assert response.status_code == 404
    past.refresh_from_db()
    assert past.status == AppointmentStatus.SCHEDULED


# --- Case page and home --------------------------------------------------------------------------


def test_case_page_part_appointments_counts_missed(client, personas, case):
    appointment(case, staff=personas.owner, starts_at=_tomorrow_at(10))
    appointment(
        case,
        staff=personas.owner,
        starts_at=timezone.now() - timedelta(days=3),
        status=AppointmentStatus.MISSED,
    )
    page = sign_in(client, personas.owner).get(case.get_absolute_url()).content.decode()
    assert 'id="part-care-appointments"' in page
    assert "1 appointment missed." in page
    assert "Book an appointment" in page


def test_home_panel_shows_todays_and_unmarked_past_appointments(client, personas, case):
    later_today = timezone.now() + timedelta(minutes=5)
    if timezone.localtime(later_today).date() != timezone.localdate():
        later_today = timezone.now() - timedelta(minutes=5)
    appointment(case, staff=personas.owner, starts_at=later_today)
    appointment(case, staff=personas.owner, starts_at=timezone.now() - timedelta(days=2))
    appointment(
        case,
        staff=personas.owner,
        starts_at=timezone.now() - timedelta(days=4),
        status=AppointmentStatus.ATTENDED,
    )
    page = sign_in(client, personas.owner).get("/staff/").content.decode()
    assert "My appointments today" in page
    assert "Past appointments not marked attended or missed" in page
    # Case numbers only on the home page; never the survivor's name.
    assert page.count(case.case_number) == 2
    assert "Zawadi" not in page


def test_home_panel_absent_for_roles_without_appointments(client, personas, staff):
    page = sign_in(client, staff.shelter).get("/staff/").content.decode()
    assert "My appointments today" not in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("owner", 200),
        ("teammate", 200),
        ("director", 200),
        ("counsellor", 200),  # holds the appointment
        ("nurse", 404),
        ("shelter", 404),
        ("analyst", 404),
        ("partner", 404),
        ("outsider", 404),
        ("admin_user", 404),
    ],
)
def test_appointment_edit_access_matrix(client, personas, staff, case, persona, status):
    booked = appointment(case, staff=staff.counsellor, location="Room 7, first floor")
    response = sign_in(client, _user(personas, staff, persona)).get(
        f"/staff/care/appointments/{booked.public_id}/edit/"
    )
    page = response.content.decode()
    assert response.status_code == status
    if status == 200:
        assert "Room 7, first floor" in page
        assert case.case_number in page
    else:
        assert "Room 7" not in page
        assert case.case_number not in page


def test_care_scope_per_record_keeps_exactly_the_records_of_the_cases_in_care_scope(
    personas, staff, case
):
    """`scoped_care_records` asks each record's own case; it keeps the same rows as filtering on
    the whole `cases_in_care_scope` set, for every kind of user."""
    from tests.cases.builders_casefile import make_case, owned_case
    from tumaini.care.selectors.scope import cases_in_care_scope, scoped_care_records
    from tumaini.core.access import UPDATE, VIEW

    teammates = owned_case(personas, assigned_to=personas.teammate)
    other_team = owned_case(personas, assigned_to=None, team=None)
    elsewhere = make_case(organisation=personas.org_b, assigned_to=personas.outsider)
    appointment(case, staff=staff.counsellor)
    appointment(case, staff=personas.owner)
    appointment(teammates, staff=staff.nurse)
    appointment(other_team, staff=staff.legal)
    appointment(elsewhere, staff=personas.outsider)
    users = [
        personas.owner,
        personas.teammate,
        personas.director,
        personas.outsider,
        personas.admin_user,
        staff.counsellor,
        staff.nurse,
        staff.legal,
        staff.shelter,
    ]
    seen = set()
    for user in users:
        for action in (VIEW, UPDATE):
            kept = set(
                scoped_care_records(
                    user=user,
                    resource="appointment",
                    action=action,
                    queryset=Appointment.objects.all(),
                ).values_list("pk", flat=True)
            )
            expected = set(
                Appointment.objects.filter(
                    case__in=cases_in_care_scope(user=user, resource="appointment", action=action)
                ).values_list("pk", flat=True)
            )
            assert kept == expected, (user.username, action)
            seen.add(len(kept))
    assert len(seen) > 2  # the users reach different parts, not all or nothing
