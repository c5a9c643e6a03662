"""Key files in the data folder: generated once with mode 0600, overridden by the environment, and
start-up refuses (one sentence, exit code 2, no traceback) when they are unsafe or lost."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tumaini import startup

ROOT = Path(__file__).resolve().parents[2]
KEY_FILES = ["secret_key", "encryption_keys", "blind_index_key"]
KEY_VARIABLES = [
    "TUMAINI_SECRET_KEY",
    "TUMAINI_ENCRYPTION_KEYS",
    "TUMAINI_BLIND_INDEX_KEY",
    "DATABASE_URL",
]


def manage_check(data_dir, **extra_env):
    env = {k: v for k, v in os.environ.items() if k not in KEY_VARIABLES}
    env.update(TUMAINI_DATA_DIR=str(data_dir), **extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_refused(result, *expected):
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Tumaini cannot start:")
    assert "Traceback" not in result.stderr + result.stdout
    for text in expected:
        assert text in lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("data") / "fresh"
    result = manage_check(data_dir)
    assert result.returncode == 0, result.stderr
    return data_dir


def test_first_run_generates_key_files_readable_by_the_owner_only(first_run):
    for name in KEY_FILES:
        path = first_run / name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, name
        assert path.read_text().strip()
    assert stat.S_IMODE(first_run.stat().st_mode) == 0o700
    assert (first_run / startup.INITIALISED_MARKER).exists()
    keys = startup.parse_encryption_keys((first_run / "encryption_keys").read_text())
    assert len(keys) == 1
    Fernet(keys[0])  # a usable Fernet key


def test_second_run_keeps_the_generated_keys(first_run):
    before = {name: (first_run / name).read_text() for name in KEY_FILES}
    assert manage_check(first_run).returncode == 0
    assert {name: (first_run / name).read_text() for name in KEY_FILES} == before


def test_environment_overrides_key_files(tmp_path, monkeypatch):
    for variable in KEY_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    keys = startup.load_or_create_keys(tmp_path)  # first run: files
    new, old = Fernet.generate_key().decode(), keys["encryption_keys"][0]
    monkeypatch.setenv("TUMAINI_ENCRYPTION_KEYS", f"{new}, {old}")
    monkeypatch.setenv("TUMAINI_SECRET_KEY", "a,secret,with,commas")
    monkeypatch.setenv("TUMAINI_BLIND_INDEX_KEY", startup.new_blind_index_key())
    from_env = startup.load_or_create_keys(tmp_path)
    assert from_env["encryption_keys"] == [new, old]
    # Only the encryption keys are a list: a secret key may contain commas.
    assert from_env["secret_key"] == "a,secret,with,commas"
    assert from_env["blind_index_key"] == os.environ["TUMAINI_BLIND_INDEX_KEY"]
    assert from_env["blind_index_key"] != keys["blind_index_key"]


def test_environment_keys_need_no_files_on_a_fresh_data_folder(tmp_path):
    key = Fernet.generate_key().decode()
    result = manage_check(tmp_path / "envonly", TUMAINI_ENCRYPTION_KEYS=key)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "envonly" / "encryption_keys").exists()


def test_key_file_readable_by_others_stops_start_up(first_run, tmp_path):
    data_dir = tmp_path / "copy"
    data_dir.mkdir(mode=0o700)
    for name in [*KEY_FILES, startup.INITIALISED_MARKER]:
        (data_dir / name).write_text((first_run / name).read_text())
        (data_dir / name).chmod(0o600)
    (data_dir / "encryption_keys").chmod(0o640)
    line = assert_refused(manage_check(data_dir), "encryption_keys", "chmod 600")
    assert "can be read by other users" in line


def test_missing_key_file_after_first_run_stops_start_up(first_run, tmp_path):
    data_dir = tmp_path / "lost"
    data_dir.mkdir(mode=0o700)
    for name in ["secret_key", "blind_index_key", startup.INITIALISED_MARKER]:
        (data_dir / name).write_text((first_run / name).read_text())
        (data_dir / name).chmod(0o600)
    line = assert_refused(manage_check(data_dir), str(data_dir / "encryption_keys"), "backup")
    assert "missing" in line
    # Nothing was generated in its place.
    assert not (data_dir / "encryption_keys").exists()


def test_missing_key_file_is_noticed_even_without_the_marker(first_run, tmp_path):
    # A copy made with `cp data/*` leaves the hidden marker behind; the other key files still
    # show the folder was set up, so no new encryption key may be generated.
    data_dir = tmp_path / "copied"
    data_dir.mkdir(mode=0o700)
    for name in ["secret_key", "blind_index_key"]:
        (data_dir / name).write_text((first_run / name).read_text())
        (data_dir / name).chmod(0o600)
    assert_refused(manage_check(data_dir), "encryption_keys", "missing")
    assert not (data_dir / "encryption_keys").exists()


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("TUMAINI_ENCRYPTION_KEYS", "not-a-fernet-key", "not a valid Fernet key"),
        ("TUMAINI_BLIND_INDEX_KEY", "short", "blind-index key"),
    ],
)
def test_invalid_key_in_environment_stops_start_up(tmp_path, variable, value, expected):
    assert_refused(manage_check(tmp_path / "bad", **{variable: value}), expected, variable)


def test_empty_key_file_stops_start_up(first_run, tmp_path):
    data_dir = tmp_path / "empty"
    data_dir.mkdir(mode=0o700)
    for name in [*KEY_FILES, startup.INITIALISED_MARKER]:
        (data_dir / name).write_text((first_run / name).read_text())
        (data_dir / name).chmod(0o600)
    (data_dir / "blind_index_key").write_text("\n")
    assert_refused(manage_check(data_dir), "blind_index_key", "empty")
