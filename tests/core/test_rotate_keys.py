"""`manage.py rotate_keys`: every stored token moves to the new key, old keys retire only when
nothing needs them, environment-managed keys are never written, and the audit trail records it."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory
from tests.testapp.models import Dossier
from tumaini import startup
from tumaini.core import crypto
from tumaini.core.models import AuditEvent, BreakGlassGrant

NAMES = ["Amina Wanjiru", "Neema Atieno", "فاطمة", "Zawadi 🌸", "Baraka Mwangi"]


@pytest.fixture
def key_dir(tmp_path, settings, monkeypatch):
    """A data folder of our own holding the key files of this test (never the real one)."""
    for variable in ("TUMAINI_ENCRYPTION_KEYS", "TUMAINI_BLIND_INDEX_KEY"):
        monkeypatch.delenv(variable, raising=False)
    old = Fernet.generate_key().decode()
    settings.DATA_DIR = tmp_path
    settings.TUMAINI_ENCRYPTION_KEYS = [old]
    settings.TUMAINI_BLIND_INDEX_KEY = startup.new_blind_index_key()
    (tmp_path / "encryption_keys").write_text(old + "\n")
    (tmp_path / "blind_index_key").write_text(settings.TUMAINI_BLIND_INDEX_KEY + "\n")
    for name in ("encryption_keys", "blind_index_key"):
        (tmp_path / name).chmod(0o600)
    return tmp_path


@pytest.fixture
def records(key_dir, db):
    org = OrganisationFactory()
    dossiers = [
        Dossier.objects.create(organisation=org, subject_name=name, narrative=f"story of {name}")
        for name in NAMES
    ]
    Dossier.objects.create(organisation=org, subject_name="No story", narrative="")
    user = UserFactory(organisation=org, phone="+254712345678")
    grant = BreakGlassGrant.objects.create(
        user=user,
        resource="test_dossier",
        object_id=dossiers[0].public_id,
        reason="Emergency: Amina at Kenyatta hospital",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    return dossiers, user, grant


def raw_tokens():
    """Every non-blank encrypted column as stored, read around the ORM."""
    queries = [
        ('SELECT "subject_name", "narrative" FROM "testapp_dossier"', 2),
        ('SELECT "phone" FROM "accounts_user"', 1),
        ('SELECT "reason" FROM "core_breakglassgrant"', 1),
    ]
    tokens = []
    with connection.cursor() as cursor:
        for sql, _width in queries:
            cursor.execute(sql)
            tokens += [value for row in cursor.fetchall() for value in row if value]
    return tokens


def decrypts_under(key, token):
    try:
        Fernet(key).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def run(*args, **options):
    out = StringIO()
    call_command("rotate_keys", *args, stdout=out, **options)
    return out.getvalue()


def file_keys(key_dir):
    return startup.parse_encryption_keys((key_dir / "encryption_keys").read_text())


def test_rotate_keys_moves_every_value_to_a_new_key_and_keeps_the_old_one(
    key_dir, records, settings
):
    dossiers, _user, _grant = records
    (old,) = file_keys(key_dir)
    before = {d.pk: (d.updated_at, d.version) for d in Dossier.objects.all()}
    tokens_before = raw_tokens()
    assert len(tokens_before) == 13  # 6 names + 5 stories + phone + reason
    assert all(decrypts_under(old, token) for token in tokens_before)

    output = run(batch_size=2)

    new, kept = file_keys(key_dir)
    assert kept == old and new != old
    assert [new, old] == settings.TUMAINI_ENCRYPTION_KEYS
    assert (key_dir / "encryption_keys").stat().st_mode & 0o777 == 0o600
    tokens_after = raw_tokens()
    assert len(tokens_after) == 13
    assert all(decrypts_under(new, token) for token in tokens_after)
    assert not any(decrypts_under(old, token) for token in tokens_after)
    assert "Re-encrypted 13 values" in output
    # Key rotation is not an edit: the records keep their updated_at and version.
    assert {d.pk: (d.updated_at, d.version) for d in Dossier.objects.all()} == before
    assert sorted(Dossier.objects.values_list("subject_name", flat=True)) == sorted(
        [*NAMES, "No story"]
    )


def test_rotate_keys_retires_old_keys_and_the_app_still_reads_everything(
    key_dir, records, settings
):
    dossiers, user, grant = records
    (old,) = file_keys(key_dir)

    output = run("--retire-old-keys", batch_size=4)

    (new,) = file_keys(key_dir)
    assert new != old
    assert [new] == settings.TUMAINI_ENCRYPTION_KEYS
    assert "removed 1 old key(s)" in output
    assert all(decrypts_under(new, token) for token in raw_tokens())
    # The application, holding only the new key, reads every value.
    for dossier in dossiers:
        fresh = Dossier.objects.get(pk=dossier.pk)
        assert fresh.subject_name == dossier.subject_name
        assert fresh.narrative == f"story of {dossier.subject_name}"
    assert type(user).objects.get(pk=user.pk).phone == "+254712345678"
    assert (
        BreakGlassGrant.objects.get(pk=grant.pk).reason == "Emergency: Amina at Kenyatta hospital"
    )
    # The blind index is untouched by an encryption-key rotation.
    assert Dossier.objects.filter(
        subject_name_index=crypto.blind_index("amina wanjiru", purpose="dossier-name")
    ).exists()


def test_rotate_keys_writes_an_audit_event_with_counts_and_no_keys(key_dir, records):
    run("--retire-old-keys")
    (new,) = file_keys(key_dir)
    event = AuditEvent.objects.get(action="key_rotation")
    assert event.detail["reencrypted"] == 13
    assert event.detail["old_keys_retired"] == 1
    assert event.detail["fields"]["testapp.Dossier.narrative"] == 5
    assert event.detail["fields"]["accounts.User.phone"] == 1
    recorded = json.dumps(event.detail) + event.reason
    assert new not in recorded
    for token in raw_tokens():
        assert token not in recorded


def test_rotate_keys_refuses_when_keys_come_from_the_environment(key_dir, records, monkeypatch):
    (old,) = file_keys(key_dir)
    monkeypatch.setenv("TUMAINI_ENCRYPTION_KEYS", old)
    tokens = raw_tokens()
    with pytest.raises(CommandError) as error:
        run()
    assert "TUMAINI_ENCRYPTION_KEYS" in str(error.value)
    assert "--new-key" in str(error.value)
    assert file_keys(key_dir) == [old]
    assert raw_tokens() == tokens
    assert not AuditEvent.objects.filter(action="key_rotation").exists()


def test_rotate_keys_with_environment_keys_reencrypts_under_the_given_key(
    key_dir, records, monkeypatch, settings
):
    (old,) = file_keys(key_dir)
    new = Fernet.generate_key().decode()
    # The operator put the new key first in the environment and restarted.
    monkeypatch.setenv("TUMAINI_ENCRYPTION_KEYS", f"{new},{old}")
    settings.TUMAINI_ENCRYPTION_KEYS = [new, old]

    # With "=": a Fernet key may start with "-", which argparse would take for an option.
    output = run(f"--new-key={new}", "--retire-old-keys")

    assert all(decrypts_under(new, token) for token in raw_tokens())
    assert "remove the 1 old key(s) from TUMAINI_ENCRYPTION_KEYS" in output
    assert file_keys(key_dir) == [old]  # the file is not the source: left alone


def test_rotate_keys_refuses_an_environment_key_that_is_not_first(key_dir, records, monkeypatch):
    (old,) = file_keys(key_dir)
    monkeypatch.setenv("TUMAINI_ENCRYPTION_KEYS", old)
    with pytest.raises(CommandError, match="not the first key"):
        run(f"--new-key={Fernet.generate_key().decode()}")


def test_rotate_keys_resumes_with_the_key_already_first(key_dir, records):
    run()
    new, old = file_keys(key_dir)
    output = run(f"--new-key={new}")
    assert file_keys(key_dir) == [new, old]
    assert "already the newest key" in output
    assert "Re-encrypted 0 values" in output


def test_rotate_keys_rotates_the_blind_index(key_dir, records, settings):
    old_blind_key = (key_dir / "blind_index_key").read_text()
    old_digest = crypto.blind_index("Neema Atieno", purpose="dossier-name")

    run("--rotate-blind-index")

    assert (key_dir / "blind_index_key").read_text() != old_blind_key
    assert (key_dir / "blind_index_key").read_text().strip() == settings.TUMAINI_BLIND_INDEX_KEY
    new_digest = crypto.blind_index("neema  ATIENO", purpose="dossier-name")
    assert new_digest != old_digest
    assert Dossier.objects.get(subject_name_index=new_digest).narrative == "story of Neema Atieno"
    assert not Dossier.objects.filter(subject_name_index=old_digest).exists()
    user = records[1]
    assert type(user).objects.get(pk=user.pk).phone_index == crypto.blind_index(
        "+254712345678", purpose="staff-phone"
    )


def test_retiring_is_refused_while_a_value_does_not_decrypt_under_the_new_key(key_dir, records):
    dossiers, _user, _grant = records
    (old,) = file_keys(key_dir)
    # A value written around the field (raw SQL, an import): no key decrypts it.
    with connection.cursor() as cursor:
        cursor.execute(
            'UPDATE "testapp_dossier" SET "narrative" = %s WHERE id = %s',
            ["written in plain text", dossiers[0].pk],
        )
    err = StringIO()
    with pytest.raises(CommandError, match="do not decrypt under the new key alone"):
        call_command("rotate_keys", "--retire-old-keys", stdout=StringIO(), stderr=err)
    assert f"testapp.Dossier.narrative id={dossiers[0].pk}" in err.getvalue()
    assert "written in plain text" not in err.getvalue()
    new, kept = file_keys(key_dir)
    assert kept == old  # the old key stays while something may still need it
    others = [t for t in raw_tokens() if t != "written in plain text"]
    assert len(others) == 12
    assert all(decrypts_under(new, token) for token in others)


def test_rotate_keys_reencrypts_case_documents_on_disk(key_dir, settings, personas, client):
    """Uploaded files are encrypted too: after the old key is retired they still open."""
    from tests.cases.builders_casefile import owned_case
    from tests.testapp.helpers import sign_in
    from tumaini.cases.services.file import document_path, document_upload

    settings.MEDIA_ROOT = key_dir / "files"
    case = owned_case(personas)
    content = b"%PDF-1.4 medical report of the survivor"
    document = document_upload(
        actor=personas.owner,
        case=case,
        kind="medical",
        title="Medical report",
        original_name="report.pdf",
        content_type="application/pdf",
        data=content,
    )
    (old,) = file_keys(key_dir)
    assert decrypts_under(old, document_path(document).read_bytes().decode())

    output = run("--retire-old-keys")

    (new,) = file_keys(key_dir)
    token = document_path(document).read_bytes().decode()
    assert decrypts_under(new, token) and not decrypts_under(old, token)
    assert "cases.CaseDocument.file: 1" in output
    response = sign_in(client, personas.owner).get(
        f"/staff/cases/{case.public_id}/documents/{document.public_id}/"
    )
    assert response.status_code == 200 and response.content == content
    assert not list(document_path(document).parent.glob("*.rotating"))
