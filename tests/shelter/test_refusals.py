"""A service's refusal is shown on the page it came from, whatever field it names: beside that field
when the form has it, above the form otherwise, with everything typed kept (never a 500)."""

import pytest
from django.utils import timezone

from tests.shelter.builders import bed
from tests.testapp.helpers import sign_in
from tumaini.shelter import services
from tumaini.shelter.models import Incident, WaitingEntry
from tumaini.shelter.services import ShelterRefused, stay_admit

pytestmark = pytest.mark.django_db


def _refuse_naming(field):
    # Stands in for a service rule the form knows nothing of: the page must still answer.
    def refuse(**kwargs):
        raise ShelterRefused("Refused by a rule of the service.", field=field)

    return refuse


def _log_entry(stay=None):
    return {
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "kind": "other",
        "description": "Typed description of the evening",
        "action_taken": "Typed action",
        **({"residents": [str(stay.public_id)]} if stay else {}),
    }


def test_house_log_refusal_naming_an_unknown_field_shown_above_the_form(
    client, monkeypatch, manager, facility
):
    monkeypatch.setattr(services, "incident_record", _refuse_naming("stay"))
    response = sign_in(client, manager).post(
        f"/staff/shelter/{facility.public_id}/log/", _log_entry()
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Refused by a rule of the service." in page
    assert "Typed description of the evening" in page
    assert not Incident.objects.exists()


def test_house_log_future_time_refused_beside_the_field(
    client, manager, facility, adult_case, today
):
    stay = stay_admit(actor=manager, case=adult_case, bed=bed(facility, "Women"), admitted_on=today)
    entry = _log_entry(stay) | {
        "occurred_at": (timezone.localtime() + timezone.timedelta(days=2)).strftime(
            "%Y-%m-%dT%H:%M"
        )
    }
    response = sign_in(client, manager).post(f"/staff/shelter/{facility.public_id}/log/", entry)
    page = response.content.decode()
    assert response.status_code == 400
    assert "This time is in the future." in page
    assert "Typed action" in page
    assert not Incident.objects.exists()


def test_waiting_request_refusal_naming_an_unknown_field_shown_above_the_form(
    client, monkeypatch, personas, facility, adult_case, today
):
    monkeypatch.setattr(services, "waiting_request", _refuse_naming("case"))
    response = sign_in(client, personas.owner).post(
        f"/staff/shelter/cases/{adult_case.public_id}/request/",
        {"facility": str(facility.public_id), "needed_from": today.isoformat(), "note": "typed"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Refused by a rule of the service." in page
    assert "typed" in page
    assert not WaitingEntry.objects.exists()
