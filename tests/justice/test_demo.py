"""The demo justice files: two prosecutions for the demo legal officer, written once."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.testapp.helpers import sign_in
from tumaini.accounts.models import User
from tumaini.justice.enums import Outcome
from tumaini.justice.models import Hearing, JusticeMatter, Prosecution, RestitutionPayment

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_mode(settings):
    settings.DEMO_MODE = True
    settings.TUMAINI_DEMO_PASSWORD = "a-demo-password-for-tests"
    return settings


def _seed():
    call_command("seed_demo", stdout=StringIO())


def test_demo_has_two_court_cases_for_the_demo_legal_officer(client, demo_mode):
    _seed()
    legal = User.objects.get(username="legal")
    matters = JusticeMatter.objects.filter(legal_officer=legal)
    assert matters.count() == 2
    assert set(Prosecution.objects.values_list("outcome", flat=True)) == {
        Outcome.CONVICTED,
        Outcome.PENDING,
    }
    assert RestitutionPayment.objects.count() == 1
    # Every demo matter has the survivor's consent to cooperate with law enforcement.
    for matter in matters.select_related("case__person"):
        assert matter.case.consents.filter(purpose="law_enforcement").exists()

    sign_in(client, legal)
    body = client.get("/staff/justice/").content.decode()
    assert body.count("TUM-26-DEMX-") == 2
    home = client.get("/staff/").content.decode()
    assert "Kibera Law Courts" in home  # the trial hearing next week

    _seed()
    assert JusticeMatter.objects.count() == 2
    assert Hearing.objects.count() == 4
