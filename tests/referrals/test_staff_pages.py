"""Staff pages of referrals: making one from the case, its page, sending, cancelling; who may open
them (the case's team and the organisation's directors; everyone else 404); the case's part."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.cases.builders_casefile import owned_case
from tests.factories import UserFactory
from tests.referrals.builders import (
    draft_referral,
    make_partner,
    partner_user,
    referral_consent,
    sent_referral,
)
from tests.testapp.helpers import case_section, sign_in
from tumaini.accounts.enums import Role
from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditEvent
from tumaini.referrals.enums import ReferralStatus, SharedField
from tumaini.referrals.models import Referral
from tumaini.referrals.services import COMPLETE, referral_respond

pytestmark = pytest.mark.django_db

MATRIX = [
    ("owner", 200),
    ("teammate", 200),
    ("director", 200),
    ("outsider", 404),
    ("admin_user", 404),
    ("partner", 404),
    (Role.COUNSELLOR, 404),
    (Role.SHELTER_MANAGER, 404),
    (Role.COUNTY_ANALYST, 404),
]


@pytest.fixture
def partner(db):
    return make_partner()


def _user(personas, persona, hospital):
    if persona == "partner":
        return partner_user(hospital)
    return getattr(personas, persona, None) or UserFactory(
        username=f"u-{persona}", organisation=personas.org_a, roles=[persona]
    )


@pytest.mark.parametrize(("persona", "status"), MATRIX)
def test_referral_page_access_matrix(client, personas, partner, persona, status):
    hospital, service = partner
    referral = sent_referral(personas, service, reason="Needs a medical examination urgently.")
    response = sign_in(client, _user(personas, persona, hospital)).get(
        f"/staff/referrals/{referral.public_id}/"
    )
    page = response.content.decode()
    assert response.status_code == status
    if status == 200:
        assert referral.reference in page
        assert "Needs a medical examination urgently." in page
        assert "Amina" in page  # the snapshot: what the partner sees
    else:
        assert referral.reference not in page
        assert "Needs a medical examination" not in page


@pytest.mark.parametrize(("persona", "status"), MATRIX)
def test_referral_new_form_access_matrix(client, personas, partner, persona, status):
    hospital, service = partner
    case = owned_case(personas)
    response = sign_in(client, _user(personas, persona, hospital)).get(
        f"/staff/referrals/case/{case.public_id}/new/"
    )
    assert response.status_code == status
    page = response.content.decode()
    if status == 200:
        assert case.case_number in page
        assert "Medical examination (Mama Lucy Hospital)" not in page  # labelled by org first
        assert "Mama Lucy Hospital — Medical examination" in page
    else:
        assert case.case_number not in page


LIST_MATRIX = [
    (
        persona,
        200 if persona == "outsider" else status,
        persona in ("owner", "teammate", "director"),
    )
    for persona, status in MATRIX
]


@pytest.mark.parametrize(("persona", "status", "sees"), LIST_MATRIX)
def test_referral_list_access_matrix(client, personas, partner, persona, status, sees):
    # Another organisation's director has a referral list of their own, without ours in it.
    hospital, service = partner
    referral = sent_referral(personas, service)
    response = sign_in(client, _user(personas, persona, hospital)).get("/staff/referrals/")
    assert response.status_code == status
    page = response.content.decode()
    if sees:
        assert referral.reference in page
        assert referral.case.case_number in page
    else:
        assert referral.reference not in page


def test_case_manager_makes_and_sends_a_referral_through_the_pages(client, personas, partner):
    hospital, service = partner
    case = owned_case(personas)
    referral_consent(case, hospital, personas.owner)
    sign_in(client, personas.owner)
    response = client.post(
        f"/staff/referrals/case/{case.public_id}/new/",
        {
            "service": str(service.public_id),
            "urgency": "emergency",
            "reason": "Injured hand, needs an X-ray.",
            "shared_fields": ["first_name", "sex"],
        },
    )
    referral = Referral.objects.get(case=case)
    assert response.status_code == 302
    assert referral.status == ReferralStatus.DRAFT
    assert referral.recipient == hospital
    assert referral.shared_fields == ["first_name", "sex"]
    page = client.get(f"/staff/referrals/{referral.public_id}/").content.decode()
    assert "First name, Sex / gender" in page
    response = client.post(
        f"/staff/referrals/{referral.public_id}/send/", {"version": referral.version}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    page = client.get(f"/staff/referrals/{referral.public_id}/").content.decode()
    assert "Acknowledge by" in page


def test_send_page_without_consent_says_so_and_keeps_the_draft(client, personas, partner):
    _hospital, service = partner
    referral = draft_referral(personas, service)
    response = sign_in(client, personas.owner).post(
        f"/staff/referrals/{referral.public_id}/send/", {"version": referral.version}
    )
    assert response.status_code == 400
    assert "There is no active consent to refer this survivor to Mama Lucy Hospital" in (
        response.content.decode()
    )
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.DRAFT


def test_override_field_shown_to_directors_only(client, personas, partner):
    _hospital, service = partner
    referral = draft_referral(personas, service)
    url = f"/staff/referrals/{referral.public_id}/"
    assert "directors only" not in sign_in(client, personas.owner).get(url).content.decode()
    client.logout()
    assert "directors only" in sign_in(client, personas.director).get(url).content.decode()


def test_new_form_refuses_empty_reason_next_to_the_field(client, personas, partner):
    _hospital, service = partner
    case = owned_case(personas)
    response = sign_in(client, personas.owner).post(
        f"/staff/referrals/case/{case.public_id}/new/",
        {"service": str(service.public_id), "urgency": "routine", "reason": "  "},
    )
    assert response.status_code == 400
    assert "field-error" in response.content.decode()
    assert not Referral.objects.filter(case=case).exists()


def test_cancel_needs_a_reason_and_tells_the_partner(client, personas, partner):
    hospital, service = partner
    user = partner_user(hospital)
    referral = sent_referral(personas, service)
    sign_in(client, personas.owner)
    url = f"/staff/referrals/{referral.public_id}/cancel/"
    assert client.post(url, {"reason": ""}).status_code == 400
    client.post(url, {"reason": "The survivor went home."})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CANCELLED
    assert user.notifications.filter(message__contains="cancelled").exists()


def test_referral_page_view_is_audited(client, personas, partner):
    _hospital, service = partner
    referral = sent_referral(personas, service)
    sign_in(client, personas.teammate).get(f"/staff/referrals/{referral.public_id}/")
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_id=str(referral.public_id), actor_username="teammate"
    ).exists()


# --- The case page's part ------------------------------------------------------------------------


def test_case_part_shows_status_sla_and_outcome(client, personas, partner):
    hospital, service = partner
    referral = sent_referral(personas, service)
    referral_respond(referral=referral, step="accept", actor=partner_user(hospital))
    referral_respond(
        referral=referral,
        step=COMPLETE,
        actor=None,
        note="Examined; wound dressed, review in a week.",
    )
    page = (
        sign_in(client, personas.owner)
        .get(case_section(referral.case, "referrals"))
        .content.decode()
    )
    assert 'id="part-referrals"' in page
    assert referral.reference in page
    assert "Completed" in page
    assert "Acknowledged in time" in page
    assert "Examined; wound dressed, review in a week." in page


def test_case_part_offers_a_referral_to_the_team_only(client, personas, partner):
    case = owned_case(personas)
    page = sign_in(client, personas.owner).get(case_section(case, "referrals")).content.decode()
    assert "Refer to a partner" in page


# --- N+1 guards ------------------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_referral_list_queries_do_not_grow_with_rows(client, personas, partner):
    _hospital, service = partner
    sent_referral(personas, service)
    sign_in(client, personas.director)
    client.get("/staff/referrals/")
    one = _queries(client, "/staff/referrals/")
    sent_referral(personas, service)
    sent_referral(personas, service)
    assert _queries(client, "/staff/referrals/") == one


def test_case_part_queries_do_not_grow_with_referrals(client, personas, partner):
    hospital, service = partner
    case = owned_case(personas)
    referral_consent(case, hospital, personas.owner)
    from tests.referrals.test_sending import sent_referral_with

    sent_referral_with(personas, service, case)
    sign_in(client, personas.owner)
    client.get(case_section(case, "referrals"))
    one = _queries(client, case_section(case, "referrals"))
    sent_referral_with(personas, service, case)
    sent_referral_with(personas, service, case)
    assert _queries(client, case_section(case, "referrals")) == one


def test_shared_fields_listed_in_declared_order():
    assert SharedField.values[:3] == ["first_name", "full_name", "age"]


# --- The case summary ------------------------------------------------------------------------------


def test_case_summary_shows_the_outcome_of_a_completed_referral(client, personas, partner):
    from tests.cases.builders_scale import consent_summary
    from tests.cases.test_summary_pdf import pdf_text

    hospital, service = partner
    referral = sent_referral(personas, service)
    referral_respond(referral=referral, step="accept", actor=partner_user(hospital))
    referral_respond(referral=referral, step=COMPLETE, actor=None, note="Fracture set in plaster.")
    consent_summary(referral.case, sections=["care_plan"], recorded_by=personas.owner)
    response = sign_in(client, personas.owner).get(
        f"/staff/cases/{referral.case.public_id}/summary.pdf"
    )
    text = pdf_text(response.content)
    assert "Referrals to partners" in text
    assert "Fracture set in plaster." in text
    assert "Medical examination" in text


def test_case_summary_without_care_plan_section_leaves_referrals_out(client, personas, partner):
    from tests.cases.builders_scale import consent_summary
    from tests.cases.test_summary_pdf import pdf_text

    _hospital, service = partner
    referral = sent_referral(personas, service)
    consent_summary(referral.case, sections=["identity"], recorded_by=personas.owner)
    response = sign_in(client, personas.owner).get(
        f"/staff/cases/{referral.case.public_id}/summary.pdf"
    )
    assert "Referrals to partners" not in pdf_text(response.content)


def test_referral_pages_need_no_inline_code(client, personas, partner):
    from tests.core.test_csp import assert_no_inline_code

    hospital, service = partner
    referral = sent_referral(personas, service)
    sign_in(client, personas.owner)
    for url in (
        f"/staff/referrals/{referral.public_id}/",
        f"/staff/referrals/case/{referral.case.public_id}/new/",
        f"/staff/referrals/{referral.public_id}/cancel/",
        "/staff/referrals/",
        "/staff/referrals/incoming/",
    ):
        assert_no_inline_code(client.get(url).content.decode())
    client.logout()
    sign_in(client, partner_user(hospital))
    for url in (
        f"/staff/referrals/received/{referral.public_id}/",
        "/staff/referrals/received/",
        "/staff/referrals/to-centre/",
        "/staff/referrals/to-centre/new/",
    ):
        assert_no_inline_code(client.get(url).content.decode())
