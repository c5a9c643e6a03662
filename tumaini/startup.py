"""Start-up preparation that settings.py needs before Django is loaded.

Everything here turns a misconfiguration into a `StartupError` carrying one sentence that says what to
fix; `manage.py`, `wsgi.py` and `asgi.py` print that sentence instead of a traceback.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet

SECRET_KEY_FILE = "secret_key"
ENCRYPTION_KEYS_FILE = "encryption_keys"
BLIND_INDEX_KEY_FILE = "blind_index_key"
# Written together with the first keys: once it exists, a missing key file means lost keys, not a
# first run, and generating new ones would make every encrypted value unreadable.
INITIALISED_MARKER = ".initialised"


class StartupError(Exception):
    """A configuration problem the operator must fix; the message is shown as it is."""


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise StartupError(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    if not value.strip():
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def prepare_data_dir(path: Path) -> Path:
    """Create the data folder (mode 0700) and check that we can write to it."""
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        probe = path / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        raise StartupError(
            f"The data folder {path} cannot be written ({exc.strerror}); "
            "set TUMAINI_DATA_DIR to a folder this user can write, or fix its permissions."
        ) from None
    return path


def _write_secret(path: Path, content: str) -> None:
    # O_EXCL: never overwrite a key that appeared meanwhile (two processes starting together).
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(content + "\n")


def _read_secret(path: Path) -> str:
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise StartupError(
            f"The key file {path} can be read by other users (mode {mode:o}); run: chmod 600 {path}"
        )
    return path.read_text().strip()


def load_or_create_keys(data_dir: Path) -> dict[str, object]:
    """Return the secret key, the encryption keys (newest first) and the blind-index key.

    Environment variables win over files; files are generated on the very first run only.
    """
    marker = data_dir / INITIALISED_MARKER
    first_run = not marker.exists()
    keys: dict[str, object] = {}

    wanted = {
        "secret_key": (
            "TUMAINI_SECRET_KEY",
            SECRET_KEY_FILE,
            lambda: secrets.token_urlsafe(50),
        ),
        "encryption_keys": (
            "TUMAINI_ENCRYPTION_KEYS",
            ENCRYPTION_KEYS_FILE,
            lambda: Fernet.generate_key().decode(),
        ),
        "blind_index_key": (
            "TUMAINI_BLIND_INDEX_KEY",
            BLIND_INDEX_KEY_FILE,
            lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        ),
    }
    for name, (env_name, file_name, generate) in wanted.items():
        from_env = os.environ.get(env_name, "").strip()
        path = data_dir / file_name
        if from_env:
            raw = from_env.replace(",", "\n")
        elif path.exists():
            raw = _read_secret(path)
        elif first_run:
            raw = generate()
            _write_secret(path, raw)
        else:
            raise StartupError(
                f"The key file {path} is missing although this data folder was set up before; "
                f"restore it from your backup (or set {env_name}) — new keys would make "
                "existing encrypted data unreadable."
            )
        keys[name] = raw
    if first_run:
        marker.write_text("keys generated\n")

    encryption_keys = [line.strip() for line in str(keys["encryption_keys"]).splitlines()]
    encryption_keys = [key for key in encryption_keys if key]
    for key in encryption_keys:
        try:
            Fernet(key)
        except ValueError:
            raise StartupError(
                "An encryption key is not a valid Fernet key (32 url-safe base64-encoded bytes); "
                "check TUMAINI_ENCRYPTION_KEYS or the encryption_keys file."
            ) from None
    keys["encryption_keys"] = encryption_keys
    return keys


def database_config(url: str | None, data_dir: Path) -> dict[str, object]:
    """SQLite in the data folder by default; PostgreSQL when DATABASE_URL says so."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": data_dir / "tumaini.sqlite3",
            "OPTIONS": {
                # IMMEDIATE takes the write lock when a transaction starts, so two writers wait for
                # each other (busy timeout) instead of failing with "database is locked" mid-way.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
            "TEST": {"NAME": data_dir / "test-tumaini.sqlite3"},
        }
    import dj_database_url

    if not url.startswith(("postgres://", "postgresql://", "pgsql://", "sqlite://")):
        raise StartupError(
            "DATABASE_URL must look like postgresql://user:password@host:5432/dbname "
            f"(it starts with {url.split(':', 1)[0]!r})."
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise StartupError(f"DATABASE_URL cannot be read: {exc}.") from None
    return dict(config)


def explain_database_error(exc: BaseException) -> str | None:
    """One sentence for a database that cannot be reached, or None if `exc` is something else."""
    from django.db.utils import OperationalError

    if not isinstance(exc, OperationalError):
        return None
    import os as _os

    url = _os.environ.get("DATABASE_URL", "")
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if url:
        try:
            import dj_database_url

            parsed = dj_database_url.parse(url)
            where = f"{parsed.get('HOST') or 'localhost'}:{parsed.get('PORT') or 5432}"
            where += f"/{parsed.get('NAME')}"
        except ValueError:
            where = "the DATABASE_URL address"
        return (
            f"the database at {where} cannot be reached ({first_line}); "
            "check DATABASE_URL (host, port, user, password, database name) and that PostgreSQL runs."
        )
    return f"the SQLite database in TUMAINI_DATA_DIR cannot be opened ({first_line})."
