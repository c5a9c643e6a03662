"""The call log: who sees which call (access matrix), logging, editing with the version lock, the
caller's phone for supervisors only, follow-ups and the home panel, audit, the N+1 guard."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.core.test_csp import assert_no_inline_code
from tests.hotline.builders import ADVICE, CALLER_PHONE, SUMMARY, make_call
from tests.testapp.helpers import sign_in
from tumaini.core.crypto import blind_index
from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditEvent
from tumaini.hotline.enums import CallCategory
from tumaini.hotline.models import Call

pytestmark = pytest.mark.django_db

LIST = "/staff/hotline/calls/"
NEW = "/staff/hotline/calls/new/"


def _detail(call):
    return f"{LIST}{call.public_id}/"


def _form(**overrides):
    data = {
        "started_at": (timezone.localtime() - timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M"),
        "duration": "6:15",
        "caller_type": "community",
        "language": "sw",
        "category": "trafficking_report",
        "urgency": "high",
        "summary": SUMMARY,
        "advice": ADVICE,
        "caller_phone": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("hotline", 200),  # logged it
        ("agent2", 200),  # same centre
        ("supervisor", 200),
        ("director", 200),
        ("case_manager", 404),
        ("counsellor", 404),
        ("analyst", 404),
        ("admin", 404),
        ("police", 404),
        ("other_agent", 404),  # another organisation's hotline
    ],
)
def test_call_detail_access_matrix(client, hotline_desk, persona, status):
    call = make_call(hotline_desk.hotline)
    sign_in(client, getattr(hotline_desk, persona))
    response = client.get(_detail(call))
    assert response.status_code == status
    html = response.content.decode()
    assert (SUMMARY in html) == (status == 200)
    assert (ADVICE in html) == (status == 200)


@pytest.mark.parametrize(
    ("persona", "status", "sees_call"),
    [
        ("hotline", 200, True),
        ("agent2", 200, True),
        ("supervisor", 200, True),
        ("director", 200, True),
        ("other_agent", 200, False),
        ("case_manager", 404, False),
        ("counsellor", 404, False),
        ("analyst", 404, False),
        ("admin", 404, False),
        ("police", 404, False),
    ],
)
def test_call_list_access_matrix(client, hotline_desk, persona, status, sees_call):
    call = make_call(hotline_desk.hotline)
    sign_in(client, getattr(hotline_desk, persona))
    response = client.get(LIST + "?tab=all")
    assert response.status_code == status
    assert (_detail(call) in response.content.decode()) == sees_call


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("hotline", 200),
        ("supervisor", 200),
        ("agent2", 404),  # agents edit the calls they logged
        ("director", 404),  # directors read
        ("case_manager", 404),
        ("admin", 404),
        ("other_agent", 404),
    ],
)
def test_call_edit_access_matrix(client, hotline_desk, persona, status):
    call = make_call(hotline_desk.hotline)
    sign_in(client, getattr(hotline_desk, persona))
    response = client.get(_detail(call) + "edit/")
    assert response.status_code == status
    assert (SUMMARY in response.content.decode()) == (status == 200)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("hotline", 200),
        ("supervisor", 200),
        ("director", 404),
        ("case_manager", 404),
        ("counsellor", 404),
        ("admin", 404),
        ("police", 404),
    ],
)
def test_log_a_call_page_access_matrix(client, hotline_desk, persona, status):
    sign_in(client, getattr(hotline_desk, persona))
    response = client.get(NEW)
    assert response.status_code == status
    assert ("Summary of the call" in response.content.decode()) == (status == 200)


def test_call_pages_anonymous_go_to_login(client, hotline_desk):
    call = make_call(hotline_desk.hotline)
    for url in (LIST, NEW, _detail(call), _detail(call) + "edit/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_log_a_call_stores_it_encrypted_and_audited(client, hotline_desk):
    sign_in(client, hotline_desk.hotline)
    response = client.post(NEW, _form(caller_phone="0722 400 311"))
    call = Call.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail(call)
    assert call.assigned_to == hotline_desk.hotline
    assert call.organisation == hotline_desk.centre
    assert call.duration_seconds == 6 * 60 + 15
    assert call.caller_phone == CALLER_PHONE
    assert call.caller_phone_index == blind_index(CALLER_PHONE, purpose="hotline-caller-phone")
    with connection.cursor() as cursor:
        cursor.execute("SELECT summary, advice, caller_phone FROM hotline_call")
        raw = " ".join(cursor.fetchone())
    assert "Eastleigh" not in raw and "police unit" not in raw and "400311" not in raw
    event = AuditEvent.objects.filter(object_type="hotline.call", action=AuditAction.CREATE).get()
    assert event.object_id == str(call.public_id)
    assert event.actor == hotline_desk.hotline
    page = client.get(_detail(call)).content.decode()
    assert "6 min 15 s" in page
    assert "The call was logged." in page
    assert_no_inline_code(page)


def test_log_a_call_with_bad_input_keeps_what_was_typed(client, hotline_desk):
    sign_in(client, hotline_desk.hotline)
    response = client.post(
        NEW,
        _form(duration="about five", follow_up_needed="on", caller_phone="12", summary=SUMMARY),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Write the duration in minutes" in html
    assert "Give the date the follow-up is due." in html
    assert "Enter a phone number such as" in html
    assert SUMMARY in html
    assert not Call.objects.exists()


def test_log_a_call_in_the_future_is_refused(client, hotline_desk):
    sign_in(client, hotline_desk.hotline)
    later = (timezone.localtime() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(NEW, _form(started_at=later))
    assert response.status_code == 400
    assert "A call cannot be logged before it happens." in response.content.decode()
    assert not Call.objects.exists()


def test_caller_phone_is_shown_to_supervisors_only(client, hotline_desk):
    call = make_call(hotline_desk.hotline, caller_phone=CALLER_PHONE)
    for persona, sees in (("supervisor", True), ("hotline", False), ("director", False)):
        sign_in(client, getattr(hotline_desk, persona))
        html = client.get(_detail(call)).content.decode()
        assert (CALLER_PHONE in html) == sees, persona
        if not sees:
            assert "shown to hotline supervisors only" in html


def test_agent_edit_does_not_show_or_drop_the_caller_phone(client, hotline_desk):
    call = make_call(hotline_desk.hotline, caller_phone=CALLER_PHONE)
    sign_in(client, hotline_desk.hotline)
    page = client.get(_detail(call) + "edit/").content.decode()
    assert CALLER_PHONE not in page
    assert 'name="caller_phone"' not in page
    response = client.post(
        _detail(call) + "edit/", _form(version=call.version, advice="Called back, she is safe.")
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.caller_phone == CALLER_PHONE
    assert call.advice == "Called back, she is safe."
    assert call.version == 2
    event = AuditEvent.objects.filter(object_type="hotline.call", action=AuditAction.UPDATE).get()
    assert "advice" in event.fields_changed
    assert "Called back" not in str(event.detail)


def test_supervisor_edit_can_change_the_caller_phone(client, hotline_desk):
    call = make_call(hotline_desk.hotline, caller_phone=CALLER_PHONE)
    sign_in(client, hotline_desk.supervisor)
    page = client.get(_detail(call) + "edit/").content.decode()
    assert CALLER_PHONE in page
    client.post(_detail(call) + "edit/", _form(version=1, caller_phone="+254 733 500 412"))
    call.refresh_from_db()
    assert call.caller_phone == "+254733500412"


def test_stale_edit_is_refused_and_keeps_what_was_typed(client, hotline_desk):
    call = make_call(hotline_desk.hotline)
    sign_in(client, hotline_desk.hotline)
    client.post(_detail(call) + "edit/", _form(version=1, advice="First edit."))
    response = client.post(_detail(call) + "edit/", _form(version=1, advice="Second, stale edit."))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this record" in html
    assert "Second, stale edit." in html
    call.refresh_from_db()
    assert call.advice == "First edit."


def test_follow_up_done_and_home_panel(client, hotline_desk):
    today = timezone.localdate()
    overdue = make_call(
        hotline_desk.hotline, follow_up_needed=True, follow_up_due=today - timedelta(days=2)
    )
    due_today = make_call(hotline_desk.hotline, follow_up_needed=True, follow_up_due=today)
    later = make_call(
        hotline_desk.hotline, follow_up_needed=True, follow_up_due=today + timedelta(days=4)
    )
    colleagues = make_call(hotline_desk.agent2, follow_up_needed=True, follow_up_due=today)
    sign_in(client, hotline_desk.hotline)
    home = client.get("/staff/").content.decode()
    assert "Call follow-ups due" in home
    assert "2 of your calls need a follow-up today or earlier." in home
    for call, shown in ((overdue, True), (due_today, True), (later, False), (colleagues, False)):
        assert (_detail(call) in home) == shown
    panel = home[home.index('class="home-panel hotline-follow-ups"') :].split("</section>")[0]
    assert panel.count("Overdue") == 1

    response = client.post(_detail(overdue) + "follow-up-done/", {"version": overdue.version})
    assert response.status_code == 302
    overdue.refresh_from_db()
    assert overdue.follow_up_done_by == hotline_desk.hotline
    assert overdue.follow_up_done_at is not None
    page = client.get(_detail(overdue)).content.decode()
    assert "The follow-up is marked done." in page
    assert "Done on" in page
    home = client.get("/staff/").content.decode()
    assert _detail(overdue) not in home
    assert "1 of your calls needs a follow-up today or earlier." in home
    # Twice is refused with a message, not an error page.
    client.post(_detail(overdue) + "follow-up-done/", {"version": overdue.version})
    assert "already marked done" in client.get(_detail(overdue)).content.decode()


def test_home_panel_is_absent_for_roles_without_calls(client, hotline_desk):
    sign_in(client, hotline_desk.case_manager)
    assert "Call follow-ups due" not in client.get("/staff/").content.decode()
    sign_in(client, hotline_desk.director)
    assert "Call follow-ups due" not in client.get("/staff/").content.decode()


def test_call_detail_is_audited_as_a_view(client, hotline_desk):
    call = make_call(hotline_desk.hotline)
    sign_in(client, hotline_desk.director)
    client.get(_detail(call))
    event = AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="hotline.call").get()
    assert event.object_id == str(call.public_id)
    assert event.actor == hotline_desk.director


def test_call_list_tabs_filters_and_audit(client, hotline_desk):
    mine = make_call(hotline_desk.hotline, category=CallCategory.INFORMATION)
    theirs = make_call(hotline_desk.agent2, category=CallCategory.SILENT)
    sign_in(client, hotline_desk.hotline)
    html = client.get(LIST).content.decode()
    assert _detail(mine) in html and _detail(theirs) not in html
    html = client.get(LIST + "?tab=all").content.decode()
    assert _detail(mine) in html and _detail(theirs) in html
    assert_no_inline_code(html)
    html = client.get(LIST + "?tab=all&category=silent").content.decode()
    assert _detail(mine) not in html and _detail(theirs) in html
    event = AuditEvent.objects.filter(object_type="hotline.calllist").latest("id")
    assert event.detail["category"] == "silent"
    assert event.detail["rows"] == 1


def test_call_list_htmx_answers_the_results_only(client, hotline_desk):
    call = make_call(hotline_desk.hotline)
    sign_in(client, hotline_desk.hotline)
    response = client.get(LIST + "?tab=mine", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="call-results"')
    assert _detail(call) in html
    assert "<html" not in html


def test_call_list_queries_do_not_grow_with_calls(client, hotline_desk):
    make_call(hotline_desk.hotline, follow_up_needed=True, follow_up_due=timezone.localdate())
    sign_in(client, hotline_desk.hotline)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST + "?tab=all")
    for agent in (hotline_desk.hotline, hotline_desk.agent2):
        make_call(agent, follow_up_needed=True, follow_up_due=timezone.localdate())
    with CaptureQueriesContext(connection) as three:
        response = client.get(LIST + "?tab=all")
    assert response.content.decode().count("/staff/hotline/calls/") >= 3
    assert len(three) == len(one)


def test_director_starts_on_all_calls(client, hotline_desk):
    call = make_call(hotline_desk.hotline)
    sign_in(client, hotline_desk.director)
    html = client.get(LIST).content.decode()
    assert _detail(call) in html
    assert "Log a call" not in html


def test_saving_an_untouched_edit_form_changes_nothing(client, hotline_desk):
    call = make_call(hotline_desk.hotline, caller_phone=CALLER_PHONE)
    sign_in(client, hotline_desk.supervisor)
    form = client.get(_detail(call) + "edit/").context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    data["started_at"] = timezone.localtime(call.started_at).strftime("%Y-%m-%dT%H:%M")
    response = client.post(_detail(call) + "edit/", data)
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.version == 1
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()


def test_database_refuses_a_follow_up_without_a_due_date(hotline_desk):
    call = make_call(hotline_desk.hotline)
    with pytest.raises(IntegrityError), transaction.atomic():
        Call.objects.filter(pk=call.pk).update(follow_up_needed=True, follow_up_due=None)


def test_call_pages_in_kiswahili(client, hotline_desk):
    call = make_call(
        hotline_desk.hotline, follow_up_needed=True, follow_up_due=timezone.localdate()
    )
    sign_in(client, hotline_desk.hotline)
    client.post("/i18n/setlang/", {"language": "sw", "next": "/staff/"})
    html = client.get(LIST).content.decode()
    assert "Simu za nambari ya msaada" in html
    assert "Taarifa ya usafirishaji haramu wa binadamu" in html
    detail = client.get(_detail(call)).content.decode()
    assert "Muhtasari wa simu" not in detail  # the form's label, not the page's
    assert "Weka alama kuwa ufuatiliaji umefanywa" in detail
    assert "Unda taarifa" in detail
    assert "Ufuatiliaji wa simu unaotakiwa" in client.get("/staff/").content.decode()
    assert "Muhtasari wa simu" in client.get(NEW).content.decode()
