"""A call that reports trafficking becomes a public report (channel "hotline call") in the triage
desk, once, linked from the call."""

import re

import pytest

from tests.hotline.builders import CALLER_PHONE, SUMMARY, make_call
from tests.testapp.helpers import sign_in
from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditEvent
from tumaini.hotline.enums import CallCategory, CallLanguage
from tumaini.tips.enums import Channel, Urgency, VictimAges
from tumaini.tips.models import Report

pytestmark = pytest.mark.django_db


def _detail(call):
    return f"/staff/hotline/calls/{call.public_id}/"


def _report_url(call):
    return _detail(call) + "report/"


def _post(client, call, **overrides):
    data = {
        "version": call.version,
        "what_happened": SUMMARY,
        "victims_count": "1",
        "victim_ages": VictimAges.ADULT,
        "place_text": "Eastleigh, near 12th Street",
    }
    data.update(overrides)
    return client.post(_report_url(call), data)


def test_create_report_form_is_prefilled_from_the_call(client, hotline_desk):
    call = make_call(hotline_desk.hotline, urgency=Urgency.CRITICAL)
    sign_in(client, hotline_desk.hotline)
    page = client.get(_detail(call)).content.decode()
    assert _report_url(call) in page
    form = client.get(_report_url(call))
    html = form.content.decode()
    assert form.status_code == 200
    assert "What the caller reported" in html
    assert SUMMARY in html
    # A critical call: someone is in danger now.
    assert re.search(r'<input[^>]*name="danger_now"[^>]*checked', html)
    assert 'name="website"' not in html
    assert 'name="reporter_contact"' not in html


def test_create_report_from_call_links_both_and_lands_in_the_queue(client, hotline_desk):
    call = make_call(
        hotline_desk.hotline, caller_phone=CALLER_PHONE, language=CallLanguage.KISWAHILI
    )
    sign_in(client, hotline_desk.hotline)
    response = _post(client, call, keep_caller_phone="on")
    assert response.status_code == 302
    assert response["Location"] == _detail(call)
    report = Report.objects.get()
    call.refresh_from_db()
    assert call.report == report
    assert report.channel == Channel.HOTLINE
    assert report.language == "sw"
    assert report.organisation == hotline_desk.centre
    assert report.received_at == call.started_at
    assert report.what_happened == SUMMARY
    assert report.place_text == "Eastleigh, near 12th Street"
    assert report.reporter_phone == CALLER_PHONE
    page = client.get(_detail(call)).content.decode()
    assert f"Report {report.display_reference} was created from the call." in page
    assert f"/staff/reports/{report.public_id}/" in page
    assert _report_url(call) not in page
    queue = client.get("/staff/reports/").content.decode()
    assert report.display_reference in queue
    assert "Hotline call" in queue
    created = AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="tips.report").get()
    assert created.actor == hotline_desk.hotline


def test_create_report_without_keeping_the_phone_leaves_the_report_anonymous(client, hotline_desk):
    call = make_call(hotline_desk.hotline, caller_phone=CALLER_PHONE)
    sign_in(client, hotline_desk.hotline)
    _post(client, call)
    assert Report.objects.get().reporter_phone == ""


def test_create_report_twice_makes_one_report(client, hotline_desk):
    call = make_call(hotline_desk.hotline)
    sign_in(client, hotline_desk.hotline)
    _post(client, call)
    call.refresh_from_db()
    again = _post(client, call)
    assert again.status_code == 302
    assert Report.objects.count() == 1
    assert "already created" in client.get(_detail(call)).content.decode()


def test_create_report_with_bad_input_keeps_what_was_typed(client, hotline_desk):
    call = make_call(hotline_desk.hotline)
    sign_in(client, hotline_desk.hotline)
    response = _post(client, call, what_happened="too short", victims_count="-4")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please write at least 20 characters" in html
    assert "Eastleigh, near 12th Street" in html
    assert not Report.objects.exists()


def test_call_of_another_category_offers_no_report(client, hotline_desk):
    call = make_call(hotline_desk.hotline, category=CallCategory.INFORMATION)
    sign_in(client, hotline_desk.hotline)
    page = client.get(_detail(call)).content.decode()
    assert _report_url(call) not in page
    assert "Only a call reporting trafficking becomes a report." in page
    response = _post(client, call)
    assert response.status_code == 302
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("hotline", 200),
        ("supervisor", 200),
        ("agent2", 404),
        ("director", 404),
        ("case_manager", 404),
        ("admin", 404),
        ("police", 404),
        ("other_agent", 404),
    ],
)
def test_create_report_page_access_matrix(client, hotline_desk, persona, status):
    call = make_call(hotline_desk.hotline)
    sign_in(client, getattr(hotline_desk, persona))
    response = client.get(_report_url(call))
    assert response.status_code == status
    assert (SUMMARY in response.content.decode()) == (status == 200)
    if status == 404:
        assert _post(client, call).status_code == 404
        assert not Report.objects.exists()
