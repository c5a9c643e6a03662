"""The receiving partner signed in: only their organisation's referrals, only the snapshot; the
answers (acknowledge, accept, decline with a reason, complete with an outcome), one step at a time."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory
from tests.referrals.builders import draft_referral, make_partner, partner_user, sent_referral
from tests.testapp.helpers import sign_in
from tumaini.accounts.enums import Role
from tumaini.cases.models import Notification
from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditEvent
from tumaini.referrals.enums import ReferralStatus, SharedField

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(db):
    return make_partner()


def _url(referral, suffix=""):
    return f"/staff/referrals/received/{referral.public_id}/{suffix}"


def _other_partner_user():
    other, _ = make_partner(name="Other Hospital")
    return partner_user(other, username="other-hospital")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("partner", 200),
        ("liaison_of_recipient", 200),
        ("other_partner", 404),
        ("owner", 404),
        ("director", 404),
        ("admin_user", 404),
        ("partner_admin", 404),
    ],
)
def test_received_page_access_matrix(client, personas, partner, who, status):
    hospital, service = partner
    referral = sent_referral(personas, service, reason="Needs an HIV test.")
    user = {
        "partner": lambda: partner_user(hospital),
        "liaison_of_recipient": lambda: partner_user(
            hospital, username="liaison", role=Role.LAW_ENFORCEMENT_LIAISON
        ),
        "other_partner": _other_partner_user,
        "partner_admin": lambda: UserFactory(
            username="hospital-admin", organisation=hospital, roles=[Role.SYSTEM_ADMIN]
        ),
    }.get(who, lambda: getattr(personas, who))()
    response = sign_in(client, user).get(_url(referral))
    page = response.content.decode()
    assert response.status_code == status
    if status == 200:
        assert "Needs an HIV test." in page
        assert "Amina" in page
    else:
        assert "Needs an HIV test." not in page


def test_partner_sees_only_the_shared_fields(client, personas, partner):
    hospital, service = partner
    referral = sent_referral(personas, service, fields=[SharedField.FIRST_NAME, SharedField.AGE])
    page = sign_in(client, partner_user(hospital)).get(_url(referral)).content.decode()
    assert "Amina" in page
    assert "Wanjiru" not in page  # family name: not shared
    assert referral.case.case_number not in page
    assert "Nationality" not in page


def test_partner_does_not_see_drafts(client, personas, partner):
    hospital, service = partner
    referral = draft_referral(personas, service)
    sign_in(client, partner_user(hospital))
    assert client.get(_url(referral)).status_code == 404
    assert referral.reference not in client.get("/staff/referrals/received/").content.decode()


def test_partner_list_shows_own_organisation_only(client, personas, partner):
    hospital, service = partner
    mine = sent_referral(personas, service)
    _other, other_service = make_partner(name="Other Hospital")
    theirs = sent_referral(personas, other_service)
    page = (
        sign_in(client, partner_user(hospital)).get("/staff/referrals/received/").content.decode()
    )
    assert mine.reference in page
    assert theirs.reference not in page


def test_partner_view_is_audited_on_the_referral(client, personas, partner):
    hospital, service = partner
    referral = sent_referral(personas, service)
    sign_in(client, partner_user(hospital)).get(_url(referral))
    event = AuditEvent.objects.get(
        action=AuditAction.VIEW, object_id=str(referral.public_id), actor_username="hospital-user"
    )
    assert event.object_type == "referrals.referral"
    assert event.detail["as"] == "recipient"


def test_partner_acknowledges_accepts_and_completes(client, personas, partner):
    hospital, service = partner
    referral = sent_referral(personas, service)
    sign_in(client, partner_user(hospital))
    client.post(_url(referral), {"step": "acknowledge"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACKNOWLEDGED
    assert referral.acknowledged_at is not None
    client.post(_url(referral), {"step": "accept"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    response = client.post(
        _url(referral), {"step": "complete", "complete-note": "Treated and discharged."}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
    assert referral.outcome == "Treated and discharged."
    assert list(referral.updates.values_list("status", flat=True)) == [
        "draft",
        "sent",
        "acknowledged",
        "accepted",
        "completed",
    ]
    # The case manager hears of each answer, on their home page.
    assert Notification.objects.filter(
        recipient=personas.owner, message__contains="completed"
    ).exists()


def test_decline_needs_a_reason_shown_next_to_the_field(client, personas, partner):
    hospital, service = partner
    referral = sent_referral(personas, service)
    sign_in(client, partner_user(hospital))
    response = client.post(_url(referral), {"step": "decline", "decline-note": ""})
    assert response.status_code == 400
    assert "field-error" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    client.post(_url(referral), {"step": "decline", "decline-note": "No bed until next month."})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    assert referral.decline_reason == "No bed until next month."


def test_complete_before_accepting_is_refused(client, personas, partner):
    hospital, service = partner
    referral = sent_referral(personas, service)
    sign_in(client, partner_user(hospital))
    response = client.post(_url(referral), {"step": "complete", "complete-note": "Done."})
    assert response.status_code == 400
    assert "cannot be changed that way now" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_other_partner_cannot_answer(client, personas, partner):
    _hospital, service = partner
    referral = sent_referral(personas, service)
    response = sign_in(client, _other_partner_user()).post(_url(referral), {"step": "accept"})
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_partner_home_panel_lists_waiting_referrals(client, personas, partner):
    hospital, service = partner
    referral = sent_referral(personas, service)
    page = sign_in(client, partner_user(hospital)).get("/staff/").content.decode()
    assert "Referrals to your organisation" in page
    assert referral.reference in page


def test_received_list_queries_do_not_grow_with_rows(client, personas, partner):
    hospital, service = partner
    sent_referral(personas, service)
    sign_in(client, partner_user(hospital))
    client.get("/staff/referrals/received/")

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/staff/referrals/received/").status_code == 200
        return len(captured)

    one = count()
    sent_referral(personas, service)
    sent_referral(personas, service)
    assert count() == one
