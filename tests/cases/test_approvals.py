"""Supervisor approvals through their pages: the queue, decisions, self-approval, notifications and
the home panels."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.cases.builders_workflow import (
    SURVIVOR_FAMILY,
    SURVIVOR_GIVEN,
    add_care_plan,
    care_plan_data,
    goal,
    other_staff,
    pending_plan_approval,
    screened_case,
)
from tests.factories import UserFactory
from tests.testapp.helpers import sign_in
from tumaini.accounts.enums import Role
from tumaini.cases.enums import ApprovalKind, ApprovalStatus, CarePlanStatus, CaseStage
from tumaini.cases.models import ApprovalRequest, CarePlan, Notification

pytestmark = pytest.mark.django_db

QUEUE = "cases:approval_queue"


def detail_url(approval):
    return reverse("cases:approval_detail", args=[approval.public_id])


def submit(client, case, plan):
    plan.refresh_from_db()
    return client.post(
        reverse("cases:care_plan_submit", args=[case.public_id, plan.public_id]),
        {"version": plan.version, "comment": ""},
        follow=True,
    )


def test_queue_lists_pending_oldest_first_without_survivor_names(client, personas):
    first = pending_plan_approval(screened_case(personas), by=personas.owner)
    second = pending_plan_approval(screened_case(personas), by=personas.teammate)
    decided = pending_plan_approval(screened_case(personas), by=personas.owner)
    ApprovalRequest.objects.filter(pk=decided.pk).update(status=ApprovalStatus.APPROVED)
    sign_in(client, personas.director)
    body = client.get(reverse(QUEUE)).content.decode()
    assert first.case.case_number in body and second.case.case_number in body
    assert body.index(first.case.case_number) < body.index(second.case.case_number)
    assert decided.case.case_number not in body
    assert SURVIVOR_GIVEN not in body and SURVIVOR_FAMILY not in body


def test_queue_has_no_n_plus_one(client, personas):
    sign_in(client, personas.director)
    pending_plan_approval(screened_case(personas), by=personas.owner)
    client.get(reverse(QUEUE))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse(QUEUE))
    for _ in range(4):
        pending_plan_approval(screened_case(personas), by=personas.owner)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(QUEUE))
    assert response.content.decode().count("/staff/cases/approvals/") >= 5
    assert len(many) == len(one)


def test_care_plan_rejected_then_resent(client, personas):
    case = screened_case(personas, stage=CaseStage.CARE_PLANNING)
    plan = add_care_plan(case, by=personas.owner)
    sign_in(client, personas.owner)
    submit(client, case, plan)
    approval = ApprovalRequest.objects.get(care_plan=plan)
    assert Notification.objects.filter(recipient=personas.director, case=case).exists()

    client.logout()
    sign_in(client, personas.director)
    page = client.get(detail_url(approval)).content.decode()
    assert "A safe place to live" in page
    refused = client.post(detail_url(approval), {"decision": "reject", "comment": ""})
    assert refused.status_code == 200
    assert "Say why the request is rejected." in refused.content.decode()
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.PENDING

    client.post(detail_url(approval), {"decision": "reject", "comment": "Add a health goal"})
    approval.refresh_from_db()
    plan.refresh_from_db()
    case.refresh_from_db()
    assert approval.status == ApprovalStatus.REJECTED
    assert approval.decision_comment == "Add a health goal"
    assert plan.status == CarePlanStatus.REJECTED
    assert case.stage == CaseStage.CARE_PLANNING
    told = Notification.objects.get(recipient=personas.owner, case=case)
    assert "Add a health goal" in told.message and case.case_number in told.message

    client.logout()
    sign_in(client, personas.owner)
    detail = client.get(
        reverse("cases:care_plan_detail", args=[case.public_id, plan.public_id])
    ).content.decode()
    assert "Add a health goal" in detail
    client.post(
        reverse("cases:care_plan_edit", args=[case.public_id, plan.public_id]),
        care_plan_data([goal(owner=personas.owner)], version=plan.version, existing=1),
    )
    plan.refresh_from_db()
    assert plan.status == CarePlanStatus.DRAFT
    submit(client, case, plan)
    plan.refresh_from_db()
    assert plan.status == CarePlanStatus.PENDING_APPROVAL
    assert (
        ApprovalRequest.objects.filter(care_plan=plan, status=ApprovalStatus.PENDING).count() == 1
    )


def test_approving_new_plan_supersedes_previous(client, personas):
    case = screened_case(personas, stage=CaseStage.ASSISTANCE)
    old = add_care_plan(case, by=personas.owner, status=CarePlanStatus.APPROVED)
    new = add_care_plan(case, by=personas.owner)
    sign_in(client, personas.owner)
    submit(client, case, new)
    approval = ApprovalRequest.objects.get(care_plan=new)
    client.logout()
    sign_in(client, personas.director)
    client.post(detail_url(approval), {"decision": "approve", "comment": "Good"})
    old.refresh_from_db()
    new.refresh_from_db()
    case.refresh_from_db()
    assert (old.status, new.status) == (CarePlanStatus.SUPERSEDED, CarePlanStatus.APPROVED)
    assert case.stage == CaseStage.ASSISTANCE


def test_sending_plan_refused_before_care_planning_stage(client, personas):
    case = screened_case(personas, stage=CaseStage.ASSESSMENT)
    plan = add_care_plan(case, by=personas.owner)
    sign_in(client, personas.owner)
    response = submit(client, case, plan)
    assert "Move the case to the care plan stage" in response.content.decode()
    assert not ApprovalRequest.objects.exists()


def test_second_closure_request_refused_while_one_waits(client, personas):
    case = screened_case(personas, stage=CaseStage.ASSISTANCE)
    sign_in(client, personas.owner)
    url = reverse("cases:closure_request", args=[case.public_id])
    client.post(url, {"reason": "lost_contact"})
    response = client.post(url, {"reason": "duplicate"})
    assert "already waiting for a decision" in response.content.decode()
    assert ApprovalRequest.objects.filter(case=case).count() == 1


def test_requester_cannot_approve_own_request_even_as_director(client, personas):
    case = screened_case(personas, stage=CaseStage.FOLLOW_UP)
    sign_in(client, personas.director)
    client.post(reverse("cases:closure_request", args=[case.public_id]), {"reason": "repatriated"})
    approval = ApprovalRequest.objects.get(case=case, kind=ApprovalKind.CLOSURE)
    # The requester is not told about their own request.
    assert not Notification.objects.filter(recipient=personas.director).exists()
    page = client.get(detail_url(approval)).content.decode()
    assert "another director must decide it" in page
    assert "Record the decision" not in page
    response = client.post(detail_url(approval), {"decision": "approve", "comment": ""})
    assert "You cannot decide your own request" in response.content.decode()
    approval.refresh_from_db()
    case.refresh_from_db()
    assert approval.status == ApprovalStatus.PENDING and case.stage == CaseStage.FOLLOW_UP

    other = UserFactory(username="director_a2", organisation=personas.org_a, roles=[Role.DIRECTOR])
    client.logout()
    sign_in(client, other)
    client.post(detail_url(approval), {"decision": "approve", "comment": ""})
    case.refresh_from_db()
    assert case.stage == CaseStage.CLOSED


def test_decided_request_cannot_be_decided_again(client, personas):
    approval = pending_plan_approval(screened_case(personas), by=personas.owner)
    sign_in(client, personas.director)
    client.post(detail_url(approval), {"decision": "reject", "comment": "No"})
    response = client.post(detail_url(approval), {"decision": "approve", "comment": ""})
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.REJECTED
    assert "Record the decision" not in response.content.decode()
    assert CarePlan.objects.get(pk=approval.care_plan_id).status == CarePlanStatus.REJECTED


# --- Home panels and notifications -------------------------------------------------------------


def test_home_shows_approvals_waiting_to_directors_only(client, personas):
    pending_plan_approval(screened_case(personas), by=personas.owner)
    pending_plan_approval(screened_case(personas), by=personas.owner)
    sign_in(client, personas.director)
    body = client.get(reverse("core:staff_home")).content.decode()
    assert "Approvals waiting" in body and "2 requests wait for your decision." in body
    assert reverse(QUEUE) in body
    client.logout()
    sign_in(client, personas.owner)
    body = client.get(reverse("core:staff_home")).content.decode()
    assert "Approvals waiting" not in body
    assert reverse(QUEUE) not in body


def test_notifications_panel_and_mark_read(client, personas):
    case = screened_case(personas, stage=CaseStage.CARE_PLANNING)
    plan = add_care_plan(case, by=personas.owner)
    sign_in(client, personas.owner)
    submit(client, case, plan)
    client.logout()
    sign_in(client, personas.director)
    home = client.get(reverse("core:staff_home")).content.decode()
    assert f"Case {case.case_number}: a care plan is waiting for your approval." in home
    notification = Notification.objects.get(recipient=personas.director)
    client.post(reverse("cases:notification_read", args=[notification.public_id]))
    notification.refresh_from_db()
    assert notification.read_at is not None
    home = client.get(reverse("core:staff_home")).content.decode()
    assert "a care plan is waiting for your approval" not in home


def test_marking_someone_elses_notification_changes_nothing(client, personas):
    case = screened_case(personas)
    theirs = Notification.objects.create(recipient=personas.owner, case=case, message="x")
    sign_in(client, personas.teammate)
    client.post(reverse("cases:notification_read", args=[theirs.public_id]))
    client.post(reverse("cases:notifications_read"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- Access -------------------------------------------------------------------------------------

QUEUE_MATRIX = [
    ("owner", 404),
    ("teammate", 404),
    ("director", 200),
    ("outsider", 200),
    ("admin_user", 404),
    ("counsellor", 404),
    ("shelter", 404),
    ("analyst", 404),
]


@pytest.mark.parametrize(("persona", "status"), QUEUE_MATRIX)
def test_queue_access_matrix(client, personas, persona, status):
    approval = pending_plan_approval(screened_case(personas), by=personas.owner)
    staff = other_staff(personas)
    sign_in(client, getattr(personas, persona, None) or staff[persona])
    response = client.get(reverse(QUEUE))
    assert response.status_code == status
    if status == 200:
        # A director of another organisation sees an empty queue, not this case.
        listed = approval.case.case_number in response.content.decode()
        assert listed == (persona == "director")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("owner", 404),
        ("teammate", 404),
        ("director", 200),
        ("outsider", 404),
        ("admin_user", 404),
        ("counsellor", 404),
        ("shelter", 404),
        ("analyst", 404),
    ],
)
def test_approval_detail_access_matrix(client, personas, persona, status):
    approval = pending_plan_approval(screened_case(personas), by=personas.teammate)
    staff = other_staff(personas)
    sign_in(client, getattr(personas, persona, None) or staff[persona])
    assert client.get(detail_url(approval)).status_code == status
    response = client.post(detail_url(approval), {"decision": "approve", "comment": ""})
    approval.refresh_from_db()
    if status == 200:
        assert approval.status == ApprovalStatus.APPROVED
    else:
        assert response.status_code == 404
        assert approval.status == ApprovalStatus.PENDING


def test_approval_pages_send_anonymous_to_login(client, personas):
    approval = pending_plan_approval(screened_case(personas), by=personas.owner)
    for url in (reverse(QUEUE), detail_url(approval)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_menu_shows_approvals_to_directors(client, personas):
    sign_in(client, personas.director)
    assert reverse(QUEUE) in client.get(reverse("core:staff_home")).content.decode()
