"""Incoming referrals: a partner (police, hospital, NGO, embassy) refers a person to the centre; the
centre's intake staff accept, which opens the intake prefilled, or decline with a reason."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import OrganisationFactory, UserFactory
from tests.referrals.builders import partner_user
from tests.testapp.helpers import sign_in
from tumaini.accounts.enums import OrganisationType, Role
from tumaini.cases.models import Case, Notification
from tumaini.referrals.enums import IncomingStatus, ReferralUrgency
from tumaini.referrals.models import IncomingReferral
from tumaini.referrals.services import incoming_referral_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def police(db):
    unit = OrganisationFactory(name="Police Unit", type=OrganisationType.LAW_ENFORCEMENT)
    return partner_user(unit, username="police-liaison", role=Role.LAW_ENFORCEMENT_LIAISON)


def _incoming(personas, sender, **fields):
    details = {
        "given_name": "Halima",
        "family_name": "Abdi",
        "gender": "Feminine",
        "estimated_age": 19,
        "phone": "",
        "citizenship": None,
        "urgency": ReferralUrgency.URGENT,
        "reason": "Found at a roadblock without documents.",
        "referrer_contact": "Cpl. Otieno, Kilimani station",
        **fields,
    }
    return incoming_referral_send(actor=sender, to_organisation=personas.org_a, details=details)


def test_partner_sends_a_referral_through_the_form(client, personas, police):
    sign_in(client, police)
    page = client.get("/staff/referrals/to-centre/new/").content.decode()
    # Centres are organisations whose staff take intakes; never one's own.
    assert ">County Rescue Centre</option>" in page
    assert ">Police Unit</option>" not in page
    response = client.post(
        "/staff/referrals/to-centre/new/",
        {
            "to_organisation": str(personas.org_a.public_id),
            "given_name": "Halima",
            "gender": "Feminine",
            "urgency": "emergency",
            "reason": "Escaped from a house in Eastleigh.",
        },
    )
    assert response.status_code == 302
    incoming = IncomingReferral.objects.get()
    assert incoming.from_organisation == police.organisation
    assert incoming.status == IncomingStatus.RECEIVED
    page = client.get("/staff/referrals/to-centre/").content.decode()
    assert incoming.reference in page
    assert Notification.objects.filter(
        recipient=personas.director, message__contains=incoming.reference
    ).exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 200),
        ("director", 200),
        ("outsider", 404),
        ("admin_user", 404),
        ("police", 404),
        (Role.COUNSELLOR, 404),
    ],
)
def test_incoming_page_access_matrix(client, personas, police, who, status):
    incoming = _incoming(personas, police)
    user = (
        police
        if who == "police"
        else getattr(personas, who, None)
        or UserFactory(username=f"u-{who}", organisation=personas.org_a, roles=[who])
    )
    response = sign_in(client, user).get(f"/staff/referrals/incoming/{incoming.public_id}/")
    assert response.status_code == status
    page = response.content.decode()
    if status == 200:
        assert "Halima Abdi" in page
        assert "Found at a roadblock" in page
    else:
        assert "Halima" not in page


def test_accept_opens_the_intake_prefilled_with_the_police_as_source(client, personas, police):
    incoming = _incoming(personas, police)
    sign_in(client, personas.owner)
    response = client.post(f"/staff/referrals/incoming/{incoming.public_id}/accept/")
    assert response.status_code == 302
    intake_url = response["Location"]
    assert intake_url.startswith("/staff/cases/new/?from=incoming_referral")
    page = client.get(intake_url).content.decode()
    assert 'value="Halima"' in page
    assert 'value="Abdi"' in page
    assert '<option value="police" selected>' in page
    assert "Found at a roadblock without documents." in page
    assert "Cpl. Otieno, Kilimani station" in page


def test_opening_the_intake_links_the_case(client, personas, police):
    from django.utils import timezone

    incoming = _incoming(personas, police)
    sign_in(client, personas.owner)
    intake_url = client.post(f"/staff/referrals/incoming/{incoming.public_id}/accept/")["Location"]
    response = client.post(
        intake_url,
        {
            "given_name": "Halima",
            "family_name": "Abdi",
            "gender": "Feminine",
            "estimated_age": "19",
            "disability": "unknown",
            "source": "police",
            "referring_organisation": str(police.organisation.public_id),
            "intake_date": timezone.localdate().isoformat(),
            "team": str(personas.team_a.public_id),
            "case_manager": str(personas.owner.public_id),
            "decision": "new",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    incoming.refresh_from_db()
    case = Case.objects.get()
    assert incoming.case == case
    assert incoming.status == IncomingStatus.CASE_OPENED
    assert case.intake.source == "police"
    assert case.intake.referring_organisation == police.organisation
    assert Notification.objects.filter(recipient=police, message__contains="accepted").exists()


def test_intake_prefill_from_another_organisations_referral_is_ignored(client, personas, police):
    incoming = _incoming(personas, police)
    client_page = sign_in(client, personas.outsider).get(
        f"/staff/cases/new/?from=incoming_referral&id={incoming.public_id}"
    )
    assert "Halima" not in client_page.content.decode()


def test_decline_needs_a_reason_and_tells_the_partner(client, personas, police):
    incoming = _incoming(personas, police)
    sign_in(client, personas.owner)
    url = f"/staff/referrals/incoming/{incoming.public_id}/decline/"
    assert client.post(url, {"reason": ""}).status_code == 400
    client.post(url, {"reason": "Not in our county; referred to Mombasa."})
    incoming.refresh_from_db()
    assert incoming.status == IncomingStatus.DECLINED
    assert Notification.objects.filter(recipient=police, message__contains="declined").exists()


def test_incoming_list_and_home_panel(client, personas, police):
    incoming = _incoming(personas, police)
    sign_in(client, personas.owner)
    assert incoming.reference in client.get("/staff/referrals/incoming/").content.decode()
    assert incoming.reference in client.get("/staff/").content.decode()


def test_incoming_list_queries_do_not_grow_with_rows(client, personas, police):
    _incoming(personas, police)
    sign_in(client, personas.director)
    client.get("/staff/referrals/incoming/")

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/staff/referrals/incoming/").status_code == 200
        return len(captured)

    one = count()
    _incoming(personas, police)
    _incoming(personas, police)
    assert count() == one
