"""Counselling: a counsellor gets a case as a client, writes session notes nobody else reads; the
case page shows only how many sessions and when the last was."""

from datetime import date, timedelta

import pytest

from tests.clinical.conftest import NOTE_TEXT, give_client, persona, write_note
from tests.testapp.helpers import case_section, sign_in
from tumaini.clinical.models import CounsellingClient, SessionNote
from tumaini.core.enums import AuditAction
from tumaini.core.models import AuditEvent, BreakGlassGrant

pytestmark = pytest.mark.django_db


def _note_url(note, suffix=""):
    return f"/staff/clinical/notes/{note.public_id}/{suffix}"


def _client_url(client, suffix=""):
    return f"/staff/clinical/clients/{client.public_id}/{suffix}"


def _note_form(**overrides):
    data = {
        "held_on": (date.today() - timedelta(days=1)).isoformat(),
        "duration_minutes": "45",
        "modality": "family",
        "themes": ["family", "safety"],
        "body": "Mother and daughter talked about coming home to Kisumu.",
        "next_session_on": (date.today() + timedelta(days=7)).isoformat(),
    }
    data.update(overrides)
    return data


# --- The test: a note the case worker and the director cannot read --------------------


def test_session_note_written_by_counsellor_unreadable_by_caseworker_and_director(
    client, personas, clinical, client_of_counsellor
):
    sign_in(client, clinical.counsellor)
    response = client.post(_client_url(client_of_counsellor, "notes/new/"), _note_form())
    note = SessionNote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _note_url(note)
    page = client.get(_note_url(note)).content.decode()
    assert "Mother and daughter talked about coming home to Kisumu." in page
    client.logout()
    for reader in (personas.owner, personas.director):
        response = sign_in(client, reader).get(_note_url(note))
        assert response.status_code == 404
        assert "Mother and daughter" not in response.content.decode()
        client.logout()


# --- Access matrix ------------------------------------------------------------------------------

READERS = [
    ("counsellor", 200),
    ("counsellor2", 404),
    ("counsellor_b", 404),
    ("owner", 404),
    ("teammate", 404),
    ("director", 404),
    ("outsider", 404),
    ("admin_user", 404),
    ("nurse", 404),
    ("shelter", 404),
    ("partner", 404),
    ("analyst", 404),
    ("legal", 404),
]


@pytest.mark.parametrize(("who", "status"), READERS)
def test_note_detail_access_matrix(client, personas, clinical, note, who, status):
    response = sign_in(client, persona(personas, clinical, who)).get(_note_url(note))
    assert response.status_code == status
    assert (NOTE_TEXT in response.content.decode()) == (status == 200)


@pytest.mark.parametrize(("who", "status"), READERS)
def test_note_edit_access_matrix(client, personas, clinical, note, who, status):
    response = sign_in(client, persona(personas, clinical, who)).get(_note_url(note, "edit/"))
    assert response.status_code == status
    assert (NOTE_TEXT in response.content.decode()) == (status == 200)


@pytest.mark.parametrize(("who", "status"), READERS)
def test_client_page_access_matrix(client, personas, clinical, note, who, status):
    response = sign_in(client, persona(personas, clinical, who)).get(_client_url(note.client))
    page = response.content.decode()
    assert response.status_code == status
    assert ("TUM-26-CLIN-01" in page) == (status == 200)
    assert NOTE_TEXT not in page  # the list shows dates and themes, never the note


