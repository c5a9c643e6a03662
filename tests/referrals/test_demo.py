"""Demo referrals written by seed_demo: every status, for demo cases, idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.testapp.helpers import sign_in
from tumaini.accounts.models import User
from tumaini.referrals.enums import IncomingStatus, ReferralStatus
from tumaini.referrals.models import IncomingReferral, Referral, ReferralUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEMO_MODE = True
    settings.TUMAINI_DEMO_PASSWORD = "a-demo-password-for-tests"
    call_command("seed_demo", stdout=StringIO())


def test_demo_referrals_cover_every_status(seeded):
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert statuses == set(ReferralStatus.values)
    assert Referral.objects.filter(case__organisation__name__contains="Rescue Centre").count() == 8
    assert IncomingReferral.objects.filter(status=IncomingStatus.RECEIVED).count() == 2
    completed = Referral.objects.get(status=ReferralStatus.COMPLETED)
    assert "PEP started" in completed.outcome
    assert completed.shared()


def test_seed_demo_twice_changes_no_referral(seeded):
    before = (
        Referral.objects.count(),
        ReferralUpdate.objects.count(),
        IncomingReferral.objects.count(),
    )
    call_command("seed_demo", stdout=StringIO())
    after = (
        Referral.objects.count(),
        ReferralUpdate.objects.count(),
        IncomingReferral.objects.count(),
    )
    assert after == before


def test_demo_partner_sees_the_hospital_referrals_only(client, seeded):
    partner = User.objects.get(username="partner")
    page = sign_in(client, partner).get("/staff/referrals/received/").content.decode()
    for referral in Referral.objects.exclude(status=ReferralStatus.DRAFT):
        assert (referral.reference in page) == (referral.recipient_id == partner.organisation_id)
