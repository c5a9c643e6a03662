"""'Not the same incident': a report confirmed into a group by mistake is taken back out, from the
report page. The group keeps a valid first report, the pair is not suggested again, the step is
audited and refused to whoever may not triage or read a stale page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.core.test_csp import assert_no_inline_code
from tests.factories import OrganisationFactory, UserFactory
from tests.testapp.helpers import sign_in
from tests.tips.builders import make_report
from tumaini.accounts.enums import Role
from tumaini.core.models import AuditEvent
from tumaini.tips.models import DuplicateDismissal, Report

pytestmark = pytest.mark.django_db

QUEUE = "/staff/reports/"
PHONE = "0712 345678"


def _detail(report):
    return f"{QUEUE}{report.public_id}/"


def _leave(report):
    return f"{QUEUE}{report.public_id}/incident/leave/"


def _at(days_ago: float):
    return timezone.now() - timedelta(days=days_ago)


def _group(client, *reports):
    """Confirm the reports as one incident through the page; the earliest becomes the primary."""
    first, *others = reports
    for other in others:
        response = client.post(
            _detail(other) + "incident/same-incident/", {"other": first.public_id}
        )
        assert response.status_code == 302


def _version(report) -> int:
    return Report.objects.get(pk=report.pk).version


def _primaries(*reports) -> dict:
    return dict(
        Report.objects.filter(pk__in=[r.pk for r in reports]).values_list("pk", "incident_primary")
    )


def _suggestions_table(page: str) -> str:
    if 'id="duplicate-suggestions"' not in page:
        return ""
    table = page[page.index('id="duplicate-suggestions"') :]
    return table[: table.index("</table>")]


def test_member_leaves_the_group_and_is_not_suggested_again(client, desk):
    first = make_report(suspect_phone=PHONE, received_at=_at(3))
    second = make_report(suspect_phone=PHONE, received_at=_at(2))
    sign_in(client, desk.hotline)
    _group(client, first, second)

    page = client.get(_detail(second)).content.decode()
    assert 'id="incident-leave"' in page
    assert "Not the same incident" in page
    assert_no_inline_code(page)

    response = client.post(_leave(second), {"version": _version(second)}, follow=True)
    page = response.content.decode()
    assert "taken out of the incident group" in page
    assert 'id="incident-group"' not in page
    # Same phone, but a triager said they differ: no longer offered as a duplicate.
    assert first.display_reference not in _suggestions_table(page)
    assert "No possible duplicates found." in page
    assert _primaries(first, second) == {first.pk: None, second.pk: None}
    assert DuplicateDismissal.objects.filter(first=first, second=second).exists()
    event = AuditEvent.objects.get(
        object_id=str(second.public_id), detail__left_incident_of=str(first.public_id)
    )
    assert event.fields_changed == ["incident_primary"]
    assert event.actor_username == "hotline"

    first_page = client.get(_detail(first)).content.decode()
    assert 'id="incident-group"' not in first_page
    assert second.display_reference not in _suggestions_table(first_page)


def test_primary_leaving_hands_the_group_to_the_earliest_remaining_report(client, desk):
    a = make_report(suspect_phone=PHONE, received_at=_at(5))
    b = make_report(suspect_phone=PHONE, received_at=_at(4))
    c = make_report(suspect_phone=PHONE, received_at=_at(3))
    d = make_report(suspect_phone=PHONE, received_at=_at(2))
    sign_in(client, desk.supervisor)
    _group(client, a, b, c, d)
    page = client.get(_detail(a)).content.decode()
    assert "becomes the first report" in page

    response = client.post(_leave(a), {"version": _version(a)})
    assert response.status_code == 302
    assert _primaries(a, b, c, d) == {a.pk: None, b.pk: None, c.pk: b.pk, d.pk: b.pk}
    # The one that left is marked "not the same" as each report that stays.
    pairs = set(DuplicateDismissal.objects.values_list("first_id", "second_id"))
    assert pairs == {(a.pk, b.pk), (a.pk, c.pk), (a.pk, d.pk)}
    assert AuditEvent.objects.filter(
        object_id=str(d.public_id), detail__same_incident_as=str(b.public_id)
    ).exists()

    new_head = client.get(_detail(b)).content.decode()
    group = new_head[new_head.index('id="incident-group"') :]
    group = group[: group.index("</ul>")]
    assert c.display_reference in group and d.display_reference in group
    assert a.display_reference not in group
    member = client.get(_detail(d)).content.decode()
    group = member[member.index('id="incident-group"') :]
    assert "(first report)" in group[: group.index("</ul>")]
    assert b.display_reference in group[: group.index("</ul>")]
    assert a.display_reference not in _suggestions_table(member)


def test_primary_of_a_pair_leaving_leaves_no_group(client, desk):
    first = make_report(suspect_phone=PHONE, received_at=_at(3))
    second = make_report(suspect_phone=PHONE, received_at=_at(2))
    sign_in(client, desk.hotline)
    _group(client, first, second)
    client.post(_leave(first), {"version": _version(first)})
    assert _primaries(first, second) == {first.pk: None, second.pk: None}
    assert 'id="incident-group"' not in client.get(_detail(second)).content.decode()


def test_stale_version_is_refused_with_a_message(client, desk):
    first = make_report(suspect_phone=PHONE, received_at=_at(3))
    second = make_report(suspect_phone=PHONE, received_at=_at(2))
    sign_in(client, desk.hotline)
    read_at = _version(second)
    _group(client, first, second)  # someone grouped it after the page was read
    response = client.post(_leave(second), {"version": read_at}, follow=True)
    assert "Someone else changed this record" in response.content.decode()
    assert _primaries(second) == {second.pk: first.pk}
    assert not DuplicateDismissal.objects.exists()


def test_report_not_in_a_group_cannot_leave_one(client, desk):
    alone = make_report(suspect_phone=PHONE)
    sign_in(client, desk.hotline)
    page = client.get(_detail(alone)).content.decode()
    assert 'id="incident-leave"' not in page
    response = client.post(_leave(alone), {"version": _version(alone)}, follow=True)
    assert "not grouped with another report" in response.content.decode()
    assert _version(alone) == 1


def test_missing_version_changes_nothing(client, desk):
    first = make_report(suspect_phone=PHONE, received_at=_at(3))
    second = make_report(suspect_phone=PHONE, received_at=_at(2))
    sign_in(client, desk.hotline)
    _group(client, first, second)
    response = client.post(_leave(second), {}, follow=True)
    assert "out of date" in response.content.decode()
    assert _primaries(second) == {second.pk: first.pk}


def test_leave_page_in_kiswahili(client, desk):
    first = make_report(suspect_phone=PHONE, received_at=_at(3))
    second = make_report(suspect_phone=PHONE, received_at=_at(2))
    sign_in(client, desk.hotline)
    _group(client, first, second)
    page = client.get(_detail(second), HTTP_ACCEPT_LANGUAGE="sw").content.decode()
    form = page[page.index('id="incident-leave"') :]
    assert "Not the same incident" not in form[: form.index("</form>")]


# --- Who may do it -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("hotline", True),
        ("supervisor", True),
        ("director", False),
        ("case_manager", False),
        ("police", False),
        ("other_police", False),
        ("admin", False),
        ("outsider", False),
    ],
)
def test_leave_access_matrix(client, desk, persona, allowed):
    first = make_report(suspect_phone=PHONE, received_at=_at(3))
    second = make_report(suspect_phone=PHONE, received_at=_at(2))
    sign_in(client, desk.hotline)
    _group(client, first, second)
    client.logout()
    if persona == "outsider":
        # Hotline staff of another centre: the report is outside their organisation.
        user = UserFactory(
            username="elsewhere", organisation=OrganisationFactory(), roles=[Role.HOTLINE_AGENT]
        )
    else:
        user = getattr(desk, persona)
    sign_in(client, user)
    response = client.post(_leave(second), {"version": _version(second)})
    if allowed:
        assert response.status_code == 302
        assert _primaries(second) == {second.pk: None}
    else:
        assert response.status_code == 404
        assert _primaries(second) == {second.pk: first.pk}
        assert not DuplicateDismissal.objects.exists()


def test_leave_needs_sign_in_and_post(client, desk):
    first = make_report(suspect_phone=PHONE, received_at=_at(3))
    second = make_report(suspect_phone=PHONE, received_at=_at(2))
    sign_in(client, desk.hotline)
    _group(client, first, second)
    assert client.get(_leave(second)).status_code == 405
    client.logout()
    response = client.post(_leave(second), {"version": _version(second)})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert _primaries(second) == {second.pk: first.pk}


def test_leave_button_hidden_from_readers(client, desk):
    first = make_report(suspect_phone=PHONE, received_at=_at(3))
    second = make_report(suspect_phone=PHONE, received_at=_at(2))
    sign_in(client, desk.hotline)
    _group(client, first, second)
    client.logout()
    page = sign_in(client, desk.director).get(_detail(second)).content.decode()
    assert 'id="incident-group"' in page
    assert 'id="incident-leave"' not in page