@pytest.mark.parametrize(("who", "status"), READERS)
def test_note_write_access_matrix(client, personas, clinical, client_of_counsellor, who, status):
    user = persona(personas, clinical, who)
    sign_in(client, user)
    response = client.get(_client_url(client_of_counsellor, "notes/new/"))
    assert response.status_code == status
    assert ("TUM-26-CLIN-01" in response.content.decode()) == (status == 200)
    response = client.post(_client_url(client_of_counsellor, "notes/new/"), _note_form())
    assert response.status_code == (302 if status == 200 else 404)
    assert SessionNote.objects.filter(author=user).count() == (1 if status == 200 else 0)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("counsellor", 200),
        ("counsellor2", 200),
        ("owner", 404),
        ("director", 404),
        ("nurse", 404),
        ("admin_user", 404),
        ("shelter", 404),
        ("analyst", 404),
    ],
)
def test_client_list_access_matrix(client, personas, clinical, note, who, status):
    response = sign_in(client, persona(personas, clinical, who)).get("/staff/clinical/clients/")
    page = response.content.decode()
    assert response.status_code == status
    # Only the counsellor the case was given to sees it.
    assert ("TUM-26-CLIN-01" in page) == (who == "counsellor")
    assert NOTE_TEXT not in page


def test_client_list_shows_name_as_lists_do(client, personas, clinical, child_case, case):
    give_client(case=case, counsellor=clinical.counsellor, assigned_by=personas.owner)
    give_client(case=child_case, counsellor=clinical.counsellor, assigned_by=personas.owner)
    page = sign_in(client, clinical.counsellor).get("/staff/clinical/clients/").content.decode()
    assert "Zawadi Atieno" in page
    assert "B. O." in page and "Baraka" not in page
    assert "TUM-26-CLIN-02" in page


def test_client_list_counts_only_own_notes(client, personas, clinical, case, note):
    other = give_client(case=case, counsellor=clinical.counsellor2, assigned_by=personas.owner)
    write_note(client=other, body="Colleague's note", held_on=date(2026, 1, 3))
    write_note(client=other, body="Colleague's other note", held_on=date(2026, 1, 4))
    page = sign_in(client, clinical.counsellor2).get("/staff/clinical/clients/").content.decode()
    assert "<td>2</td>" in page
    client.logout()
    page = sign_in(client, clinical.counsellor).get(_client_url(note.client)).content.decode()
    assert _note_url(note) in page
    assert "2026-01-03" not in page  # the colleague's sessions are not listed


def test_client_list_is_audited_without_names(client, clinical, note):
    sign_in(client, clinical.counsellor).get("/staff/clinical/clients/")
    event = AuditEvent.objects.filter(
        actor_username="counsellor", object_type="clinical.counsellingclient"
    ).get()
    assert event.action == AuditAction.VIEW
    assert "Zawadi" not in str(event.detail)


@pytest.mark.parametrize("count", [1, 3])
def test_client_list_query_count_does_not_grow(
    client, personas, clinical, django_assert_num_queries, count
):
    from tests.cases.builders_casefile import owned_case

    for index in range(count):
        cl = give_client(
            case=owned_case(personas, case_number=f"TUM-26-NPQ{index}-AA"),
            counsellor=clinical.counsellor,
            assigned_by=personas.owner,
        )
        write_note(client=cl)
    sign_in(client, clinical.counsellor)
    client.get("/staff/clinical/clients/")  # warm the session and caches
    with django_assert_num_queries(_CLIENT_LIST_QUERIES):
        client.get("/staff/clinical/clients/")


_CLIENT_LIST_QUERIES = 17


@pytest.mark.parametrize("count", [1, 3])
def test_client_page_query_count_does_not_grow(
    client, clinical, client_of_counsellor, django_assert_num_queries, count
):
    for index in range(count):
        write_note(client=client_of_counsellor, held_on=date(2026, 2, 1 + index))
    sign_in(client, clinical.counsellor)
    client.get(_client_url(client_of_counsellor))
    with django_assert_num_queries(_CLIENT_PAGE_QUERIES):
        client.get(_client_url(client_of_counsellor))


_CLIENT_PAGE_QUERIES = 18


# --- Writing and editing --------------------------------------------------------------------------


def test_note_is_encrypted_and_audited_without_its_text(client, clinical, client_of_counsellor):
    from django.db import connection

    sign_in(client, clinical.counsellor)
    client.post(_client_url(client_of_counsellor, "notes/new/"), _note_form())
    note = SessionNote.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM clinical_sessionnote WHERE id = %s", [note.pk])
        raw = cursor.fetchone()[0]
    assert "Kisumu" not in raw
    assert note.body.startswith("Mother and daughter")
    assert note.themes == ["safety", "family"]  # in the vocabulary's order
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(note.public_id))
    assert "body" in event.fields_changed
    assert "Kisumu" not in str(event.detail)


