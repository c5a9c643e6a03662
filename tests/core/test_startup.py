"""A misconfigured installation says what to fix in one sentence, never with a traceback.

Each test starts the real program (`manage.py`, or the WSGI/ASGI module a server imports) in a
subprocess with its own empty data folder and only the environment it names.
"""

import os
import socket
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PG_PASSWORD = "s3cret-pw-never-shown"


def run(tmp_path, *args, env=None, data_dir=None):
    clean = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("TUMAINI_") and name != "DATABASE_URL"
    }
    clean["TUMAINI_DATA_DIR"] = str(data_dir or tmp_path / "data")
    clean.update(env or {})
    return subprocess.run(
        [PYTHON, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def manage(tmp_path, *args, **kwargs):
    return run(tmp_path, "manage.py", *args, **kwargs)


def one_sentence(result) -> str:
    """The single line the operator sees; fails unless that is all there is."""
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Tumaini cannot start: ")
    return lines[0]


def _postgres_runs() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
    except OSError:
        return False
    return True


needs_postgres = pytest.mark.skipif(
    not _postgres_runs(), reason="needs PostgreSQL on 127.0.0.1:5432"
)


def test_startup_with_a_good_configuration_passes_the_checks(tmp_path):
    # The control: the same harness with nothing wrong starts normally.
    result = manage(tmp_path, "check")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_startup_with_unknown_database_url_scheme(tmp_path):
    sentence = one_sentence(
        manage(tmp_path, "check", env={"DATABASE_URL": f"mysql://app:{PG_PASSWORD}@db/tumaini"})
    )
    assert "DATABASE_URL must look like postgresql://" in sentence
    assert "'mysql'" in sentence
    assert PG_PASSWORD not in sentence


@pytest.mark.parametrize(
    "command", [["migrate"], ["db_worker", "--batch"], ["runserver", "--noreload", "127.0.0.1:0"]]
)
def test_startup_with_database_where_nothing_listens(tmp_path, command):
    url = f"postgresql://postgres:{PG_PASSWORD}@127.0.0.1:1/tumaini"
    sentence = one_sentence(manage(tmp_path, *command, env={"DATABASE_URL": url}))
    assert "the database at 127.0.0.1:1/tumaini cannot be reached" in sentence
    assert "Connection refused" in sentence
    assert PG_PASSWORD not in sentence


@needs_postgres
def test_startup_with_unknown_database_name(tmp_path):
    url = "postgresql://postgres@127.0.0.1:5432/tumaini_no_such_database"
    sentence = one_sentence(manage(tmp_path, "migrate", env={"DATABASE_URL": url}))
    assert "the database 'tumaini_no_such_database' does not exist" in sentence
    assert "createdb tumaini_no_such_database" in sentence


@needs_postgres
def test_startup_with_a_user_postgresql_refuses(tmp_path):
    # The server here trusts local users, so a wrong password cannot be shown; an unknown user is
    # the same refusal at login and goes through the same sentence.
    url = f"postgresql://tumaini_no_such_user:{PG_PASSWORD}@127.0.0.1:5432/postgres"
    sentence = one_sentence(manage(tmp_path, "migrate", env={"DATABASE_URL": url}))
    assert "refused the user 'tumaini_no_such_user'" in sentence
    assert "correct the user name and password in DATABASE_URL" in sentence
    assert PG_PASSWORD not in sentence


def test_startup_with_a_database_not_yet_migrated(tmp_path):
    sentence = one_sentence(manage(tmp_path, "db_worker", "--batch"))
    assert "the database has no tables yet" in sentence
    assert "manage.py migrate" in sentence


def test_command_on_a_database_not_yet_migrated(tmp_path):
    # A command that is not a server meets the missing table half-way; same kind of sentence.
    sentence = one_sentence(manage(tmp_path, "clearsessions"))
    assert "the database has not been set up (no such table: django_session)" in sentence
    assert "manage.py migrate" in sentence


def test_startup_with_a_data_folder_that_cannot_be_created(tmp_path):
    # Tests run as root, who may write into any folder whatever its mode; a path through a regular
    # file fails for root too. It proves the OSError path that an unwritable folder also takes.
    blocker = tmp_path / "somefile"
    blocker.write_text("not a folder")
    data_dir = blocker / "data"
    sentence = one_sentence(manage(tmp_path, "check", data_dir=data_dir))
    assert f"The data folder {data_dir} cannot be written (Not a directory)" in sentence
    assert "set TUMAINI_DATA_DIR" in sentence


def test_startup_with_non_integer_session_idle_minutes(tmp_path):
    sentence = one_sentence(
        manage(tmp_path, "check", env={"TUMAINI_SESSION_IDLE_MINUTES": "fifteen"})
    )
    assert "TUMAINI_SESSION_IDLE_MINUTES must be a whole number, not 'fifteen'" in sentence


def test_startup_with_unreadable_yes_no_setting(tmp_path):
    sentence = one_sentence(manage(tmp_path, "check", env={"TUMAINI_DEBUG": "maybe"}))
    assert "TUMAINI_DEBUG must be 1 or 0" in sentence


@pytest.mark.parametrize("module", ["tumaini.wsgi", "tumaini.asgi"])
def test_server_import_with_bad_setting_prints_the_sentence(tmp_path, module):
    # What gunicorn or uvicorn do first: import the application module.
    result = run(
        tmp_path, "-c", f"import {module}", env={"TUMAINI_SESSION_IDLE_MINUTES": "fifteen"}
    )
    assert "TUMAINI_SESSION_IDLE_MINUTES must be a whole number" in one_sentence(result)


@pytest.mark.parametrize("module", ["tumaini.wsgi", "tumaini.asgi"])
def test_server_import_with_good_settings_builds_the_application(tmp_path, module):
    result = run(tmp_path, "-c", f"import {module}; print(type({module}.application).__name__)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() in {"WSGIHandler", "ASGIHandler"}
