"""Possible duplicates: the same suspect phone, or the same ward within a week and similar words;
confirmed as one incident (one primary) or dismissed, both audited; marked in the queue."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.core.test_csp import assert_no_inline_code
from tests.testapp.helpers import sign_in
from tests.tips.builders import make_report
from tumaini.core.models import AuditEvent, Ward
from tumaini.tips.models import DuplicateDismissal, Report
from tumaini.tips.selectors.duplicates import PHONE, PLACE, duplicate_suggestions

pytestmark = pytest.mark.django_db

QUEUE = "/staff/reports/"
STORY = "A man keeps four girls in a house behind Pangani market and takes their money."
SAME_STORY = "Four girls kept in a house behind the Pangani market, a man takes all their money."
OTHER_STORY = "Boys selling sweets at the matatu stage late at night, an older man watches them."


def _detail(report):
    return f"{QUEUE}{report.public_id}/"


def _at(days_ago: float):
    return timezone.now() - timedelta(days=days_ago)


def _suggested(user, report):
    report = Report.objects.get(pk=report.pk)
    return {
        s.report.pk: s.reason for s in duplicate_suggestions(user=user, reports=[report])[report.pk]
    }


def test_same_suspect_phone_is_suggested_whatever_the_place_and_time(desk):
    first = make_report(suspect_phone="0712 345678", received_at=_at(60))
    second = make_report(what_happened=OTHER_STORY, suspect_phone="+254712345678")
    unrelated = make_report(suspect_phone="0799 000111")
    assert _suggested(desk.hotline, second) == {first.pk: PHONE}
    assert unrelated.pk not in _suggested(desk.hotline, first)


def test_same_ward_within_a_week_and_similar_words_is_suggested(desk):
    first = make_report(what_happened=STORY, ward=desk.ward, received_at=_at(3))
    same = make_report(what_happened=SAME_STORY, ward=desk.ward)
    different_words = make_report(what_happened=OTHER_STORY, ward=desk.ward)
    too_old = make_report(what_happened=SAME_STORY, ward=desk.ward, received_at=_at(10))
    other_ward = Ward.objects.create(code=9102, name="Eastleigh North", sub_county=desk.sub_county)
    elsewhere = make_report(what_happened=SAME_STORY, ward=other_ward)
    found = _suggested(desk.hotline, same)
    assert found == {first.pk: PLACE}
    assert different_words.pk not in found and too_old.pk not in found
    assert elsewhere.pk not in found


def test_sub_county_without_ward_matches_only_reports_without_ward(desk):
    first = make_report(what_happened=STORY, sub_county=desk.sub_county)
    second = make_report(what_happened=SAME_STORY, sub_county=desk.sub_county)
    with_ward = make_report(what_happened=SAME_STORY, ward=desk.ward)
    assert _suggested(desk.hotline, second) == {first.pk: PLACE}
    assert with_ward.pk not in _suggested(desk.hotline, first)


def test_suggestions_only_among_reports_the_user_may_see(desk):
    from tests.factories import OrganisationFactory

    elsewhere = make_report(suspect_phone="0712 345678", organisation=OrganisationFactory())
    mine = make_report(suspect_phone="0712 345678")
    assert elsewhere.pk not in _suggested(desk.hotline, mine)


def test_report_page_shows_suggestions_and_confirming_groups_them(client, desk):
    first = make_report(what_happened=STORY, ward=desk.ward, received_at=_at(2))
    second = make_report(what_happened=SAME_STORY, ward=desk.ward, received_at=_at(1))
    sign_in(client, desk.hotline)
    page = client.get(_detail(second)).content.decode()
    table = page[page.index('id="duplicate-suggestions"') :]
    assert first.display_reference in table[: table.index("</table>")]
    assert "similar words" in table
    assert_no_inline_code(page)

    response = client.post(_detail(second) + "incident/same-incident/", {"other": first.public_id})
    assert response.status_code == 302
    second.refresh_from_db()
    first.refresh_from_db()
    # The earlier report is the primary.
    assert second.incident_primary == first and first.incident_primary is None
    assert second.version == 2
    event = AuditEvent.objects.get(object_id=str(second.public_id), action="update")
    assert event.fields_changed == ["incident_primary"]
    page = client.get(_detail(second)).content.decode()
    assert 'id="incident-group"' in page and first.display_reference in page
    assert 'id="duplicate-suggestions"' not in page
    primary_page = client.get(_detail(first)).content.decode()
    assert second.display_reference in primary_page


def test_confirming_merges_two_groups_under_the_earliest_report(client, desk):
    a = make_report(suspect_phone="0712 345678", received_at=_at(5))
    b = make_report(suspect_phone="0712 345678", received_at=_at(4))
    c = make_report(suspect_phone="0712 345678", received_at=_at(3))
    d = make_report(suspect_phone="0712 345678", received_at=_at(2))
    sign_in(client, desk.supervisor)
    client.post(_detail(b) + "incident/same-incident/", {"other": a.public_id})
    client.post(_detail(d) + "incident/same-incident/", {"other": c.public_id})
    client.post(_detail(d) + "incident/same-incident/", {"other": b.public_id})
    primaries = dict(Report.objects.values_list("pk", "incident_primary"))
    assert primaries == {a.pk: None, b.pk: a.pk, c.pk: a.pk, d.pk: a.pk}
    again = client.post(_detail(d) + "incident/same-incident/", {"other": a.public_id}, follow=True)
    assert "already grouped" in again.content.decode()


def test_dismissing_a_suggestion_removes_it_once_and_for_all(client, desk):
    first = make_report(suspect_phone="0712 345678")
    second = make_report(suspect_phone="0712 345678")
    sign_in(client, desk.hotline)
    client.post(_detail(second) + "incident/not-duplicate/", {"other": first.public_id})
    client.post(_detail(first) + "incident/not-duplicate/", {"other": second.public_id})
    assert DuplicateDismissal.objects.count() == 1
    assert _suggested(desk.hotline, second) == {}
    assert _suggested(desk.hotline, first) == {}
    assert AuditEvent.objects.filter(
        object_id=str(second.public_id), detail__not_duplicate_of=str(first.public_id)
    ).exists()


@pytest.mark.parametrize("persona", ["director", "case_manager", "police", "admin"])
def test_incident_decisions_refused_to_users_who_may_not_triage(client, desk, persona):
    first = make_report(suspect_phone="0712 345678")
    second = make_report(suspect_phone="0712 345678")
    sign_in(client, getattr(desk, persona))
    for action in ("same-incident", "not-duplicate"):
        response = client.post(_detail(second) + f"incident/{action}/", {"other": first.public_id})
        assert response.status_code == 404
    second.refresh_from_db()
    assert second.incident_primary is None
    assert not DuplicateDismissal.objects.exists()


def test_queue_marks_possible_duplicates(client, desk):
    first = make_report(suspect_phone="0712 345678")
    second = make_report(suspect_phone="0712 345678")
    alone = make_report(suspect_phone="0799 000111")
    page = sign_in(client, desk.hotline).get(QUEUE).content.decode()

    def row(report):
        start = page.index(report.display_reference)
        return page[start : page.index("</tr>", start)]

    assert "1 possible duplicate" in row(first)
    assert "1 possible duplicate" in row(second)
    assert "possible duplicate" not in row(alone)


def test_queue_duplicate_marks_do_not_grow_queries(client, desk):
    def pair():
        make_report(suspect_phone="0712 345678", ward=desk.ward, what_happened=STORY)
        make_report(what_happened=SAME_STORY, ward=desk.ward)

    pair()
    sign_in(client, desk.hotline)
    with CaptureQueriesContext(connection) as few:
        client.get(QUEUE)
    for _ in range(5):
        pair()
    with CaptureQueriesContext(connection) as many:
        page = client.get(QUEUE).content.decode()
    assert "possible duplicates" in page
    assert len(many) == len(few)


def _queue_badges(client) -> dict[str, int]:
    """Reference -> the number on the row's 'possible duplicates' badge (0 without a badge)."""
    page = client.get(QUEUE).content.decode()
    badges = {}
    for row in page.split("<tr>")[2:]:
        reference = row[row.index("<code>") + 6 : row.index("</code>")]
        cell = row[: row.index("</td>")]
        badges[reference] = (
            int(cell.split('badge-muted" title')[1].split(">")[1].split()[0])
            if "possible duplicate" in cell
            else 0
        )
    return badges