def test_note_view_is_audited(client, clinical, note):
    sign_in(client, clinical.counsellor).get(_note_url(note))
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_type="clinical.sessionnote", object_id=str(note.public_id)
    ).exists()


def test_note_write_empty_note_message_next_to_field(client, clinical, client_of_counsellor):
    sign_in(client, clinical.counsellor)
    response = client.post(
        _client_url(client_of_counsellor, "notes/new/"),
        _note_form(body="   ", duration_minutes="0"),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Write the note." in page
    assert "Ensure this value is greater than or equal to 1." in page
    assert '<option value="family" selected>' in page  # what was typed stays
    assert not SessionNote.objects.exists()


def test_note_write_next_session_before_session_refused(client, clinical, client_of_counsellor):
    sign_in(client, clinical.counsellor)
    response = client.post(
        _client_url(client_of_counsellor, "notes/new/"),
        _note_form(next_session_on=(date.today() - timedelta(days=10)).isoformat()),
    )
    assert response.status_code == 400
    assert "The next session comes after this one." in response.content.decode()


def test_note_write_refused_after_counselling_ended(client, clinical, client_of_counsellor):
    from django.utils import timezone

    CounsellingClient.objects.filter(pk=client_of_counsellor.pk).update(ended_at=timezone.now())
    response = sign_in(client, clinical.counsellor).post(
        _client_url(client_of_counsellor, "notes/new/"), _note_form()
    )
    assert response.status_code == 404
    assert not SessionNote.objects.exists()


def test_note_edit_saves_and_bumps_version(client, clinical, note):
    sign_in(client, clinical.counsellor)
    response = client.post(
        _note_url(note, "edit/"),
        _note_form(body="Revised: slept better this week.", version=note.version),
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.body == "Revised: slept better this week."
    assert note.version == 2
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(note.public_id))
    assert "body" in event.fields_changed


def test_note_edit_stale_version_refused_and_text_kept(client, clinical, note):
    SessionNote.objects.filter(pk=note.pk).update(version=note.version + 1)
    sign_in(client, clinical.counsellor)
    response = client.post(
        _note_url(note, "edit/"), _note_form(body="My late edit.", version=note.version)
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this record" in page
    assert "My late edit." in page
    note.refresh_from_db()
    assert note.body == NOTE_TEXT


# --- Break-glass ----------------------------------------------------------------------------------


def test_break_glass_director_opens_note_with_reason_and_counsellor_is_told(
    client, personas, clinical, note
):
    sign_in(client, personas.director)
    url = f"/staff/break-glass/session_note/{note.public_id}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Client disclosed a plan to harm herself tonight."})
    assert response.status_code == 302
    assert response["Location"] == _note_url(note)
    page = client.get(_note_url(note)).content.decode()
    assert NOTE_TEXT in page
    assert "through break-glass access" in page
    assert "Edit the note" not in page
    # Break-glass never lets anyone edit.
    assert client.get(_note_url(note, "edit/")).status_code == 404
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_id=str(note.public_id), reason="break-glass access"
    ).exists()
    client.logout()
    home = sign_in(client, clinical.counsellor).get("/staff/").content.decode()
    assert "director_a" in home or personas.director.get_full_name() in home


def test_break_glass_short_reason_refused(client, personas, note):
    sign_in(client, personas.director)
    response = client.post(f"/staff/break-glass/session_note/{note.public_id}/", {"reason": "x"})
    assert response.status_code == 400
    assert not BreakGlassGrant.objects.exists()


@pytest.mark.parametrize("who", ["owner", "outsider", "admin_user", "counsellor2", "nurse"])
def test_break_glass_refused_to_others(client, personas, clinical, note, who):
    sign_in(client, persona(personas, clinical, who))
    response = client.post(
        f"/staff/break-glass/session_note/{note.public_id}/",
        {"reason": "I would like to read this note for my work."},
    )
    assert response.status_code == 404
    assert not BreakGlassGrant.objects.exists()


