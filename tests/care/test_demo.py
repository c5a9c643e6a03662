"""Demo care data written by seed_demo: catalogue, deliveries for goals, appointments today for the
case worker and the counsellor, missed ones, follow-ups (some overdue); idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from tests.testapp.helpers import sign_in
from tumaini.accounts.models import User
from tumaini.care.enums import AppointmentStatus
from tumaini.care.models import Appointment, FollowUp, ServiceDelivery, ServiceOffering

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_mode(settings):
    settings.DEMO_MODE = True
    settings.TUMAINI_DEMO_PASSWORD = "a-demo-password-for-tests"
    return settings


def _seed():
    call_command("seed_demo", stdout=StringIO())


def _snapshot():
    return {
        "offerings": sorted(ServiceOffering.objects.values_list("id", "name", "provider_id")),
        "deliveries": sorted(ServiceDelivery.objects.values_list("id", "case_id", "goal_id")),
        "appointments": sorted(Appointment.objects.values_list("id", "starts_at", "status")),
        "follow_ups": sorted(FollowUp.objects.values_list("id", "due_on", "recorded_at")),
    }


def test_seed_demo_care_data_is_idempotent_and_complete(demo_mode, client):
    _seed()
    first = _snapshot()
    _seed()
    assert _snapshot() == first

    in_house = ServiceOffering.objects.filter(provider_id=F("organisation_id"))
    assert in_house.exists()
    assert ServiceOffering.objects.exclude(pk__in=in_house).exists()  # partner services
    assert ServiceDelivery.objects.filter(goal__isnull=False).exists()
    assert Appointment.objects.filter(status=AppointmentStatus.MISSED).exists()
    today = timezone.localdate()
    for username in ("caseworker", "counsellor"):
        user = User.objects.get(username=username)
        todays = [
            a
            for a in Appointment.objects.filter(staff=user)
            if timezone.localtime(a.starts_at).date() == today
        ]
        assert todays, username
    assert FollowUp.objects.filter(recorded_at__isnull=True, due_on__lt=today).exists()
    assert FollowUp.objects.filter(recorded_at__isnull=False).exists()

    counsellor = User.objects.get(username="counsellor")
    page = sign_in(client, counsellor).get("/staff/").content.decode()
    assert "My appointments today" in page
    assert "No appointments today." not in page
