"""Every care page: no inline script or style (strict CSP), and in Kiswahili."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.care.builders import appointment, delivery, offering, planned_case
from tests.core.test_csp import assert_no_inline_code
from tests.testapp.helpers import case_section, sign_in
from tumaini.care.enums import LeavingReason
from tumaini.care.services.follow_ups import followups_schedule_after_leaving

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(personas):
    case = planned_case(personas)
    shelter = offering(personas)
    delivery(case, by=personas.owner, offering_=shelter, goal=case.goal)
    booked = appointment(case, staff=personas.owner)
    appointment(case, staff=personas.owner, starts_at=timezone.now() - timedelta(days=2))
    (follow_up, *_) = followups_schedule_after_leaving(
        user=personas.owner,
        case=case,
        left_on=timezone.localdate() - timedelta(days=50),
        reason=LeavingReason.REINTEGRATED,
    )
    return [
        "/staff/",
        case_section(case, "care"),
        "/staff/care/calendar/",
        f"/staff/care/calendar/{personas.teammate.public_id}/?span=day",
        f"/staff/care/cases/{case.public_id}/appointments/",
        f"/staff/care/cases/{case.public_id}/appointments/new/",
        f"/staff/care/appointments/{booked.public_id}/edit/",
        f"/staff/care/cases/{case.public_id}/services/",
        f"/staff/care/cases/{case.public_id}/services/new/",
        f"/staff/care/follow-ups/{follow_up.public_id}/",
        "/staff/care/catalogue/",
    ]


def test_care_pages_have_no_inline_code(client, personas, pages):
    sign_in(client, personas.director)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_inline_code(response.content.decode())


def test_care_pages_in_kiswahili(client, personas, pages):
    sign_in(client, personas.director)
    client.post("/i18n/setlang/", {"language": "sw", "next": "/staff/"})
    expected = {
        "/staff/care/calendar/": "Kalenda yangu",
        "/staff/care/catalogue/": "Orodha ya huduma",
    }
    for url in pages:
        page = client.get(url).content.decode()
        if url in expected:
            assert expected[url] in page, url
    case_page = client.get(pages[1]).content.decode()
    assert "Huduma zilizotolewa" in case_page
    assert "Mahitaji yaliyotimizwa" in case_page
    assert "Ufuatiliaji" in case_page
