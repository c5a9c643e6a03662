"""Risk and needs assessments and the care plan, through their pages."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.cases.builders_workflow import (
    add_assessments,
    add_care_plan,
    care_plan_data,
    goal,
    needs_data,
    other_staff,
    risk_data,
    screened_case,
)
from tests.factories import UserFactory
from tests.testapp.helpers import case_section, sign_in
from tumaini.accounts.enums import Role
from tumaini.cases.enums import CarePlanStatus, CaseStage, GoalStatus, NeedType
from tumaini.cases.models import CarePlan, CarePlanGoal, Need, NeedsAssessment, RiskAssessment
from tumaini.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(personas):
    return screened_case(personas, stage=CaseStage.ASSESSMENT)


def test_risk_assessment_high_sets_risk_level_and_flag(client, personas, case):
    sign_in(client, personas.owner)
    page = client.get(reverse("cases:risk_new", args=[case.public_id]))
    assert "Psychological risk" in page.content.decode()
    response = client.post(
        reverse("cases:risk_new", args=[case.public_id]),
        risk_data(physical="high", physical_notes="Threatened by the recruiter"),
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.risk_level == "high"
    assert case.flags == ["high_risk"]
    body = client.get(case_section(case, "assessments")).content.decode()
    assert "Threatened by the recruiter" in body
    assert "badge-warning" in body
    event = AuditEvent.objects.filter(object_type="cases.riskassessment", action="create").get()
    assert "physical_notes" in event.fields_changed
    assert "Threatened" not in str(event.detail) + str(event.fields_changed)


def test_risk_assessment_not_high_removes_flag(client, personas, case):
    case.flags = ["high_risk", "child"]
    case.risk_level = "high"
    case.save()
    sign_in(client, personas.owner)
    client.post(reverse("cases:risk_new", args=[case.public_id]), risk_data(health="medium"))
    case.refresh_from_db()
    assert case.risk_level == "medium"
    assert case.flags == ["child"]


def test_risk_notes_stored_encrypted(client, personas, case):
    sign_in(client, personas.owner)
    client.post(
        reverse("cases:risk_new", args=[case.public_id]),
        risk_data(security_notes="Seen near Eastleigh market"),
    )
    assessment = RiskAssessment.objects.get(case=case)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT security_notes FROM {RiskAssessment._meta.db_table} WHERE id = %s",
            [assessment.pk],
        )
        raw = cursor.fetchone()[0]
    assert raw and "Eastleigh" not in raw
    assert assessment.security_notes == "Seen near Eastleigh market"


def test_risk_assessment_future_date_refused_and_values_kept(client, personas, case):
    sign_in(client, personas.owner)
    data = risk_data(physical="high", physical_notes="Kept text")
    data["assessed_on"] = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client.post(reverse("cases:risk_new", args=[case.public_id]), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "The date cannot be in the future." in body
    assert "Kept text" in body
    assert not RiskAssessment.objects.exists()


def test_risk_history_lists_every_assessment_and_is_audited(client, personas, case):
    sign_in(client, personas.owner)
    client.post(reverse("cases:risk_new", args=[case.public_id]), risk_data(health_notes="First"))
    client.post(reverse("cases:risk_new", args=[case.public_id]), risk_data(health_notes="Second"))
    body = client.get(case_section(case, "assessments")).content.decode()
    assert "All 2 assessments" in body
    before = AuditEvent.objects.filter(action="view", object_id=str(case.public_id)).count()
    history = client.get(reverse("cases:risk_history", args=[case.public_id])).content.decode()
    assert "First" in history and "Second" in history
    assert AuditEvent.objects.filter(action="view", object_id=str(case.public_id)).count() == (
        before + 1
    )


def test_needs_assessment_saves_all_items(client, personas, case):
    sign_in(client, personas.owner)
    page = client.get(reverse("cases:needs_new", args=[case.public_id])).content.decode()
    assert "Being followed" in page and "Family contact" in page
    response = client.post(
        reverse("cases:needs_new", args=[case.public_id]),
        needs_data({NeedType.DOCUMENTS: ("medium", "Passport kept by employer")}),
    )
    assert response.status_code == 302
    assessment = NeedsAssessment.objects.get(case=case)
    assert assessment.needs.count() == len(NeedType.values)
    documents = assessment.needs.get(type=NeedType.DOCUMENTS)
    assert documents.identified and documents.urgency == "medium"
    assert not assessment.needs.get(type=NeedType.FOOD).identified
    body = client.get(case_section(case, "assessments")).content.decode()
    assert "Passport kept by employer" in body


def test_needs_identified_without_urgency_refused_and_values_kept(client, personas, case):
    sign_in(client, personas.owner)
    response = client.post(
        reverse("cases:needs_new", args=[case.public_id]),
        needs_data({NeedType.HEALTH: ("", "Needs a clinic visit")}),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Say how urgent this need is." in body
    assert "Needs a clinic visit" in body
    assert not NeedsAssessment.objects.exists()
    assert not Need.objects.exists()


def test_care_plan_needs_a_needs_assessment_first(client, personas, case):
    sign_in(client, personas.owner)
    response = client.get(reverse("cases:care_plan_new", args=[case.public_id]), follow=True)
    assert "Record a needs assessment first" in response.content.decode()
    assert not CarePlan.objects.exists()


def test_care_plan_created_as_draft_with_goals(client, personas, case):
    add_assessments(case, by=personas.owner, identified=(NeedType.ACCOMMODATION, NeedType.HEALTH))
    sign_in(client, personas.owner)
    page = client.get(reverse("cases:care_plan_new", args=[case.public_id])).content.decode()
    # The need choices are the identified needs only; staff of the organisation are offered.
    assert "Accommodation" in page and "Health" in page and "Clothing" not in page
    assert str(personas.teammate.public_id) in page
    assert str(personas.outsider.public_id) not in page
    response = client.post(
        reverse("cases:care_plan_new", args=[case.public_id]),
        care_plan_data(
            [
                goal(owner=personas.teammate),
                goal(owner=personas.owner, need=NeedType.HEALTH, text="See a doctor"),
            ]
        ),
    )
    assert response.status_code == 302
    plan = CarePlan.objects.get(case=case)
    assert plan.status == CarePlanStatus.DRAFT
    assert sorted(plan.goals.values_list("need_type", flat=True)) == ["accommodation", "health"]
    detail = client.get(response["Location"]).content.decode()
    assert "See a doctor" in detail and "Send to a director for approval" in detail


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (
            {"due_on": (timezone.localdate() - timedelta(days=1)).isoformat()},
            "cannot be in the past",
        ),
        ({"need_type": NeedType.CLOTHING}, "Select a valid choice"),
        ({"goal": ""}, "This field is required"),
    ],
)
def test_care_plan_invalid_goal_refused_and_values_kept(client, personas, case, change, error):
    add_assessments(case, by=personas.owner)
    sign_in(client, personas.owner)
    data = care_plan_data([{**goal(owner=personas.owner), **change}], summary="Kept summary")
    response = client.post(reverse("cases:care_plan_new", args=[case.public_id]), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert error in body
    assert "Kept summary" in body
    assert not CarePlan.objects.exists()


def test_care_plan_owner_from_another_organisation_refused(client, personas, case):
    add_assessments(case, by=personas.owner)
    sign_in(client, personas.owner)
    data = care_plan_data([goal(owner=personas.outsider)])
    response = client.post(reverse("cases:care_plan_new", args=[case.public_id]), data)
    assert "Select a valid choice" in response.content.decode()
    assert not CarePlan.objects.exists()


def test_care_plan_without_goals_refused(client, personas, case):
    add_assessments(case, by=personas.owner)
    sign_in(client, personas.owner)
    response = client.post(
        reverse("cases:care_plan_new", args=[case.public_id]), care_plan_data([])
    )
    assert "Add at least one goal." in response.content.decode()


def test_care_plan_edit_draft(client, personas, case):
    plan = add_care_plan(case, by=personas.owner)
    sign_in(client, personas.owner)
    url = reverse("cases:care_plan_edit", args=[case.public_id, plan.public_id])
    page = client.get(url).content.decode()
    assert "A safe place to live" in page
    response = client.post(
        url,
        care_plan_data(
            [goal(owner=personas.teammate, text="Rented room with support")],
            summary="Changed",
            version=plan.version,
            existing=1,
        ),
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.summary == "Changed" and plan.version == 2
    assert list(plan.goals.values_list("goal", flat=True)) == ["Rented room with support"]


def test_care_plan_edit_with_stale_version_refused(client, personas, case):
    plan = add_care_plan(case, by=personas.owner)
    sign_in(client, personas.owner)
    url = reverse("cases:care_plan_edit", args=[case.public_id, plan.public_id])
    first = client.post(
        url, care_plan_data([goal(owner=personas.owner)], summary="First", version=1, existing=1)
    )
    assert first.status_code == 302
    # A second page opened before the first save still says version 1.
    response = client.post(
        url, care_plan_data([goal(owner=personas.owner)], summary="Second", version=1, existing=1)
    )
    assert response.status_code == 200
    assert "Someone else changed this care plan" in response.content.decode()
    plan.refresh_from_db()
    assert plan.summary == "First"


def test_care_plan_edit_refused_once_sent(client, personas, case):
    plan = add_care_plan(case, by=personas.owner, status=CarePlanStatus.PENDING_APPROVAL)
    sign_in(client, personas.owner)
    url = reverse("cases:care_plan_edit", args=[case.public_id, plan.public_id])
    response = client.post(
        url,
        care_plan_data([goal(owner=personas.owner)], summary="Sneaky", version=1, existing=1),
        follow=True,
    )
    assert "Only a draft or a sent-back care plan can be edited." in response.content.decode()
    plan.refresh_from_db()
    assert plan.summary == "Safe housing"


def test_goal_status_updated_after_approval(client, personas, case):
    plan = add_care_plan(case, by=personas.owner, status=CarePlanStatus.APPROVED)
    target = plan.goals.get()
    sign_in(client, personas.owner)
    response = client.post(
        reverse(
            "cases:care_plan_goal_status", args=[case.public_id, plan.public_id, target.public_id]
        ),
        {"status": GoalStatus.IN_PROGRESS},
        follow=True,
    )
    assert "Goal status saved." in response.content.decode()
    assert CarePlanGoal.objects.get(pk=target.pk).status == GoalStatus.IN_PROGRESS
    assert AuditEvent.objects.filter(
        object_type="cases.careplangoal", action="update", fields_changed=["status"]
    ).exists()


# --- Access -------------------------------------------------------------------------------------

PERSONAS = [
    ("owner", 200),
    ("teammate", 200),
    ("director", 200),
    ("outsider", 404),
    ("admin_user", 404),
    ("counsellor", 404),
    ("shelter", 404),
    ("analyst", 404),
]
PAGES = [
    "risk_new",
    "risk_history",
    "needs_new",
    "needs_history",
    "care_plan_new",
    "care_plan_history",
    "care_plan_detail",
    "care_plan_edit",
]


def _url(name, case, plan):
    if name in ("care_plan_detail", "care_plan_edit"):
        return reverse(f"cases:{name}", args=[case.public_id, plan.public_id])
    return reverse(f"cases:{name}", args=[case.public_id])


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(("persona", "status"), PERSONAS)
def test_assessment_pages_access_matrix(client, personas, case, name, persona, status):
    plan = add_care_plan(case, by=personas.owner)
    staff = other_staff(personas)
    sign_in(client, getattr(personas, persona, None) or staff[persona])
    response = client.get(_url(name, case, plan))
    assert response.status_code == status
    if status == 200:
        assert case.case_number in response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_assessment_pages_send_anonymous_to_login(client, personas, case, name):
    plan = add_care_plan(case, by=personas.owner)
    response = client.get(_url(name, case, plan))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_case_manager_of_another_team_gets_404(client, personas, case):
    stranger = UserFactory(organisation=personas.org_a, roles=[Role.CASE_MANAGER])
    sign_in(client, stranger)
    assert client.get(reverse("cases:risk_new", args=[case.public_id])).status_code == 404
    response = client.post(reverse("cases:risk_new", args=[case.public_id]), risk_data())
    assert response.status_code == 404
    assert not RiskAssessment.objects.exists()


def test_care_plan_offers_care_staff_not_fundraisers_or_administrators_as_responsible(
    client, personas
):
    case = screened_case(personas, stage=CaseStage.CARE_PLANNING)
    add_assessments(case, by=personas.owner)
    UserFactory(username="fundraiser_a", organisation=personas.org_a, roles=[Role.FUNDRAISER])
    UserFactory(username="counsellor_a", organisation=personas.org_a, roles=[Role.COUNSELLOR])
    sign_in(client, personas.owner)

    page = client.get(reverse("cases:care_plan_new", args=[case.public_id])).content.decode()

    for user in ("counsellor_a", "owner", "director_a"):
        public_id = str(type(personas.owner).objects.get(username=user).public_id)
        assert f'value="{public_id}"' in page, user
    for user in ("fundraiser_a", "sysadmin"):
        public_id = str(type(personas.owner).objects.get(username=user).public_id)
        assert f'value="{public_id}"' not in page, user
