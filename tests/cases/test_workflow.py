"""The case workflow through its pages: the stage panel, transitions and their preconditions, the
full journey to assistance, closure and reopening, concurrent changes."""

import pytest
from django.db import connection
from django.urls import reverse

from tests.cases.builders_workflow import (
    SURVIVOR_FAMILY,
    SURVIVOR_GIVEN,
    add_assessments,
    care_plan_data,
    goal,
    needs_data,
    other_staff,
    risk_data,
    screened_case,
)
from tests.testapp.helpers import sign_in
from tumaini.cases.enums import (
    ApprovalKind,
    ApprovalStatus,
    CarePlanStatus,
    CaseStage,
    NeedType,
    TraffickingDecision,
)
from tumaini.cases.models import ApprovalRequest, CarePlan, Case, Notification, StageChange
from tumaini.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def stage_url(case):
    return reverse("cases:case_stage", args=[case.public_id])


def move(client, case, to_stage, *, version=None, comment=""):
    case.refresh_from_db()
    return client.post(
        stage_url(case),
        {
            "to_stage": to_stage,
            "version": case.version if version is None else version,
            "comment": comment,
        },
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_full_path_screened_case_reaches_assistance_after_director_approves(client, personas):
    case = screened_case(personas)
    sign_in(client, personas.owner)

    page = client.get(case.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert "Identification and screening" in body
    assert "Move to “Needs and risk assessment”" in body

    move(client, case, CaseStage.ASSESSMENT)
    case.refresh_from_db()
    assert case.stage == CaseStage.ASSESSMENT
    body = client.get(case.get_absolute_url()).content.decode()
    assert "needs: a needs assessment; a risk assessment" in body

    response = client.post(
        reverse("cases:risk_new", args=[case.public_id]),
        risk_data(security="high", security_notes="Recruiter phoned the shelter"),
    )
    assert response.status_code == 302
    response = client.post(
        reverse("cases:needs_new", args=[case.public_id]),
        needs_data(
            {NeedType.ACCOMMODATION: ("high", "No safe place"), NeedType.HEALTH: ("medium", "")}
        ),
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.risk_level == "high" and "high_risk" in case.flags

    move(client, case, CaseStage.CARE_PLANNING)
    case.refresh_from_db()
    assert case.stage == CaseStage.CARE_PLANNING

    response = client.post(
        reverse("cases:care_plan_new", args=[case.public_id]),
        care_plan_data([goal(owner=personas.teammate)]),
    )
    assert response.status_code == 302
    plan = CarePlan.objects.get(case=case)
    assert plan.status == CarePlanStatus.DRAFT
    body = client.get(case.get_absolute_url()).content.decode()
    assert "needs: an approved care plan" in body

    response = client.post(
        reverse("cases:care_plan_submit", args=[case.public_id, plan.public_id]),
        {"version": plan.version, "comment": "Ready"},
        follow=True,
    )
    assert "sent to the directors" in " ".join(messages_of(response))
    approval = ApprovalRequest.objects.get(case=case, kind=ApprovalKind.CARE_PLAN)
    assert approval.status == ApprovalStatus.PENDING

    client.logout()
    sign_in(client, personas.director)
    response = client.post(
        reverse("cases:approval_detail", args=[approval.public_id]),
        {"decision": "approve", "comment": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert "Request approved." in messages_of(response)
    case.refresh_from_db()
    plan.refresh_from_db()
    assert plan.status == CarePlanStatus.APPROVED and plan.approved_by == personas.director
    assert case.stage == CaseStage.ASSISTANCE
    stages = list(
        StageChange.objects.filter(case=case).order_by("id").values_list("to_stage", flat=True)
    )
    assert stages == [CaseStage.ASSESSMENT, CaseStage.CARE_PLANNING, CaseStage.ASSISTANCE]
    owner_messages = list(
        Notification.objects.filter(recipient=personas.owner).values_list("message", flat=True)
    )
    assert any("care plan was approved" in message for message in owner_messages)
    for message in Notification.objects.values_list("message", flat=True):
        assert case.case_number in message
        assert SURVIVOR_GIVEN not in message and SURVIVOR_FAMILY not in message


def test_transition_writes_stage_change_and_audit_event(client, personas):
    case = screened_case(personas)
    sign_in(client, personas.teammate)
    move(client, case, CaseStage.PROTECTION, comment="Placed in shelter")
    case.refresh_from_db()
    assert case.stage == CaseStage.PROTECTION
    change = StageChange.objects.get(case=case)
    assert (change.from_stage, change.to_stage, change.changed_by) == (
        CaseStage.SCREENING,
        CaseStage.PROTECTION,
        personas.teammate,
    )
    event = AuditEvent.objects.filter(
        object_type="cases.case", object_id=str(case.public_id), action="update"
    ).latest("id")
    assert event.fields_changed == ["stage"]
    assert event.actor == personas.teammate
    # The case manager hears that someone else moved their case.
    assert Notification.objects.filter(recipient=personas.owner, case=case).exists()
    body = client.get(case.get_absolute_url()).content.decode()
    assert "Placed in shelter" in body


def test_transition_to_assessment_refused_without_decided_screening(client, personas):
    case = screened_case(personas, decision=TraffickingDecision.PENDING)
    sign_in(client, personas.owner)
    body = client.get(case.get_absolute_url()).content.decode()
    assert "needs: a screening decided as possible or actual victim" in body
    response = move(client, case, CaseStage.ASSESSMENT)
    assert any("It needs: a screening decided" in m for m in messages_of(response))
    case.refresh_from_db()
    assert case.stage == CaseStage.SCREENING
    assert not StageChange.objects.filter(case=case).exists()


def test_transition_refused_for_a_not_a_victim_decision(client, personas):
    case = screened_case(personas, decision=TraffickingDecision.NOT_A_VICTIM)
    sign_in(client, personas.owner)
    move(client, case, CaseStage.ASSESSMENT)
    case.refresh_from_db()
    assert case.stage == CaseStage.SCREENING


def test_care_planning_refused_without_assessments(client, personas):
    case = screened_case(personas, stage=CaseStage.ASSESSMENT)
    sign_in(client, personas.owner)
    response = move(client, case, CaseStage.CARE_PLANNING)
    assert any("a needs assessment; a risk assessment" in m for m in messages_of(response))
    case.refresh_from_db()
    assert case.stage == CaseStage.ASSESSMENT


def test_assistance_refused_without_approved_plan(client, personas):
    case = screened_case(personas, stage=CaseStage.CARE_PLANNING)
    add_assessments(case, by=personas.owner)
    sign_in(client, personas.owner)
    response = move(client, case, CaseStage.ASSISTANCE)
    assert any("an approved care plan" in m for m in messages_of(response))
    case.refresh_from_db()
    assert case.stage == CaseStage.CARE_PLANNING


def test_transition_outside_table_refused(client, personas):
    case = screened_case(personas)
    sign_in(client, personas.owner)
    response = move(client, case, CaseStage.FOLLOW_UP)
    assert any("cannot go from" in m for m in messages_of(response))
    case.refresh_from_db()
    assert case.stage == CaseStage.SCREENING


def test_closing_directly_refused_without_approved_closure(client, personas):
    case = screened_case(personas, stage=CaseStage.ASSISTANCE)
    sign_in(client, personas.director)
    response = move(client, case, CaseStage.CLOSED)
    assert any("an approved closure request" in m for m in messages_of(response))
    case.refresh_from_db()
    assert case.stage == CaseStage.ASSISTANCE and case.closed_at is None


def test_follow_up_and_reintegration_from_assistance(client, personas):
    case = screened_case(personas, stage=CaseStage.ASSISTANCE)
    sign_in(client, personas.owner)
    move(client, case, CaseStage.REINTEGRATION)
    case.refresh_from_db()
    assert case.stage == CaseStage.REINTEGRATION
    move(client, case, CaseStage.FOLLOW_UP)
    case.refresh_from_db()
    assert case.stage == CaseStage.FOLLOW_UP


def test_concurrent_transition_refused(client, personas):
    case = screened_case(personas)
    seen_version = case.version
    sign_in(client, personas.owner)
    move(client, case, CaseStage.PROTECTION, version=seen_version)
    # A second page, opened before the first change, still carries the old version.
    response = move(client, case, CaseStage.ASSESSMENT, version=seen_version)
    assert any("Someone else changed this case" in m for m in messages_of(response))
    case.refresh_from_db()
    assert case.stage == CaseStage.PROTECTION
    assert StageChange.objects.filter(case=case).count() == 1


def test_closure_request_and_approval_closes_the_case(client, personas):
    case = screened_case(personas, stage=CaseStage.FOLLOW_UP)
    sign_in(client, personas.owner)
    page = client.get(reverse("cases:closure_request", args=[case.public_id]))
    assert page.status_code == 200 and "Reason for closing" in page.content.decode()
    response = client.post(
        reverse("cases:closure_request", args=[case.public_id]),
        {"reason": "reintegrated", "notes": "Living with her aunt in Kisumu", "comment": ""},
        follow=True,
    )
    assert "Closure requested" in " ".join(messages_of(response))
    approval = ApprovalRequest.objects.get(case=case, kind=ApprovalKind.CLOSURE)
    assert Notification.objects.filter(recipient=personas.director, case=case).exists()
    case.refresh_from_db()
    assert case.stage == CaseStage.FOLLOW_UP

    client.logout()
    sign_in(client, personas.director)
    detail = client.get(reverse("cases:approval_detail", args=[approval.public_id]))
    assert "Reintegrated" in detail.content.decode()
    client.post(
        reverse("cases:approval_detail", args=[approval.public_id]),
        {"decision": "approve", "comment": ""},
    )
    case.refresh_from_db()
    assert case.stage == CaseStage.CLOSED
    assert case.closed_at is not None
    assert case.closure_reason == "reintegrated"
    assert case.closure_notes == "Living with her aunt in Kisumu"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT closure_notes FROM {Case._meta.db_table} WHERE id = %s", [case.pk])
        raw = cursor.fetchone()[0]
    assert raw and "Kisumu" not in raw
    assert any(
        "closure was approved" in m
        for m in Notification.objects.filter(recipient=personas.owner).values_list(
            "message", flat=True
        )
    )


def test_closure_refused_keeps_case_open(client, personas):
    case = screened_case(personas, stage=CaseStage.ASSISTANCE)
    sign_in(client, personas.owner)
    client.post(
        reverse("cases:closure_request", args=[case.public_id]),
        {"reason": "lost_contact", "notes": "", "comment": ""},
    )
    approval = ApprovalRequest.objects.get(case=case, kind=ApprovalKind.CLOSURE)
    client.logout()
    sign_in(client, personas.director)
    client.post(
        reverse("cases:approval_detail", args=[approval.public_id]),
        {"decision": "reject", "comment": "Try the phone numbers from the intake first"},
    )
    case.refresh_from_db()
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.REJECTED
    assert case.stage == CaseStage.ASSISTANCE and case.closed_at is None
    note = Notification.objects.get(recipient=personas.owner, case=case)
    assert "Try the phone numbers" in note.message


def _closed_case(client, personas):
    case = screened_case(personas, stage=CaseStage.FOLLOW_UP)
    sign_in(client, personas.owner)
    client.post(
        reverse("cases:closure_request", args=[case.public_id]),
        {"reason": "reintegrated", "notes": "", "comment": ""},
    )
    approval = ApprovalRequest.objects.get(case=case)
    client.logout()
    sign_in(client, personas.director)
    client.post(
        reverse("cases:approval_detail", args=[approval.public_id]),
        {"decision": "approve", "comment": ""},
    )
    client.logout()
    case.refresh_from_db()
    assert case.stage == CaseStage.CLOSED
    return case


def test_reopen_by_case_manager_with_comment(client, personas):
    case = _closed_case(client, personas)
    sign_in(client, personas.owner)
    body = client.get(case.get_absolute_url()).content.decode()
    assert "Reopen the case" in body
    response = move(client, case, CaseStage.ASSESSMENT, comment="")
    assert any(
        "Say why the case is reopened" in m or "required" in m for m in messages_of(response)
    )
    case.refresh_from_db()
    assert case.stage == CaseStage.CLOSED
    move(client, case, CaseStage.ASSESSMENT, comment="She came back to the centre")
    case.refresh_from_db()
    assert case.stage == CaseStage.ASSESSMENT
    assert case.closed_at is None
    change = StageChange.objects.filter(case=case).latest("id")
    assert change.from_stage == CaseStage.CLOSED and change.comment == "She came back to the centre"


def test_reopen_by_director_to_a_chosen_stage(client, personas):
    case = _closed_case(client, personas)
    sign_in(client, personas.director)
    move(client, case, CaseStage.FOLLOW_UP, comment="A follow-up visit is due")
    case.refresh_from_db()
    assert case.stage == CaseStage.FOLLOW_UP


def test_reopen_refused_for_teammate_who_is_not_case_manager(client, personas):
    case = _closed_case(client, personas)
    sign_in(client, personas.teammate)
    body = client.get(case.get_absolute_url()).content.decode()
    assert "Reopen the case" not in body
    response = move(client, case, CaseStage.ASSESSMENT, comment="Reopen it")
    assert any("Only a director or the case manager" in m for m in messages_of(response))
    case.refresh_from_db()
    assert case.stage == CaseStage.CLOSED


# --- Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("owner", True),
        ("teammate", True),
        ("director", True),
        ("outsider", False),
        ("admin_user", False),
        ("counsellor", False),
        ("shelter", False),
        ("analyst", False),
    ],
)
def test_stage_change_access_matrix(client, personas, persona, allowed):
    case = screened_case(personas)
    staff = other_staff(personas)
    user = getattr(personas, persona, None) or staff[persona]
    sign_in(client, user)
    response = client.post(
        stage_url(case), {"to_stage": CaseStage.PROTECTION, "version": case.version}
    )
    case.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert case.stage == CaseStage.PROTECTION
    else:
        assert response.status_code == 404
        assert case.stage == CaseStage.SCREENING


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("owner", 200),
        ("teammate", 200),
        ("director", 200),
        ("outsider", 404),
        ("admin_user", 404),
        ("counsellor", 404),
        ("shelter", 404),
        ("analyst", 404),
    ],
)
def test_closure_request_page_access_matrix(client, personas, persona, status):
    case = screened_case(personas, stage=CaseStage.ASSISTANCE)
    staff = other_staff(personas)
    sign_in(client, getattr(personas, persona, None) or staff[persona])
    response = client.get(reverse("cases:closure_request", args=[case.public_id]))
    assert response.status_code == status
    if status == 200:
        assert case.case_number in response.content.decode()


def test_workflow_pages_send_anonymous_to_login(client, personas):
    case = screened_case(personas)
    for url in (
        stage_url(case),
        reverse("cases:closure_request", args=[case.public_id]),
        reverse("cases:approval_queue"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_stage_panel_shows_a_skipped_stage_as_skipped_not_done(client, personas):
    case = screened_case(personas)
    sign_in(client, personas.owner)
    # Straight to assessment: no shelter was needed, "immediate protection" never happened.
    move(client, case, CaseStage.ASSESSMENT)

    page = client.get(case.get_absolute_url()).content.decode()
    panel = page[page.index('class="stage-progress"') :]
    panel = panel[: panel.index("</ol>")] if "</ol>" in panel else panel[: panel.index("</ul>")]
    assert 'class="stage-skipped">Immediate protection' in panel
    assert 'class="stage-done">Identification and screening' in panel
    assert 'class="stage-current" aria-current="step">Needs and risk assessment' in panel
