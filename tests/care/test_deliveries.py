"""Services delivered: the case's list (access matrix, N+1), recording one from the case."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.care.builders import (
    appointment,
    care_staff,
    delivery,
    offering,
    planned_case,
    queries_for,
)
from tests.testapp.helpers import case_section, sign_in
from tumaini.care.enums import ServiceType
from tumaini.care.models import ServiceDelivery
from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _list_url(case):
    return f"/staff/care/cases/{case.public_id}/services/"


def _new_url(case):
    return f"/staff/care/cases/{case.public_id}/services/new/"


@pytest.fixture
def staff(personas):
    return care_staff(personas)


@pytest.fixture
def case(personas, staff):
    # The counsellor owns the plan's goal: they are on the case's care team.
    found = planned_case(personas, goal_owner=staff.counsellor)
    delivery(found, by=personas.owner, offering_=offering(personas, name="Safe house Kilimani"))
    return found


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("owner", 200),
        ("teammate", 200),
        ("director", 200),
        ("counsellor", 200),  # owns a goal of the plan
        ("nurse", 404),  # not on the care team
        ("legal", 404),
        ("shelter", 404),
        ("analyst", 404),
        ("partner", 404),
        ("outsider", 404),
        ("admin_user", 404),
    ],
)
def test_case_deliveries_access_matrix(client, personas, staff, case, persona, status):
    user = getattr(personas, persona, None) or getattr(staff, persona)
    response = sign_in(client, user).get(_list_url(case))
    page = response.content.decode()
    assert response.status_code == status
    if status == 200:
        assert "Safe house Kilimani" in page
        assert "Zawadi Otieno" in page
    else:
        assert "Safe house Kilimani" not in page
        assert "Zawadi" not in page


def test_case_deliveries_nurse_with_an_appointment_is_on_the_care_team(
    client, personas, staff, case
):
    appointment(case, staff=staff.nurse)
    page = sign_in(client, staff.nurse).get(_list_url(case)).content.decode()
    assert "Safe house Kilimani" in page
    # A nurse reaches the care pages, never the case page itself.
    assert sign_in(client, staff.nurse).get(case_section(case, "care")).status_code == 404


def test_case_deliveries_view_is_audited(client, personas, case):
    sign_in(client, personas.teammate).get(_list_url(case))
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_id=str(case.public_id), actor_username="teammate"
    ).exists()


def test_case_deliveries_list_queries_do_not_grow_with_rows(
    client, personas, case, django_assert_num_queries
):
    shelter = offering(personas, name="Second safe house")
    sign_in(client, personas.owner)
    client.get(_list_url(case))  # the session's first queries are not the list's
    with_one = queries_for(client, _list_url(case))
    for _ in range(2):
        delivery(case, by=personas.teammate, offering_=shelter, goal=case.goal)
    with django_assert_num_queries(with_one):
        page = client.get(_list_url(case)).content.decode()
    assert page.count("Second safe house") == 2


def _form(personas, case, shelter, **changes):
    data = {
        "offering": str(shelter.public_id),
        "goal": str(case.goal.public_id),
        "delivered_on": timezone.localdate().isoformat(),
        "delivered_by": str(personas.owner.public_id),
        "outcome": "completed",
        "outcome_notes": "Moved in on Monday",
        "cost_kes": "2500.00",
    }
    data.update(changes)
    return data


def test_delivery_new_records_the_service_for_the_goal(client, personas, case):
    shelter = offering(personas, name="Safe house Karen")
    sign_in(client, personas.owner)
    form_page = client.get(_new_url(case)).content.decode()
    assert "A safe place to live" in form_page  # the goal to choose
    response = client.post(_new_url(case), _form(personas, case, shelter), follow=True)
    page = response.content.decode()
    assert "Service recorded." in page
    recorded = ServiceDelivery.objects.get(offering=shelter)
    assert recorded.goal == case.goal
    assert recorded.service_type == ServiceType.SHELTER
    assert recorded.cost_kes == 2500
    assert recorded.outcome_notes == "Moved in on Monday"
    assert "Moved in on Monday" in page
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_id=str(recorded.public_id)
    ).exists()


def test_delivery_new_by_counsellor_on_the_care_team(client, personas, staff, case):
    counselling = offering(personas, service_type=ServiceType.PSYCHOSOCIAL, name="Counselling")
    sign_in(client, staff.counsellor)
    response = client.post(
        _new_url(case),
        _form(personas, case, counselling, delivered_by=str(staff.counsellor.public_id)),
    )
    assert response.status_code == 302
    assert ServiceDelivery.objects.filter(
        offering=counselling, recorded_by=staff.counsellor
    ).exists()


def test_delivery_new_in_the_future_is_refused_next_to_the_field_and_keeps_input(
    client, personas, case
):
    shelter = offering(personas, name="Safe house Karen")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    sign_in(client, personas.owner)
    response = client.post(_new_url(case), _form(personas, case, shelter, delivered_on=tomorrow))
    page = response.content.decode()
    assert response.status_code == 400
    assert "A service cannot be delivered in the future." in page
    assert "Moved in on Monday" in page  # what was typed is kept
    assert not ServiceDelivery.objects.filter(offering=shelter).exists()


def test_delivery_new_goal_of_another_case_is_refused(client, personas, case):
    other = planned_case(personas)
    shelter = offering(personas, name="Safe house Karen")
    sign_in(client, personas.owner)
    response = client.post(
        _new_url(case), _form(personas, case, shelter, goal=str(other.goal.public_id))
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not ServiceDelivery.objects.filter(offering=shelter).exists()


def test_delivery_new_negative_cost_is_refused(client, personas, case):
    shelter = offering(personas, name="Safe house Karen")
    sign_in(client, personas.owner)
    response = client.post(_new_url(case), _form(personas, case, shelter, cost_kes="-5"))
    assert response.status_code == 400
    assert "greater than or equal to 0" in response.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "admin_user", "nurse", "shelter", "analyst"])
def test_delivery_new_refused_outside_the_care_scope(client, personas, staff, case, persona):
    user = getattr(personas, persona, None) or getattr(staff, persona)
    shelter = offering(personas, name="Safe house Karen")
    sign_in(client, user)
    assert client.get(_new_url(case)).status_code == 404
    response = client.post(_new_url(case), _form(personas, case, shelter))
    assert response.status_code == 404
    assert not ServiceDelivery.objects.filter(offering=shelter).exists()


def test_case_page_part_services_delivered(client, personas, case):
    page = sign_in(client, personas.owner).get(case_section(case, "care")).content.decode()
    assert 'id="part-care-services"' in page
    assert "Safe house Kilimani" in page
    assert "Record a service" in page


def test_delivery_outcome_notes_are_encrypted(personas, case):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT outcome_notes FROM care_servicedelivery")
        (stored,) = cursor.fetchone()
    assert "Settled" not in stored
