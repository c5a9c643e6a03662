"""Acknowledgement deadlines: the SLA state of a referral, the periodic overdue alert (once per
referral, to the case manager, the directors and the partner) and the home panel."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.referrals.builders import draft_referral, make_partner, partner_user, sent_referral
from tests.testapp.helpers import sign_in
from tumaini.cases.models import Notification
from tumaini.core.schedule import JOBS
from tumaini.referrals.enums import ReferralUrgency, SlaState
from tumaini.referrals.models import Referral
from tumaini.referrals.services import referral_respond, referrals_alert_overdue

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(db):
    return make_partner()


def _past_deadline(referral, hours=1):
    Referral.objects.filter(pk=referral.pk).update(
        acknowledge_due_at=timezone.now() - timedelta(hours=hours)
    )
    referral.refresh_from_db()
    return referral


def test_sla_states(personas, partner):
    hospital, service = partner
    assert draft_referral(personas, service).sla_state() == SlaState.NOT_STARTED
    on_time = sent_referral(personas, service, urgency=ReferralUrgency.EMERGENCY)
    assert on_time.sla_state() == SlaState.ON_TIME
    assert on_time.sla_state(now=timezone.now() + timedelta(hours=3)) == SlaState.OVERDUE
    met = referral_respond(referral=on_time, step="acknowledge", actor=partner_user(hospital))
    assert met.sla_state() == SlaState.MET
    late = _past_deadline(sent_referral(personas, service))
    late = referral_respond(referral=late, step="accept", actor=None)
    assert late.sla_state() == SlaState.MISSED


def test_overdue_alert_tells_each_party_once(personas, partner):
    hospital, service = partner
    hospital_user = partner_user(hospital)
    referral = _past_deadline(sent_referral(personas, service))
    sent_referral(personas, service)  # still on time: no alert
    assert referrals_alert_overdue() == 1
    assert referrals_alert_overdue() == 0
    for user in (personas.owner, personas.director):
        assert (
            Notification.objects.filter(
                recipient=user,
                message__contains=f"{referral.reference} to Mama Lucy Hospital is overdue",
            ).count()
            == 1
        )
    assert (
        Notification.objects.filter(
            recipient=hospital_user, message__contains="waiting for your acknowledgement"
        ).count()
        == 1
    )


def test_acknowledged_referral_is_never_overdue(personas, partner):
    hospital, service = partner
    referral = sent_referral(personas, service)
    referral_respond(referral=referral, step="acknowledge", actor=partner_user(hospital))
    _past_deadline(referral)
    assert referrals_alert_overdue() == 0


def test_overdue_job_is_scheduled_every_quarter_hour():
    job = JOBS["referrals_overdue_alert"]
    assert job.task_path == "tumaini.referrals.tasks.referrals_overdue_alert"
    assert job.interval == timedelta(minutes=15)


def test_overdue_job_runs_as_a_task(personas, partner, settings):
    from django_tasks import TaskResultStatus

    from tumaini.referrals.tasks import referrals_overdue_alert

    # Worker-free: the task runs inside enqueue(), through django-tasks' own immediate backend.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    _hospital, service = partner
    _past_deadline(sent_referral(personas, service))
    result = referrals_overdue_alert.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"alerted": 1}


def test_home_panel_lists_overdue_referrals_of_my_cases(client, personas, partner):
    _hospital, service = partner
    referral = _past_deadline(sent_referral(personas, service))
    page = sign_in(client, personas.owner).get("/staff/").content.decode()
    assert "Referrals not acknowledged in time" in page
    assert referral.reference in page
    client.logout()
    page = sign_in(client, personas.outsider).get("/staff/").content.decode()
    assert referral.reference not in page
