"""No plaintext at rest: the bytes the database keeps (SQLite file and WAL, or a pg_dump) hold no
identifying value, while the blind index and a plain control column show the search would find one."""

import os
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory
from tests.testapp.models import Dossier
from tumaini.core import crypto
from tumaini.core.models import BreakGlassGrant

SECRETS = {
    "name": "Nyokabi Wairimu-Kinyanjui",
    "narrative": "Alisafirishwa kutoka Malaba hadi Riyadh mwezi wa tisa — زُليخة",
    "phone": "+254799123456",
    "reason": "Breakglass because Nyokabi was seen at Jomo Kenyatta airport gate 14",
}
CONTROL = "Plain-control-label-7Q"


@pytest.fixture
def stored(transactional_db):
    org = OrganisationFactory()
    dossier = Dossier.objects.create(
        organisation=org,
        subject_name=SECRETS["name"],
        narrative=SECRETS["narrative"],
        label=CONTROL,  # a plain CharField: proves the search below would find a plaintext
    )
    user = UserFactory(organisation=org, phone=SECRETS["phone"])
    BreakGlassGrant.objects.create(
        user=user,
        resource="test_dossier",
        object_id=dossier.public_id,
        reason=SECRETS["reason"],
        expires_at=timezone.now() + timedelta(hours=1),
    )
    return dossier, user


def assert_no_plaintext(data: bytes, dossier, user):
    for what, value in SECRETS.items():
        assert value.encode() not in data, f"the {what} is stored in plain text"
    # Not even the distinctive parts (a substring search a thief would run).
    for fragment in ("Nyokabi", "Malaba hadi Riyadh", "799123456", "gate 14"):
        assert fragment.encode() not in data, fragment
    # Control: the same search finds a value stored in plain text, and the blind indexes.
    assert CONTROL.encode() in data
    assert dossier.subject_name_index == crypto.blind_index(SECRETS["name"], purpose="dossier-name")
    assert dossier.subject_name_index.encode() in data
    assert user.phone_index and user.phone_index.encode() in data


def test_sqlite_file_and_wal_hold_no_plaintext(stored):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    dossier, user = stored
    path = Path(connection.settings_dict["NAME"])
    assert path.is_file(), "the test database must be a file, not in memory"
    wal = path.with_name(path.name + "-wal")
    data = wal.read_bytes() if wal.exists() else b""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data += path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert len(data) > 10_000
    assert_no_plaintext(data, dossier, user)


def test_postgresql_dump_holds_no_plaintext(stored):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    dossier, user = stored
    config = connection.settings_dict
    env = dict(os.environ)
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = config["PASSWORD"]
    dump = subprocess.run(
        [
            "/usr/bin/pg_dump",
            "--host",
            config.get("HOST") or "127.0.0.1",
            "--port",
            str(config.get("PORT") or 5432),
            "--username",
            config.get("USER") or "postgres",
            "--no-password",
            config["NAME"],
        ],
        capture_output=True,
        env=env,
        timeout=120,
        check=True,
    ).stdout
    assert b"testapp_dossier" in dump
    assert_no_plaintext(dump, dossier, user)