def test_queue_counts_what_the_report_page_suggests(client, desk):
    """The queue counts in the database what the report page lists: same phone or same place and
    similar words, each report once, not its own group, not a dismissed pair."""
    a = make_report(suspect_phone="0712 345678", ward=desk.ward, what_happened=STORY)
    b = make_report(suspect_phone="0712 345678", ward=desk.ward, what_happened=SAME_STORY)
    c = make_report(suspect_phone="0712 345678", received_at=_at(40))
    d = make_report(ward=desk.ward, what_happened=SAME_STORY)
    e = make_report(ward=desk.ward, what_happened=OTHER_STORY)
    f = make_report(suspect_phone="0712 345678", received_at=_at(30))
    sign_in(client, desk.hotline)
    client.post(_detail(f) + "incident/same-incident/", {"other": c.public_id})
    client.post(_detail(d) + "incident/not-duplicate/", {"other": b.public_id})
    badges = _queue_badges(client)
    for report in (a, b, c, d, e, f):
        assert badges[report.display_reference] == len(_suggested(desk.hotline, report)), report
    # a: b (phone and place, once), c, f (phone), d (place); e's words differ.
    assert badges[a.display_reference] == 4
    assert badges[e.display_reference] == 0


def test_queue_page_queries_bounded_with_many_reports_of_one_phone(
    client, desk, django_assert_max_num_queries
):
    make_report(suspect_phone="0712 345678", ward=desk.ward, what_happened=STORY)
    make_report(what_happened=SAME_STORY, ward=desk.ward)
    sign_in(client, desk.hotline)
    with CaptureQueriesContext(connection) as one:
        client.get(QUEUE)
    for days in range(30):
        make_report(suspect_phone="0712 345678", ward=desk.ward, received_at=_at(days / 3))
    with django_assert_max_num_queries(len(one)):
        page = client.get(QUEUE).content.decode()
    assert "10 possible duplicates" in page


