"""The demo hotline desk: the demo agent on duty now, a dozen calls, idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from tumaini.hotline.demo import DEMO_AGENT_PHONE, DEMO_CALLS
from tumaini.hotline.enums import CallCategory
from tumaini.hotline.models import Call, Shift
from tumaini.hotline.selectors import hotline_numbers_on_duty
from tumaini.tips.enums import Channel
from tumaini.tips.models import Report

pytestmark = pytest.mark.django_db


def _state():
    return (
        sorted(Call.objects.values_list("public_id", "version", "report_id")),
        sorted(Shift.objects.values_list("public_id", "starts_at", "ends_at")),
        Report.objects.count(),
    )


def test_seed_demo_puts_hotline_on_duty_with_a_dozen_calls_and_is_idempotent(settings):
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=StringIO())
    first = _state()
    call_command("seed_demo", stdout=StringIO())
    assert _state() == first

    calls = Call.objects.select_related("assigned_to")
    assert calls.count() == len(DEMO_CALLS) >= 12
    assert {c.assigned_to.username for c in calls} == {"hotline"}
    assert set(calls.values_list("category", flat=True)) == set(CallCategory.values)
    linked = calls.exclude(report=None)
    assert linked.count() == 2
    assert {c.report.channel for c in linked} == {Channel.HOTLINE}
    # One trafficking call is left for a demo of "create a report".
    assert calls.filter(category=CallCategory.TRAFFICKING_REPORT, report=None).exists()
    assert hotline_numbers_on_duty() == [DEMO_AGENT_PHONE]
    assert Shift.objects.count() == 2
