"""Notes (with follow-ups and next_action_due) and documents (encrypted upload, audited download)."""

import hashlib
import io
import zipfile
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.cases.builders_casefile import owned_case
from tests.factories import UserFactory
from tests.testapp.helpers import case_section, sign_in
from tumaini.accounts.enums import Role
from tumaini.cases.enums import DocumentKind, NoteKind
from tumaini.cases.models import Case, CaseDocument, CaseNote
from tumaini.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Title (Statement of Amina Wanjiru) >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>Amina Wanjiru</w:document>")
    return buffer.getvalue()


ROLES_OUTSIDE = [Role.COUNSELLOR, Role.SHELTER_MANAGER, Role.COUNTY_ANALYST]
MATRIX = [
    ("owner", True),
    ("teammate", True),
    ("director", True),
    ("outsider", False),
    ("admin_user", False),
    *[(role, False) for role in ROLES_OUTSIDE],
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def case(personas):
    return owned_case(personas)


def _user(personas, persona):
    return getattr(personas, persona, None) or UserFactory(
        username=f"u-{persona}", organisation=personas.org_a, roles=[persona]
    )


def _url(case, suffix=""):
    return f"/staff/cases/{case.public_id}/{suffix}"


def _upload(name, data, content_type="application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def _add_note(client, case, **fields):
    data = {"kind": NoteKind.CONTACT, "body": "Called her sister.", **fields}
    return client.post(_url(case, "notes/add/"), data)


# --- Notes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "allowed"), MATRIX)
def test_note_add_access_matrix(client, personas, case, persona, allowed):
    response = _add_note(sign_in(client, _user(personas, persona)), case)
    assert response.status_code == (302 if allowed else 404)
    assert CaseNote.objects.filter(case=case).exists() == allowed


def test_note_add_anonymous_goes_to_login(client, case):
    response = _add_note(client, case)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not CaseNote.objects.exists()


def test_note_add_shows_on_case_page_and_is_encrypted(client, personas, case):
    sign_in(client, personas.owner)
    response = _add_note(client, case, body="Met at the safe house; she is well.")
    assert response["Location"].endswith("/?section=file#part-notes")
    page = client.get(case_section(case, "file")).content.decode()
    assert "Met at the safe house; she is well." in page
    assert "Contact with the survivor" in page
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM cases_casenote")
        (stored,) = cursor.fetchone()
    assert "safe house" not in stored
    event = AuditEvent.objects.filter(object_id=str(case.public_id), action="create").get()
    assert event.fields_changed == ["body", "kind"]
    assert "safe house" not in str(event.detail)


def test_note_add_empty_body_error_keeps_what_was_typed(client, personas, case):
    sign_in(client, personas.owner)
    response = _add_note(client, case, body="   ", follow_up_on="2031-05-04")
    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in page
    assert 'value="2031-05-04"' in page
    assert not CaseNote.objects.exists()


def test_note_add_htmx_returns_the_notes_part(client, personas, case):
    sign_in(client, personas.owner)
    response = client.post(
        _url(case, "notes/add/"),
        {"kind": NoteKind.GENERAL, "body": "Added without reloading."},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.startswith('<div id="part-notes-body"')
    assert "Added without reloading." in page


def test_note_follow_up_sets_next_action_due_to_earliest_open(client, personas, case):
    today = timezone.localdate()
    later, sooner = today + timedelta(days=10), today + timedelta(days=3)
    sign_in(client, personas.owner)
    _add_note(client, case, follow_up_on=later.isoformat())
    assert Case.objects.get(pk=case.pk).next_action_due == later
    _add_note(client, case, follow_up_on=sooner.isoformat())
    assert Case.objects.get(pk=case.pk).next_action_due == sooner
    sooner_note = CaseNote.objects.get(follow_up_on=sooner)
    response = client.post(_url(case, f"notes/{sooner_note.public_id}/done/"), follow=True)
    assert "Follow-up marked done." in response.content.decode()
    assert Case.objects.get(pk=case.pk).next_action_due == later
    later_note = CaseNote.objects.get(follow_up_on=later)
    client.post(_url(case, f"notes/{later_note.public_id}/done/"))
    assert Case.objects.get(pk=case.pk).next_action_due is None
    response = client.post(_url(case, f"notes/{later_note.public_id}/done/"), follow=True)
    assert "already marked done" in response.content.decode()


def test_note_follow_up_done_refused_outside_scope(client, personas, case):
    note = CaseNote.objects.create(
        case=case,
        body="x",
        author=personas.owner,
        follow_up_on=timezone.localdate(),
    )
    sign_in(client, personas.outsider)
    response = client.post(_url(case, f"notes/{note.public_id}/done/"))
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.follow_up_done_at is None


def test_notes_newest_first_and_paginated(client, personas, case):
    for number in range(12):
        CaseNote.objects.create(case=case, body=f"note number {number:02d}", author=personas.owner)
    sign_in(client, personas.teammate)
    page = client.get(case_section(case, "file")).content.decode()
    assert page.index("note number 11") < page.index("note number 02")
    assert "note number 01" not in page
    assert "Older notes" in page
    page = client.get(_url(case, "notes/?page=2")).content.decode()
    assert "note number 01" in page and "note number 00" in page
    assert "note number 11" not in page


@pytest.mark.parametrize(("persona", "allowed"), MATRIX)
def test_notes_page_access_matrix(client, personas, case, persona, allowed):
    CaseNote.objects.create(case=case, body="private words", author=personas.owner)
    response = sign_in(client, _user(personas, persona)).get(_url(case, "notes/"))
    assert response.status_code == (200 if allowed else 404)
    assert ("private words" in response.content.decode()) == allowed


def test_notes_page_same_query_count_for_1_and_10_notes(
    client, personas, case, django_assert_max_num_queries
):
    CaseNote.objects.create(case=case, body="first", author=personas.owner)
    sign_in(client, personas.owner)
    client.get(_url(case, "notes/"))
    with CaptureQueriesContext(connection) as one:
        client.get(_url(case, "notes/"))
    for number in range(9):
        author = UserFactory(organisation=personas.org_a, roles=[Role.CASE_MANAGER])
        CaseNote.objects.create(case=case, body=f"more {number}", author=author)
    with django_assert_max_num_queries(len(one)):
        page = client.get(_url(case, "notes/")).content.decode()
    assert "more 8" in page


# --- Documents -----------------------------------------------------------------------------------


def _post_document(client, case, name="statement.pdf", data=PDF, **fields):
    return client.post(
        _url(case, "documents/add/"),
        {
            "kind": DocumentKind.POLICE,
            "title": "Police statement",
            "file": _upload(name, data),
            **fields,
        },
    )


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("statement.pdf", PDF, "application/pdf"),
        ("photo.PNG", PNG, "image/png"),
        ("scan.jpg", JPEG, "image/jpeg"),
        (
            "letter.docx",
            _docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_document_upload_allowed_types(client, personas, case, name, data, content_type):
    response = _post_document(sign_in(client, personas.owner), case, name=name, data=data)
    assert response.status_code == 302
    document = CaseDocument.objects.get(case=case)
    assert document.content_type == content_type
    assert document.original_name == name
    assert document.size == len(data)


def test_document_stored_encrypted_under_random_name(client, personas, case, _media):
    _post_document(sign_in(client, personas.owner), case)
    document = CaseDocument.objects.get(case=case)
    stored = _media / document.storage_name
    assert stored.parent == _media / "cases"
    assert "statement" not in document.storage_name
    raw = stored.read_bytes()
    assert b"Amina" not in raw and b"%PDF" not in raw and b"Statement" not in raw
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    # Nothing else was left on disk (no plaintext temporary copy in the media folder).
    assert [p for p in _media.rglob("*") if p.is_file()] == [stored]


def test_document_wrong_type_refused_next_to_field_keeps_other_fields(client, personas, case):
    sign_in(client, personas.owner)
    response = _post_document(client, case, name="statement.pdf", data=b"MZ\x90\x00 not a pdf")
    page = response.content.decode()
    assert response.status_code == 200
    assert "This file is not a PDF, JPEG, PNG or Word (DOCX) document." in page
    assert 'value="Police statement"' in page
    assert '<option value="police" selected>' in page
    assert not CaseDocument.objects.exists()


def test_document_extension_must_match_content(client, personas, case):
    sign_in(client, personas.owner)
    response = _post_document(client, case, name="statement.exe", data=PDF)
    assert "This file is not a PDF" in response.content.decode()
    response = _post_document(client, case, name="notes.docx", data=b"PK\x03\x04 broken zip")
    assert "This file is not a PDF" in response.content.decode()
    assert not CaseDocument.objects.exists()


def test_document_too_big_refused(client, personas, case, settings, _media):
    settings.TUMAINI_UPLOAD_MAX_MB = 1
    sign_in(client, personas.owner)
    response = _post_document(client, case, data=PDF + b"0" * (1024 * 1024))
    page = response.content.decode()
    assert "The file is too big" in page
    assert "the limit is 1 MB" in page
    assert 'value="Police statement"' in page
    assert not CaseDocument.objects.exists()
    assert not (_media / "cases").exists() or not any((_media / "cases").iterdir())


@pytest.mark.parametrize(("persona", "allowed"), MATRIX)
def test_document_upload_access_matrix(client, personas, case, persona, allowed):
    response = _post_document(sign_in(client, _user(personas, persona)), case)
    assert response.status_code == (302 if allowed else 404)
    assert CaseDocument.objects.exists() == allowed


@pytest.fixture
def document(client, personas, case):
    _post_document(sign_in(client, personas.owner), case)
    client.logout()
    return CaseDocument.objects.get(case=case)


@pytest.mark.parametrize(("persona", "allowed"), MATRIX)
def test_document_download_access_matrix(client, personas, case, document, persona, allowed):
    response = sign_in(client, _user(personas, persona)).get(
        _url(case, f"documents/{document.public_id}/")
    )
    assert response.status_code == (200 if allowed else 404)
    if allowed:
        assert response.content == PDF
    else:
        assert PDF not in response.content


def test_document_download_anonymous_goes_to_login(client, case, document):
    response = client.get(_url(case, f"documents/{document.public_id}/"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_document_download_headers_and_export_audit(client, personas, case, document):
    response = sign_in(client, personas.teammate).get(
        _url(case, f"documents/{document.public_id}/")
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="statement.pdf"'
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.filter(action="export", object_id=str(case.public_id)).get()
    assert event.actor_username == "teammate"
    assert event.detail == {"document": str(document.public_id)}


def test_document_of_another_case_is_not_found(client, personas, case, document):
    other = owned_case(personas)
    response = sign_in(client, personas.owner).get(_url(other, f"documents/{document.public_id}/"))
    assert response.status_code == 404


def test_documents_part_lists_documents(client, personas, case, document):
    page = sign_in(client, personas.director).get(case_section(case, "file")).content.decode()
    assert "Police statement" in page
    assert f"documents/{document.public_id}/" in page
