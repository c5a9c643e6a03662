"""Follow-ups after leaving: scheduled by the workflow (and the shelter's call), once; recorded
through their page; overdue ones on the home page and notified once by the periodic job."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.care.builders import care_staff, planned_case
from tests.cases.builders_workflow import screened_case
from tests.messaging.test_sending import run_worker
from tests.testapp.helpers import case_section, sign_in
from tumaini.care.enums import LeavingReason
from tumaini.care.models import FollowUp
from tumaini.care.services.follow_ups import add_months, followups_schedule_after_leaving
from tumaini.cases.enums import ApprovalKind, CaseStage
from tumaini.cases.models import ApprovalRequest, Notification
from tumaini.core.models import ScheduledRun

pytestmark = pytest.mark.django_db


def move(client, case, to_stage):
    case.refresh_from_db()
    return client.post(
        reverse("cases:case_stage", args=[case.public_id]),
        {"to_stage": to_stage, "version": case.version, "comment": ""},
        follow=True,
    )


def _due_dates(case):
    return list(
        FollowUp.objects.filter(case=case).order_by("months").values_list("months", "due_on")
    )


def test_add_months_keeps_the_day_or_takes_the_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert add_months(date(2026, 6, 30), 12) == date(2027, 6, 30)


def test_moving_to_reintegration_schedules_four_follow_ups(client, personas):
    case = planned_case(personas, stage=CaseStage.ASSISTANCE)
    sign_in(client, personas.owner)
    move(client, case, CaseStage.REINTEGRATION)
    today = timezone.localdate()
    assert _due_dates(case) == [(m, add_months(today, m)) for m in (1, 3, 6, 12)]
    assert set(FollowUp.objects.values_list("leaving_reason", flat=True)) == {"reintegrated"}
    page = client.get(case_section(case, "care")).content.decode()
    assert 'id="part-care-follow-ups"' in page
    assert add_months(today, 12).isoformat() in page


def test_moving_on_to_follow_up_stage_makes_no_second_set(client, personas):
    case = planned_case(personas, stage=CaseStage.ASSISTANCE)
    sign_in(client, personas.owner)
    move(client, case, CaseStage.REINTEGRATION)
    move(client, case, CaseStage.FOLLOW_UP)
    assert FollowUp.objects.filter(case=case).count() == 4


def test_back_in_services_then_leaving_again_schedules_a_new_set(client, personas):
    case = planned_case(personas, stage=CaseStage.ASSISTANCE)
    sign_in(client, personas.owner)
    move(client, case, CaseStage.REINTEGRATION)
    move(client, case, CaseStage.ASSISTANCE)
    FollowUp.objects.update(left_on=timezone.localdate() - timedelta(days=40))
    move(client, case, CaseStage.REINTEGRATION)
    assert FollowUp.objects.filter(case=case).count() == 8


def test_closure_as_repatriated_schedules_follow_ups(client, personas):
    case = screened_case(personas, stage=CaseStage.ASSISTANCE)
    sign_in(client, personas.owner)
    client.post(reverse("cases:closure_request", args=[case.public_id]), {"reason": "repatriated"})
    approval = ApprovalRequest.objects.get(case=case, kind=ApprovalKind.CLOSURE)
    client.logout()
    sign_in(client, personas.director)
    client.post(
        reverse("cases:approval_detail", args=[approval.public_id]),
        {"decision": "approve", "comment": ""},
    )
    case.refresh_from_db()
    assert case.stage == CaseStage.CLOSED
    assert set(FollowUp.objects.filter(case=case).values_list("leaving_reason", flat=True)) == {
        LeavingReason.REPATRIATED
    }
    assert FollowUp.objects.filter(case=case).count() == 4


def test_closure_for_another_reason_schedules_nothing(client, personas):
    case = screened_case(personas, stage=CaseStage.ASSISTANCE)
    sign_in(client, personas.owner)
    client.post(reverse("cases:closure_request", args=[case.public_id]), {"reason": "duplicate"})
    approval = ApprovalRequest.objects.get(case=case, kind=ApprovalKind.CLOSURE)
    client.logout()
    sign_in(client, personas.director)
    client.post(
        reverse("cases:approval_detail", args=[approval.public_id]),
        {"decision": "approve", "comment": ""},
    )
    assert not FollowUp.objects.filter(case=case).exists()


def test_shelter_discharge_call_is_idempotent(personas):
    case = screened_case(personas, stage=CaseStage.ASSISTANCE)
    left = timezone.localdate() - timedelta(days=2)
    first = followups_schedule_after_leaving(
        user=personas.owner, case=case, left_on=left, reason=LeavingReason.DISCHARGED
    )
    second = followups_schedule_after_leaving(
        user=personas.owner, case=case, left_on=timezone.localdate(), reason="reintegrated"
    )
    assert len(first) == 4
    assert sorted(f.pk for f in second) == sorted(f.pk for f in first)
    assert FollowUp.objects.filter(case=case).count() == 4
    assert FollowUp.objects.filter(case=case, left_on=left).count() == 4


# --- Recording -----------------------------------------------------------------------------------


@pytest.fixture
def follow_up(personas):
    case = screened_case(personas, stage=CaseStage.FOLLOW_UP)
    followups_schedule_after_leaving(
        user=personas.owner,
        case=case,
        left_on=timezone.localdate() - timedelta(days=40),
        reason=LeavingReason.REINTEGRATED,
    )
    return FollowUp.objects.get(case=case, months=1)


def _url(follow_up):
    return f"/staff/care/follow-ups/{follow_up.public_id}/"


def _answers(follow_up, **changes):
    data = {
        "contact_made": "yes",
        "contact_method": "home_visit",
        "contacted_on": timezone.localdate().isoformat(),
        "wellbeing": "good",
        "wellbeing_notes": "Back at school in Kisumu",
        "safety": "safe",
        "safety_notes": "",
        "livelihood": "in_training",
        "livelihood_notes": "Tailoring course",
        "re_trafficked": "no",
        "version": str(follow_up.version),
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("owner", 200),
        ("teammate", 200),
        ("director", 200),
        ("counsellor", 404),
        ("nurse", 404),
        ("shelter", 404),
        ("analyst", 404),
        ("outsider", 404),
        ("admin_user", 404),
    ],
)
def test_follow_up_page_access_matrix(client, personas, follow_up, persona, status):
    user = getattr(personas, persona, None) or getattr(care_staff(personas), persona)
    response = sign_in(client, user).get(_url(follow_up))
    page = response.content.decode()
    assert response.status_code == status
    if status == 200:
        assert "Follow-up 1 month after leaving" in page
        assert follow_up.case.case_number in page
    else:
        assert follow_up.case.case_number not in page


def test_follow_up_recorded_through_its_page(client, personas, follow_up):
    sign_in(client, personas.owner)
    response = client.post(_url(follow_up), _answers(follow_up), follow=True)
    page = response.content.decode()
    assert "Follow-up recorded." in page
    follow_up.refresh_from_db()
    assert follow_up.recorded_at is not None
    assert follow_up.contact_made is True
    assert follow_up.livelihood == "in_training"
    assert follow_up.wellbeing_notes == "Back at school in Kisumu"
    assert "Contact made: Doing well, Safe, In school or training" in page


def test_follow_up_missing_answer_is_refused_next_to_it_and_keeps_input(
    client, personas, follow_up
):
    sign_in(client, personas.owner)
    response = client.post(_url(follow_up), _answers(follow_up, safety="", re_trafficked=""))
    page = response.content.decode()
    assert response.status_code == 400
    # In the error summary and beside each of the two fields.
    assert "Safety — This answer is needed when contact was made." in page
    assert "Trafficked again? — This answer is needed when contact was made." in page
    assert page.count("This answer is needed when contact was made.") == 4
    assert "Back at school in Kisumu" in page
    follow_up.refresh_from_db()
    assert follow_up.recorded_at is None


def test_follow_up_without_contact_needs_no_other_answer(client, personas, follow_up):
    sign_in(client, personas.owner)
    data = {"contact_made": "no", "contact_method": "phone", "version": str(follow_up.version)}
    response = client.post(_url(follow_up), data, follow=True)
    assert "No contact" in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.contact_made is False and follow_up.recorded_at is not None


def test_follow_up_contact_made_must_be_answered(client, personas, follow_up):
    sign_in(client, personas.owner)
    response = client.post(_url(follow_up), {"version": str(follow_up.version)})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_follow_up_stale_form_is_refused(client, personas, follow_up):
    FollowUp.objects.filter(pk=follow_up.pk).update(version=3)
    sign_in(client, personas.owner)
    response = client.post(_url(follow_up), _answers(follow_up, version="1"))
    assert response.status_code == 400
    assert "Someone else changed this record" in response.content.decode()


def test_follow_up_notes_are_encrypted(client, personas, follow_up):
    from django.db import connection

    sign_in(client, personas.owner).post(_url(follow_up), _answers(follow_up))
    with connection.cursor() as cursor:
        cursor.execute("SELECT wellbeing_notes, livelihood_notes FROM care_followup")
        stored = " ".join(value for row in cursor.fetchall() for value in row)
    assert "Kisumu" not in stored and "Tailoring" not in stored


# --- Overdue -------------------------------------------------------------------------------------


def test_overdue_follow_up_on_the_case_managers_home(client, personas, follow_up):
    page = sign_in(client, personas.owner).get("/staff/").content.decode()
    assert "Follow-ups after leaving, overdue" in page
    assert "1 follow-up is overdue." in page
    assert follow_up.case.case_number in page
    client.logout()
    # A teammate is not the case manager: the panel is for the case's own manager.
    page = sign_in(client, personas.teammate).get("/staff/").content.decode()
    assert "No follow-up after leaving is overdue." in page


@pytest.mark.django_db(transaction=True)
def test_overdue_follow_ups_are_notified_once_by_the_periodic_job(personas, follow_up):
    ScheduledRun.objects.all().delete()
    call_command("scheduler", once=True, verbosity=0)
    run_worker()
    ScheduledRun.objects.all().delete()
    call_command("scheduler", once=True, verbosity=0)
    run_worker()
    notices = Notification.objects.filter(recipient=personas.owner, case=follow_up.case)
    assert notices.count() == 1
    assert "1-month follow-up was due" in notices.get().message
    follow_up.refresh_from_db()
    assert follow_up.overdue_notified_at is not None
