"""Every view that changes a referral answers 404, and changes nothing, to whoever may not do it."""

import pytest

from tests.factories import OrganisationFactory, UserFactory
from tests.referrals.builders import draft_referral, make_partner, partner_user, sent_referral
from tests.testapp.helpers import sign_in
from tumaini.accounts.enums import OrganisationType, Role
from tumaini.referrals.enums import IncomingStatus, ReferralStatus, ReferralUrgency
from tumaini.referrals.models import IncomingReferral, Referral, ReferralLink
from tumaini.referrals.services import incoming_referral_send, link_issue

pytestmark = pytest.mark.django_db

REFUSED = ["outsider", "admin_user", "partner", Role.COUNSELLOR, Role.COUNTY_ANALYST]


@pytest.fixture
def partner(db):
    return make_partner()


def _user(personas, persona, hospital):
    if persona == "partner":
        return partner_user(hospital)
    return getattr(personas, persona, None) or UserFactory(
        username=f"u-{persona}", organisation=personas.org_a, roles=[persona]
    )


@pytest.mark.parametrize("persona", REFUSED)
def test_send_refused(client, personas, partner, persona):
    hospital, service = partner
    referral = draft_referral(personas, service)
    response = sign_in(client, _user(personas, persona, hospital)).post(
        f"/staff/referrals/{referral.public_id}/send/",
        {"version": referral.version, "override_reason": "x" * 40},
    )
    assert response.status_code == 404
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.DRAFT


@pytest.mark.parametrize("persona", REFUSED)
def test_cancel_refused(client, personas, partner, persona):
    hospital, service = partner
    referral = sent_referral(personas, service)
    response = sign_in(client, _user(personas, persona, hospital)).post(
        f"/staff/referrals/{referral.public_id}/cancel/", {"reason": "no"}
    )
    assert response.status_code == 404
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT


@pytest.mark.parametrize("persona", REFUSED)
def test_link_new_refused(client, personas, partner, persona):
    hospital, service = partner
    referral = sent_referral(personas, service)
    response = sign_in(client, _user(personas, persona, hospital)).post(
        f"/staff/referrals/{referral.public_id}/links/", {}
    )
    assert response.status_code == 404
    assert "/r/" not in response.content.decode()
    assert not ReferralLink.objects.exists()


@pytest.mark.parametrize("persona", REFUSED)
def test_link_revoke_refused(client, personas, partner, persona):
    hospital, service = partner
    referral = sent_referral(personas, service)
    issued = link_issue(actor=personas.owner, referral=referral, url_for=lambda t: t)
    response = sign_in(client, _user(personas, persona, hospital)).post(
        f"/staff/referrals/{referral.public_id}/links/{issued.link.public_id}/revoke/"
    )
    assert response.status_code == 404
    assert ReferralLink.objects.get().revoked_at is None


@pytest.mark.parametrize("persona", ["teammate", "director"])
def test_team_and_director_may_cancel(client, personas, partner, persona):
    hospital, service = partner
    referral = sent_referral(personas, service)
    sign_in(client, _user(personas, persona, hospital)).post(
        f"/staff/referrals/{referral.public_id}/cancel/", {"reason": "Moved to Mombasa."}
    )
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.CANCELLED


@pytest.mark.parametrize("persona", ["outsider", "admin_user", "police", Role.COUNSELLOR])
def test_incoming_accept_and_decline_refused(client, personas, persona):
    unit = OrganisationFactory(name="Police Unit", type=OrganisationType.LAW_ENFORCEMENT)
    police = partner_user(unit, username="police-liaison", role=Role.LAW_ENFORCEMENT_LIAISON)
    incoming = incoming_referral_send(
        actor=police,
        to_organisation=personas.org_a,
        details={"given_name": "Halima", "urgency": ReferralUrgency.URGENT, "reason": "Found."},
    )
    user = police if persona == "police" else _user(personas, persona, None)
    sign_in(client, user)
    base = f"/staff/referrals/incoming/{incoming.public_id}/"
    assert client.post(base + "accept/").status_code == 404
    assert client.post(base + "decline/", {"reason": "No."}).status_code == 404
    assert IncomingReferral.objects.get().status == IncomingStatus.RECEIVED


@pytest.mark.parametrize(
    ("persona", "status"),
    [("partner", 200), ("owner", 404), ("director", 404), ("admin_user", 404)],
)
def test_refer_to_a_centre_form_is_for_partners(client, personas, partner, persona, status):
    hospital, _service = partner
    response = sign_in(client, _user(personas, persona, hospital)).get(
        "/staff/referrals/to-centre/new/"
    )
    assert response.status_code == status
    assert ("Refer a person to a centre" in response.content.decode()) == (status == 200)
