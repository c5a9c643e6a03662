"""The audit search page (/staff/audit/): who may read which events, filters, paging, N+1."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from tests.testapp.helpers import sign_in
from tests.testapp.models import Dossier
from tumaini.accounts.enums import Role
from tumaini.core import selectors
from tumaini.core.audit import audit_record
from tumaini.core.models import AuditEvent

URL = "/staff/audit/"


@pytest.fixture
def trail(personas):
    """An event by a user of each organisation, and one on an org-A record by an org-B user."""
    dossier_a = Dossier.objects.create(
        organisation=personas.org_a, assigned_to=personas.owner, subject_name="Secret Name"
    )
    return {
        "a": audit_record(action="view", actor=personas.owner, obj=dossier_a),
        "b": audit_record(
            action="export", actor=personas.outsider, object_type="cases.case", object_id="b-case"
        ),
        "b_on_a": audit_record(
            action="break_glass",
            actor=personas.outsider,
            obj=dossier_a,
            reason="Emergency at the hospital, guardian unreachable",
        ),
        "dossier": dossier_a,
    }


def _rows(response):
    return response.content.decode()


def test_audit_search_owner_gets_404(client, personas, trail):
    response = sign_in(client, personas.owner).get(URL)
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(object_type="core.auditevent").exists()


def test_audit_search_anonymous_redirects_to_login(client, trail):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_audit_search_director_sees_own_organisation_events_only(client, personas, trail):
    page = _rows(sign_in(client, personas.director).get(URL))
    assert str(trail["dossier"].public_id) in page
    assert "b-case" not in page
    # An org-B user's break-glass on an org-A record concerns org A: the director sees it.
    assert "Emergency at the hospital" in page
    assert "(break-glass)" in page
    # The trail names records; it never shows decrypted survivor data.
    assert "Secret Name" not in page


def test_audit_search_outsider_sees_organisation_b_events_only(client, personas, trail):
    page = _rows(sign_in(client, personas.outsider).get(URL))
    assert "b-case" in page
    assert "Emergency at the hospital" in page  # they acted: their organisation's event
    visible = selectors.audit_events_visible_to(user=personas.outsider)
    assert trail["a"] not in visible


def test_audit_search_admin_sees_all_events(client, personas, trail):
    page = _rows(sign_in(client, personas.admin_user).get(URL))
    assert "b-case" in page
    assert str(trail["dossier"].public_id) in page
    assert "Emergency at the hospital" in page


def test_audit_search_hotline_supervisor_sees_own_organisation(client, personas, trail):
    supervisor = UserFactory(
        username="hotline_sup", organisation=personas.org_b, roles=[Role.HOTLINE_SUPERVISOR]
    )
    page = _rows(sign_in(client, supervisor).get(URL))
    assert "b-case" in page
    assert str(trail["dossier"].public_id) in page  # the org-B break-glass event names it


def test_audit_search_is_itself_audited(client, personas, trail):
    sign_in(client, personas.director).get(URL, {"action": "view", "user": "owner"})
    search = AuditEvent.objects.get(object_type="core.auditevent")
    assert search.action == "view"
    assert search.actor_id == personas.director.pk
    assert search.detail == {"search": {"action": "view", "user": "owner"}, "page": 1}


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"user": "OWNER"}, ["testapp.dossier"], ["b-case", "Emergency at the hospital"]),
        ({"action": "export"}, ["b-case"], ["testapp.dossier"]),
        ({"object_type": "cases.case"}, ["b-case"], ["testapp.dossier"]),
        ({"object_id": "b-case"}, ["b-case"], ["testapp.dossier"]),
    ],
)
def test_audit_search_filters_narrow_the_results(client, personas, trail, params, shown, hidden):
    page = _rows(sign_in(client, personas.admin_user).get(URL, params))
    for text in shown:
        assert text in page
    for text in hidden:
        assert text not in page


def test_audit_search_filters_by_record_id(client, personas, trail):
    page = _rows(
        sign_in(client, personas.admin_user).get(
            URL, {"object_id": str(trail["dossier"].public_id)}
        )
    )
    assert "2 events" in page
    assert "b-case" not in page


def test_audit_search_date_range(client, personas, trail):
    AuditEvent.objects.filter(pk=trail["b"].pk).update(at=timezone.now() - timedelta(days=10))
    today = timezone.localdate()
    sign_in(client, personas.admin_user)
    recent = _rows(client.get(URL, {"date_from": today.isoformat()}))
    assert "b-case" not in recent
    assert str(trail["dossier"].public_id) in recent
    old = _rows(client.get(URL, {"date_to": (today - timedelta(days=5)).isoformat()}))
    assert "b-case" in old
    assert str(trail["dossier"].public_id) not in old


def test_audit_search_rejects_reversed_dates(client, personas, trail):
    page = _rows(
        sign_in(client, personas.admin_user).get(
            URL, {"date_from": "2026-02-01", "date_to": "2026-01-01"}
        )
    )
    assert "The end date is before the start date." in page
    assert "b-case" not in page


def test_audit_search_newest_first_and_paginated_by_50(client, personas):
    for i in range(55):
        audit_record(
            action="view", actor=personas.owner, object_type="t", object_id=f"rec-{i:02d}-x"
        )
    sign_in(client, personas.director)
    first = _rows(client.get(URL, {"object_type": "t"}))
    assert "55 events" in first
    assert first.index("rec-54-x") < first.index("rec-53-x")
    assert "rec-04-x" not in first
    assert "Page 1 of 2" in first
    second = _rows(client.get(URL, {"object_type": "t", "page": 2}))
    assert "rec-04-x" in second and "rec-00-x" in second
    assert "rec-05-x" not in second


def test_audit_search_htmx_returns_only_the_results_partial(client, personas, trail):
    response = sign_in(client, personas.admin_user).get(URL, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="audit-results"')
    assert "b-case" in page
    assert "<html" not in page


def test_audit_search_query_count_does_not_grow_with_events(
    client, personas, django_assert_max_num_queries
):
    sign_in(client, personas.admin_user)

    def write(count, prefix):
        for i in range(count):
            audit_record(
                action="view",
                actor=personas.owner if i % 2 else personas.outsider,
                object_type="t",
                object_id=f"{prefix}{i}",
                object_organisation_id=personas.org_a.pk,
            )

    write(1, "one")
    client.get(URL)  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert "one0" in client.get(URL).content.decode()
    write(29, "many")
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(URL).content.decode()
    assert "many28" in page and "one0" in page


def test_audit_nav_item_shows_only_to_audit_readers(client, personas):
    director_page = sign_in(client, personas.director).get("/staff/").content.decode()
    assert 'href="/staff/audit/"' in director_page
    client.logout()
    owner_page = sign_in(client, personas.owner).get("/staff/").content.decode()
    assert 'href="/staff/audit/"' not in owner_page