def test_report_page_lists_the_earliest_same_phone_reports_outside_its_group(client, desk):
    """A much-reported number: the page lists the 10 earliest reports of it that are not already
    this report's incident or dismissed, however many others there are, in a fixed few queries."""
    report = make_report(suspect_phone="0712 345678", received_at=_at(1))
    grouped = [make_report(suspect_phone="0712 345678", received_at=_at(40 - d)) for d in range(3)]
    Report.objects.filter(pk__in=[g.pk for g in grouped]).update(incident_primary=report)
    dismissed = make_report(suspect_phone="0712 345678", received_at=_at(39))
    sign_in(client, desk.hotline)
    client.post(_detail(report) + "incident/not-duplicate/", {"other": dismissed.public_id})
    others = [make_report(suspect_phone="0712 345678", received_at=_at(30 - d)) for d in range(4)]
    client.get(_detail(report))
    with CaptureQueriesContext(connection) as few:
        page = client.get(_detail(report)).content.decode()
    table = page[page.index('id="duplicate-suggestions"') :]
    table = table[: table.index("</table>")]
    assert all(o.display_reference in table for o in others)
    assert not any(g.display_reference in table for g in grouped + [dismissed])
    later = [make_report(suspect_phone="0712 345678", received_at=_at(20 - d)) for d in range(10)]
    with CaptureQueriesContext(connection) as many:
        page = client.get(_detail(report)).content.decode()
    table = page[page.index('id="duplicate-suggestions"') :]
    table = table[: table.index("</table>")]
    shown = others + later[:6]
    assert [r.display_reference for r in shown] == [
        ref for ref in (r.display_reference for r in others + later) if ref in table
    ]
    assert table.count("Same suspect phone number") == 10
    assert len(many) == len(few)
