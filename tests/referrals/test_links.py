"""One-time links for partners without an account: unguessable, stored as a hash, expiring,
revocable, used up by a decision, every use audited; an unusable link reveals nothing."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.referrals.builders import make_partner, sent_referral
from tests.testapp.helpers import sign_in
from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditEvent
from tumaini.messaging.enums import MessagePurpose
from tumaini.messaging.models import OutboundMessage
from tumaini.referrals.enums import LinkDelivery, ReferralStatus
from tumaini.referrals.models import ReferralLink

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver/r/([A-Za-z0-9_-]+)/")


@pytest.fixture
def referral(personas):
    _hospital, service = make_partner()
    return sent_referral(personas, service, reason="Counselling after a rescue.")


def issue(client, personas, referral, **data):
    response = sign_in(client, personas.owner).post(
        f"/staff/referrals/{referral.public_id}/links/", data
    )
    client.logout()
    assert response.status_code == 200
    return LINK.search(response.content.decode()).group(1)


def test_link_is_shown_once_and_only_its_hash_is_stored(client, personas, referral):
    token = issue(client, personas, referral)
    assert len(token) >= 43  # 32 random bytes
    link = ReferralLink.objects.get(referral=referral)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert link.delivery == LinkDelivery.SHOWN
    assert not ReferralLink.objects.filter(token_hash=token).exists()
    # The referral page shown later does not carry it.
    page = sign_in(client, personas.owner).get(f"/staff/referrals/{referral.public_id}/")
    assert token not in page.content.decode()


def test_link_expires_after_the_configured_days(client, personas, referral, settings):
    settings.TUMAINI_REFERRAL_LINK_DAYS = 3
    issue(client, personas, referral)
    link = ReferralLink.objects.get(referral=referral)
    assert timedelta(days=2, hours=23) < link.expires_at - timezone.now() <= timedelta(days=3)


def test_link_page_shows_the_shared_snapshot_only(client, personas, referral):
    token = issue(client, personas, referral)
    page = client.get(f"/r/{token}/").content.decode()
    assert "Counselling after a rescue." in page
    assert "Amina" in page
    assert "Wanjiru" not in page
    assert referral.case.case_number not in page


def test_acknowledge_keeps_the_link_accept_uses_it_up(client, personas, referral):
    token = issue(client, personas, referral)
    response = client.post(f"/r/{token}/", {"step": "acknowledge"})
    assert response.status_code == 200
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACKNOWLEDGED
    response = client.post(f"/r/{token}/", {"step": "accept"})
    assert "This link has now been used" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.updates.last().link is not None
    again = client.get(f"/r/{token}/")
    assert again.status_code == 404
    assert "This link cannot be used" in again.content.decode()
    assert "Counselling" not in again.content.decode()


def test_a_used_link_cannot_post_a_decision(client, personas, referral):
    token = issue(client, personas, referral)
    client.post(f"/r/{token}/", {"step": "decline", "decline-note": "Full."})
    response = client.post(f"/r/{token}/", {"step": "accept"})
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED


def test_expired_link_shows_the_bilingual_page(client, personas, referral):
    token = issue(client, personas, referral)
    ReferralLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(f"/r/{token}/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "This link cannot be used" in page
    assert "Kiungo hiki hakiwezi kutumika" in page
    assert referral.reference not in page


def test_revoked_link_no_longer_opens(client, personas, referral):
    token = issue(client, personas, referral)
    link = ReferralLink.objects.get(referral=referral)
    sign_in(client, personas.owner).post(
        f"/staff/referrals/{referral.public_id}/links/{link.public_id}/revoke/"
    )
    client.logout()
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert client.get(f"/r/{token}/").status_code == 404


def test_unknown_token_answers_like_a_used_one(client, db):
    response = client.get("/r/" + "x" * 43 + "/")
    assert response.status_code == 404
    assert "This link cannot be used" in response.content.decode()


def test_every_use_of_a_link_is_audited(client, personas, referral):
    token = issue(client, personas, referral)
    link = ReferralLink.objects.get(referral=referral)
    client.get(f"/r/{token}/")
    client.post(f"/r/{token}/", {"step": "accept"})
    client.get(f"/r/{token}/")
    events = AuditEvent.objects.filter(actor_username="one-time link").order_by("id")
    assert [e.action for e in events] == [
        AuditAction.VIEW,
        AuditAction.VIEW,
        AuditAction.UPDATE,
        AuditAction.VIEW,
    ]
    assert events[0].detail["link"] == str(link.public_id)
    assert events[3].reason == "unusable link"
    assert AuditEvent.objects.filter(
        action=AuditAction.SHARE, detail__link_issued=str(link.public_id)
    ).exists()


def test_link_with_a_phone_number_is_queued_by_sms(client, personas, referral):
    issue(client, personas, referral, phone="0712 345678")
    link = ReferralLink.objects.get(referral=referral)
    assert link.delivery == LinkDelivery.SMS
    message = OutboundMessage.objects.get()
    assert message.purpose == MessagePurpose.REFERRAL_LINK
    assert message.to == "+254712345678"
    assert "/r/" in message.body
    assert "Amina" not in message.body


def test_cancelling_the_referral_revokes_its_links(client, personas, referral):
    token = issue(client, personas, referral)
    sign_in(client, personas.owner).post(
        f"/staff/referrals/{referral.public_id}/cancel/", {"reason": "Went home."}
    )
    client.logout()
    assert client.get(f"/r/{token}/").status_code == 404


def test_link_page_needs_no_inline_code(client, personas, referral):
    from tests.core.test_csp import assert_no_inline_code

    token = issue(client, personas, referral)
    assert_no_inline_code(client.get(f"/r/{token}/").content.decode())
    assert_no_inline_code(client.get("/r/" + "y" * 43 + "/").content.decode())
