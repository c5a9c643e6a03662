"""Needs met: each need of the latest assessment shown as delivered, planned or missing, with the
days to its first service; the same figures summed over the cases in scope."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.care.builders import care_staff, delivery, offering, planned_case
from tests.testapp.helpers import case_section, sign_in
from tumaini.care.enums import DeliveryOutcome, ServiceType
from tumaini.care.selectors.needs import NEED_SERVICE_TYPES, needs_met_for_case, needs_met_summary
from tumaini.cases.enums import CarePlanStatus, NeedType, SupportPlanType
from tumaini.cases.models import CarePlanGoal, Need, NeedsAssessment

pytestmark = pytest.mark.django_db

IDENTIFIED = (
    NeedType.ACCOMMODATION,
    NeedType.HEALTH,
    NeedType.DOCUMENTS,
    NeedType.FAMILY_CONTACT,
    NeedType.OTHER,
)


@pytest.fixture
def case(personas):
    """Accommodation: planned, shelter delivered 4 days after the assessment. Health: planned, the
    medical appointment was declined. Documents: not planned, legal aid delivered. Family contact:
    nothing. Other: a goal for it, served by a material-support delivery."""
    found = planned_case(personas, identified=IDENTIFIED)
    assessment = found.needs_assessments.get()
    NeedsAssessment.objects.filter(pk=assessment.pk).update(
        assessed_on=timezone.localdate() - timedelta(days=10)
    )
    plan = found.goal.plan
    CarePlanGoal.objects.create(
        plan=plan,
        goal="See a doctor",
        support_type=SupportPlanType.HEALTH,
        need_type=NeedType.HEALTH,
        owner=personas.owner,
        due_on=timezone.localdate() + timedelta(days=7),
    )
    other_goal = CarePlanGoal.objects.create(
        plan=plan,
        goal="Replace the lost phone",
        support_type=SupportPlanType.SOCIAL_CARE,
        need_type=NeedType.OTHER,
        owner=personas.owner,
        due_on=timezone.localdate() + timedelta(days=7),
    )
    shelter = offering(personas, service_type=ServiceType.SHELTER, name="Safe house")
    medical = offering(personas, service_type=ServiceType.MEDICAL, name="Clinic")
    legal = offering(personas, service_type=ServiceType.LEGAL_AID, name="Haki clinic")
    material = offering(personas, service_type=ServiceType.MATERIAL, name="Starter kit")
    delivery(found, by=personas.owner, offering_=shelter, days_ago=6, goal=found.goal)
    delivery(found, by=personas.owner, offering_=shelter, days_ago=1)
    delivery(
        found, by=personas.owner, offering_=medical, days_ago=2, outcome=DeliveryOutcome.DECLINED
    )
    delivery(found, by=personas.owner, offering_=legal, days_ago=10)
    delivery(found, by=personas.owner, offering_=material, days_ago=3, goal=other_goal)
    return found


def test_need_service_types_cover_every_need_with_known_service_types():
    assert set(NEED_SERVICE_TYPES) == set(NeedType.values)
    for service_types in NEED_SERVICE_TYPES.values():
        assert set(service_types) <= set(ServiceType.values)
    assert NEED_SERVICE_TYPES[NeedType.HEALTH][0] == ServiceType.MEDICAL
    assert NEED_SERVICE_TYPES[NeedType.FAMILY_CONTACT] == (ServiceType.FAMILY_TRACING,)


def test_needs_met_for_case_against_the_fixture(personas, case):
    found = {need.need_type: need for need in needs_met_for_case(user=personas.owner, case=case)}
    assert set(found) == set(IDENTIFIED)
    assert (found["accommodation"].status, found["accommodation"].days_to_service) == (
        "delivered",
        4,
    )
    assert (found["health"].status, found["health"].days_to_service) == ("planned", None)
    assert (found["documents"].status, found["documents"].days_to_service) == ("delivered", 0)
    assert found["family_contact"].status == "missing"
    assert (found["other"].status, found["other"].days_to_service) == ("delivered", 7)


def test_needs_met_uses_the_latest_assessment_and_the_first_identification(personas, case):
    latest = NeedsAssessment.objects.create(
        case=case, assessed_on=timezone.localdate(), assessed_by=personas.owner
    )
    Need.objects.create(assessment=latest, type=NeedType.ACCOMMODATION, identified=True)
    Need.objects.create(assessment=latest, type=NeedType.HEALTH, identified=False)
    (only,) = needs_met_for_case(user=personas.owner, case=case)
    assert only.need_type == "accommodation"
    # Identified ten days ago in the first assessment: the wait counts from then.
    assert only.identified_on == timezone.localdate() - timedelta(days=10)


def test_needs_met_superseded_plan_goals_are_not_planned(personas, case):
    plan = case.goal.plan
    plan.status = CarePlanStatus.SUPERSEDED
    plan.save()
    found = {need.need_type: need for need in needs_met_for_case(user=personas.owner, case=case)}
    assert found["health"].status == "missing"


def test_needs_met_part_on_the_case_page(client, personas, case):
    page = sign_in(client, personas.owner).get(case_section(case, "care")).content.decode()
    assert 'id="part-care-needs-met"' in page
    assert '<tr class="need-missing">\n    <th scope="row">Family contact</th>' in page
    assert '<tr class="need-planned">\n    <th scope="row">Health</th>' in page
    assert "4 days after it was identified" in page


def test_needs_met_refused_outside_the_care_scope(personas, case):
    from django.http import Http404

    for user in (personas.outsider, personas.admin_user, care_staff(personas).nurse):
        with pytest.raises(Http404):
            needs_met_for_case(user=user, case=case)


def test_needs_met_summary_over_the_cases_in_scope(personas, case):
    planned_case(personas, identified=(NeedType.ACCOMMODATION,))  # planned, nothing delivered
    rows = {row["need_type"]: row for row in needs_met_summary(user=personas.director)}
    assert rows["accommodation"] == {
        "need_type": "accommodation",
        "label": "Accommodation",
        "identified": 2,
        "delivered": 1,
        "planned": 1,
        "missing": 0,
        "median_days_to_service": 4,
    }
    assert rows["family_contact"]["missing"] == 1
    assert needs_met_summary(user=personas.outsider) == []
    assert needs_met_summary(user=personas.admin_user) == []


def test_needs_met_summary_queries_do_not_grow_with_cases(
    personas, case, django_assert_num_queries
):
    needs_met_summary(user=personas.director)  # the director's roles are read once
    with django_assert_num_queries(5):
        needs_met_summary(user=personas.director)
    for _ in range(3):
        planned_case(personas)
    with django_assert_num_queries(5):
        rows = needs_met_summary(user=personas.director)
    assert {row["need_type"]: row["identified"] for row in rows}["accommodation"] == 4