# --- On the case page -----------------------------------------------------------------------------


def test_case_page_shows_count_and_last_date_never_content(client, personas, clinical, note):
    write_note(client=note.client, held_on=date(2026, 3, 9), body="Second, secret session.")
    for reader in (personas.owner, personas.director):
        page = sign_in(client, reader).get(case_section(note.case, "care")).content.decode()
        assert "2 counselling sessions, last on" in page
        assert NOTE_TEXT not in page and "Second, secret session." not in page
        assert "Trauma" not in page  # themes are content too
        client.logout()


def test_case_page_break_glass_link_only_for_director(client, personas, note):
    link = f"/staff/break-glass/session_note/{note.public_id}/"
    assert (
        link
        in sign_in(client, personas.director).get(case_section(note.case, "care")).content.decode()
    )
    client.logout()
    assert (
        link
        not in sign_in(client, personas.owner).get(case_section(note.case, "care")).content.decode()
    )


@pytest.mark.parametrize("who", ["owner", "director"])
def test_assign_counsellor_from_case_page(client, personas, clinical, case, who):
    sign_in(client, persona(personas, clinical, who))
    page = client.get(case_section(case, "care")).content.decode()
    assert "Assign a counsellor" in page
    response = client.post(
        f"/staff/clinical/cases/{case.public_id}/counsellor/",
        {"counsellor": clinical.counsellor.pk},
    )
    assert response.status_code == 302
    assigned = CounsellingClient.objects.get()
    assert assigned.counsellor == clinical.counsellor
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_id=str(assigned.public_id)
    ).exists()
    client.logout()
    page = sign_in(client, clinical.counsellor).get("/staff/clinical/clients/").content.decode()
    assert "TUM-26-CLIN-01" in page


def test_assign_counsellor_of_other_organisation_refused(client, personas, clinical, case):
    sign_in(client, personas.director)
    response = client.post(
        f"/staff/clinical/cases/{case.public_id}/counsellor/",
        {"counsellor": clinical.counsellor_b.pk},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not CounsellingClient.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "admin_user", "counsellor", "nurse", "shelter"])
def test_assign_counsellor_refused_outside_case(client, personas, clinical, case, who):
    sign_in(client, persona(personas, clinical, who))
    response = client.post(
        f"/staff/clinical/cases/{case.public_id}/counsellor/",
        {"counsellor": clinical.counsellor.pk},
    )
    assert response.status_code == 404
    assert not CounsellingClient.objects.exists()


def test_end_counselling_keeps_notes_readable_to_author(client, personas, clinical, note):
    sign_in(client, personas.owner)
    response = client.post(
        f"/staff/clinical/cases/{note.case.public_id}/counselling/{note.client.public_id}/end/"
    )
    assert response.status_code == 302
    note.client.refresh_from_db()
    assert note.client.ended_at is not None
    client.logout()
    sign_in(client, clinical.counsellor)
    assert NOTE_TEXT in client.get(_note_url(note)).content.decode()
    assert "1 past client" in client.get("/staff/clinical/clients/").content.decode()


def test_counsellor_cannot_open_the_case_file(client, clinical, note):
    response = sign_in(client, clinical.counsellor).get(case_section(note.case, "care"))
    assert response.status_code == 404
    assert "Zawadi" not in response.content.decode()


# --- Home -----------------------------------------------------------------------------------------


def test_home_panel_lists_next_sessions_for_counsellor(client, personas, clinical, note):
    page = sign_in(client, clinical.counsellor).get("/staff/").content.decode()
    assert "Next counselling sessions" in page
    assert note.next_session_on.isoformat() in page
    assert "TUM-26-CLIN-01" in page
    client.logout()
    page = sign_in(client, personas.owner).get("/staff/").content.decode()
    assert "Next counselling sessions" not in page
