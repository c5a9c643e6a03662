"""'Who looked at this record': shown to the record's owner and to supervisors who may read both
the record and the audit trail."""

import pytest
from django.http import Http404

from tests.testapp.helpers import sign_in
from tests.testapp.models import Dossier
from tumaini.core import selectors

pytestmark = pytest.mark.urls("tests.testapp.urls")

REASON = "Court hearing moved to this morning; case file needed now"


@pytest.fixture
def dossier(personas):
    return Dossier.objects.create(
        organisation=personas.org_a,
        team=personas.team_a,
        assigned_to=personas.owner,
        subject_name="Wanjiru Kamau",
    )


def _detail(dossier):
    return f"/test/dossiers/{dossier.public_id}/"


def test_access_history_owner_sees_break_glass_reads_of_their_record(client, personas, dossier):
    sign_in(client, personas.outsider)
    client.post(f"/staff/break-glass/test_dossier/{dossier.public_id}/", {"reason": REASON})
    client.get(_detail(dossier))
    client.logout()
    page = sign_in(client, personas.owner).get(_detail(dossier)).content.decode()
    assert "Who looked at this record" in page
    assert f"outsider break_glass ({REASON})" in page
    assert f"outsider view ({selectors.BREAK_GLASS_VIEW_REASON})" in page
    assert "owner view" in page  # the owner's own read, written before the history was read


def test_access_history_director_in_scope_sees_it(client, personas, dossier):
    sign_in(client, personas.teammate).get(_detail(dossier))
    client.logout()
    page = sign_in(client, personas.director).get(_detail(dossier)).content.decode()
    assert "Who looked at this record" in page
    assert "teammate view" in page


def test_access_history_hidden_from_teammate_without_audit_rights(client, personas, dossier):
    page = sign_in(client, personas.teammate).get(_detail(dossier)).content.decode()
    assert "Wanjiru Kamau" in page
    assert "Who looked at this record" not in page


def test_access_history_not_given_through_break_glass(client, personas, dossier):
    sign_in(client, personas.outsider)
    client.post(f"/staff/break-glass/test_dossier/{dossier.public_id}/", {"reason": REASON})
    page = client.get(_detail(dossier)).content.decode()
    assert "Wanjiru Kamau" in page
    assert "Who looked at this record" not in page
    with pytest.raises(Http404):
        selectors.record_access_history(user=personas.outsider, obj=dossier)


def test_access_history_refused_to_admin_who_reads_all_events_but_not_the_record(personas, dossier):
    with pytest.raises(Http404):
        selectors.record_access_history(user=personas.admin_user, obj=dossier)
