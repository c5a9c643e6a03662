"""Break-glass: a supervisor opens one record outside their scope by stating a reason."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.testapp.helpers import sign_in
from tests.testapp.models import Dossier
from tumaini.core import selectors
from tumaini.core.models import AuditEvent, BreakGlassGrant

pytestmark = pytest.mark.urls("tests.testapp.urls")

SUBJECT = "Wanjiru Kamau"
REASON = "Police called at 2am: survivor admitted to hospital, need guardian contact"


@pytest.fixture
def dossier(personas):
    return Dossier.objects.create(
        organisation=personas.org_a,
        team=personas.team_a,
        assigned_to=personas.owner,
        subject_name=SUBJECT,
    )


def _page(dossier, resource="test_dossier"):
    return f"/staff/break-glass/{resource}/{dossier.public_id}/"


def test_break_glass_form_shows_to_user_with_break_glass_rights(client, personas, dossier):
    response = sign_in(client, personas.outsider).get(_page(dossier))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Break-glass access" in page
    assert 'name="reason"' in page
    assert "Access lasts 4 hours" in page
    # The form alone reveals nothing of the record.
    assert SUBJECT not in page


def test_break_glass_opens_record_to_outsider_and_marks_the_view(client, personas, dossier):
    sign_in(client, personas.outsider)
    assert client.get(f"/test/dossiers/{dossier.public_id}/").status_code == 404

    response = client.post(_page(dossier), {"reason": REASON})
    assert response.status_code == 302
    assert response["Location"] == f"/test/dossiers/{dossier.public_id}/"

    grant = BreakGlassGrant.objects.get()
    assert grant.user == personas.outsider
    assert grant.reason == REASON
    assert timedelta(hours=3, minutes=59) < grant.expires_at - timezone.now() <= timedelta(hours=4)
    opened = AuditEvent.objects.get(action="break_glass")
    # The reason may name the survivor: it is kept encrypted on the grant, only its digest here.
    assert REASON not in str(opened.reason) + str(opened.detail)
    assert opened.detail["grant"] == str(grant.public_id)
    assert opened.detail["reason_sha256"] == hashlib.sha256(REASON.encode()).hexdigest()
    assert opened.object_id == str(dossier.public_id)
    assert opened.actor_id == personas.outsider.pk

    detail = client.get(f"/test/dossiers/{dossier.public_id}/")
    assert detail.status_code == 200
    assert SUBJECT in detail.content.decode()
    view = AuditEvent.objects.get(action="view", object_id=str(dossier.public_id))
    assert view.reason == selectors.BREAK_GLASS_VIEW_REASON
    assert view.detail == {"break_glass": True, "grant": str(grant.public_id)}


def test_break_glass_reason_is_encrypted_at_rest(personas, dossier, client):
    from django.db import connection

    sign_in(client, personas.outsider).post(_page(dossier), {"reason": REASON})
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM core_breakglassgrant")
        (stored,) = cursor.fetchone()
    assert "Police" not in stored
    assert stored.startswith("gAAAA")  # a Fernet token


def test_break_glass_short_reason_is_refused_and_keeps_what_was_typed(client, personas, dossier):
    response = sign_in(client, personas.outsider).post(_page(dossier), {"reason": "urgent case"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "urgent case</textarea>" in page
    assert "at least 20 characters" in page
    assert not BreakGlassGrant.objects.exists()
    assert not AuditEvent.objects.filter(action="break_glass").exists()


def test_break_glass_blank_reason_is_refused(client, personas, dossier):
    response = sign_in(client, personas.outsider).post(_page(dossier), {"reason": " " * 30})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not BreakGlassGrant.objects.exists()


@pytest.mark.parametrize("persona", ["owner", "teammate", "admin_user"])
def test_break_glass_without_rights_is_404_even_for_existing_record(
    client, personas, dossier, persona
):
    sign_in(client, getattr(personas, persona))
    assert client.get(_page(dossier)).status_code == 404
    assert client.post(_page(dossier), {"reason": REASON}).status_code == 404
    assert not BreakGlassGrant.objects.exists()
    assert not AuditEvent.objects.filter(action="break_glass").exists()


def test_break_glass_missing_record_is_404_for_user_with_rights(client, personas, dossier):
    sign_in(client, personas.outsider)
    missing = "/staff/break-glass/test_dossier/00000000-0000-4000-8000-000000000000/"
    assert client.get(missing).status_code == 404
    assert client.post(missing, {"reason": REASON}).status_code == 404
    assert not BreakGlassGrant.objects.exists()


def test_break_glass_unknown_resource_is_404(client, personas, dossier):
    sign_in(client, personas.outsider)
    assert client.get(_page(dossier, resource="audit_event")).status_code == 404
    assert client.get(_page(dossier, resource="no_such_thing")).status_code == 404


def test_break_glass_on_record_already_in_scope_is_refused(client, personas, dossier):
    response = sign_in(client, personas.director).post(_page(dossier), {"reason": REASON})
    assert response.status_code == 400
    assert "already within your access" in response.content.decode()
    assert not BreakGlassGrant.objects.exists()


def test_break_glass_anonymous_redirects_to_login(client, dossier):
    response = client.get(_page(dossier))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_break_glass_expired_grant_no_longer_opens_record(client, personas, dossier):
    sign_in(client, personas.outsider).post(_page(dossier), {"reason": REASON})
    BreakGlassGrant.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(f"/test/dossiers/{dossier.public_id}/").status_code == 404


def test_break_glass_hours_follow_the_setting(client, personas, dossier, settings):
    settings.TUMAINI_BREAK_GLASS_HOURS = 1
    sign_in(client, personas.outsider).post(_page(dossier), {"reason": REASON})
    grant = BreakGlassGrant.objects.get()
    assert grant.expires_at - timezone.now() <= timedelta(hours=1)


def test_staff_home_shows_owner_who_opened_their_record_and_why(client, personas, dossier):
    sign_in(client, personas.outsider).post(_page(dossier), {"reason": REASON})
    client.logout()
    page = sign_in(client, personas.owner).get("/staff/").content.decode()
    assert "Records of yours opened by break-glass" in page
    assert "outsider" in page
    assert REASON in page
    assert str(dossier.public_id) in page
    assert "Welcome" in page  # the rest of the home page is still there


def test_staff_home_does_not_show_openings_to_others(client, personas, dossier):
    sign_in(client, personas.outsider).post(_page(dossier), {"reason": REASON})
    client.logout()
    page = sign_in(client, personas.teammate).get("/staff/").content.decode()
    assert "Records of yours opened by break-glass" not in page
    assert REASON not in page


def test_staff_home_lists_openings_of_every_resource_newest_first(client, personas, dossier):
    from tests.cases.builders_casefile import owned_case

    case = owned_case(personas)
    teammates = owned_case(personas, assigned_to=personas.teammate)

    def grant(user, resource, record, reason, minutes_ago):
        opened = BreakGlassGrant.objects.create(
            user=user,
            resource=resource,
            object_id=record.public_id,
            reason=reason,
            expires_at=timezone.now() + timedelta(hours=4),
        )
        BreakGlassGrant.objects.filter(pk=opened.pk).update(
            created_at=timezone.now() - timedelta(minutes=minutes_ago)
        )

    grant(personas.outsider, "test_dossier", dossier, "Older opening of the dossier", 30)
    grant(personas.outsider, "case", case, "Newer opening of the case file", 5)
    grant(personas.outsider, "case", teammates, "Opening of the teammate's case", 1)
    grant(personas.owner, "case", case, "The owner's own grant is not news", 2)
    page = sign_in(client, personas.owner).get("/staff/").content.decode()
    assert "Records of yours opened by break-glass" in page
    assert page.index("Newer opening of the case file") < page.index("Older opening of the dossier")
    assert str(case.public_id) in page and str(dossier.public_id) in page
    assert "teammate&#x27;s case" not in page and str(teammates.public_id) not in page
    assert "not news" not in page
    assert [o["resource"].name for o in selectors.break_glass_openings_of(user=personas.owner)] == [
        "case",
        "test_dossier",
    ]
