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


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in _TRUE | _FALSE:
        return value in _TRUE
    # A typo must not silently turn a setting (debug, demo mode, HTTPS redirect) the other way.
    raise StartupError(f"{name} must be 1 or 0 (or true/false, yes/no, on/off), not {value!r}.")


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
        probe = path / f".write-test-{os.getpid()}"
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
        handle.flush()
        os.fsync(handle.fileno())


def replace_secret(path: Path, content: str) -> None:
    """Replace a key file atomically: a reader sees the old file or the new one, never half."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.new")
    _write_secret(temporary, content)
    try:
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise
    # The rename itself must reach the disk before we rely on it (re-encrypting with the new key).
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _read_secret(path: Path) -> str:
    try:
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            raise StartupError(
                f"The key file {path} can be read by other users (mode {mode:o}); "
                f"run: chmod 600 {path}"
            )
        content = path.read_text().strip()
    except OSError as exc:
        raise StartupError(
            f"The key file {path} cannot be read ({exc.strerror}); "
            "check that it belongs to the user running Tumaini."
        ) from None
    if not content:
        raise StartupError(
            f"The key file {path} is empty; restore it from your backup of the keys."
        )
    return content


KEY_SOURCES = {
    # name: (environment variable, file in the data folder)
    "secret_key": ("TUMAINI_SECRET_KEY", SECRET_KEY_FILE),
    "encryption_keys": ("TUMAINI_ENCRYPTION_KEYS", ENCRYPTION_KEYS_FILE),
    "blind_index_key": ("TUMAINI_BLIND_INDEX_KEY", BLIND_INDEX_KEY_FILE),
}


def new_fernet_key() -> str:
    return Fernet.generate_key().decode()


def new_blind_index_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def parse_encryption_keys(raw: str) -> list[str]:
    """One key a line in the file, comma-separated in the environment; newest first."""
    keys = [item.strip() for item in raw.replace(",", "\n").splitlines()]
    return [key for key in keys if key]


def _looks_set_up(data_dir: Path) -> bool:
    # The marker may be lost by a copy that skips hidden files: a key file or the SQLite database
    # there also means "set up before", so a missing key is never silently replaced by a new one.
    names = [INITIALISED_MARKER, "tumaini.sqlite3", *(f for _, f in KEY_SOURCES.values())]
    return any((data_dir / name).exists() for name in names)


def load_or_create_keys(data_dir: Path) -> dict[str, object]:
    """Return the secret key, the encryption keys (newest first) and the blind-index key.

    Environment variables win over files; files are generated on the very first run only.
    """
    first_run = not _looks_set_up(data_dir)
    generators = {
        "secret_key": lambda: secrets.token_urlsafe(50),
        "encryption_keys": new_fernet_key,
        "blind_index_key": new_blind_index_key,
    }
    keys: dict[str, object] = {}
    for name, (env_name, file_name) in KEY_SOURCES.items():
        from_env = os.environ.get(env_name, "").strip()
        path = data_dir / file_name
        if from_env:
            raw = from_env
        elif path.exists():
            raw = _read_secret(path)
        elif first_run:
            raw = generators[name]()
            try:
                _write_secret(path, raw)
            except FileExistsError:
                # Another process starting at the same moment wrote it first: use theirs.
                raw = _read_secret(path)
        else:
            raise StartupError(
                f"The key file {path} is missing although this data folder was set up before; "
                f"restore it from your backup of the keys (or set {env_name}) — new keys would "
                "make existing encrypted data unreadable."
            )
        keys[name] = raw
    if first_run:
        (data_dir / INITIALISED_MARKER).write_text("keys generated\n")

    encryption_keys = parse_encryption_keys(str(keys["encryption_keys"]))
    for key in encryption_keys:
        try:
            Fernet(key)
        except ValueError:
            raise StartupError(
                "An encryption key is not a valid Fernet key (32 url-safe base64-encoded bytes); "
                "check TUMAINI_ENCRYPTION_KEYS or the encryption_keys file."
            ) from None
    if not encryption_keys:
        raise StartupError("No encryption key is configured; check TUMAINI_ENCRYPTION_KEYS.")
    keys["encryption_keys"] = encryption_keys
    try:
        blind_key_bytes = base64.urlsafe_b64decode(str(keys["blind_index_key"]))
    except ValueError:
        blind_key_bytes = b""
    if len(blind_key_bytes) < 32:
        raise StartupError(
            "The blind-index key is not 32 or more url-safe base64-encoded bytes; check "
            "TUMAINI_BLIND_INDEX_KEY or the blind_index_key file."
        )
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
    """One sentence for a database that cannot be used, or None if `exc` is something else."""
    from django.db.utils import OperationalError, ProgrammingError

    if not isinstance(exc, OperationalError | ProgrammingError):
        return None
    detail = str(exc).strip().splitlines()[0].strip() if str(exc).strip() else type(exc).__name__
    lowered = detail.lower()
    if "no such table" in lowered or ("relation" in lowered and "does not exist" in lowered):
        return (
            f"the database has not been set up ({detail}); run: .venv/bin/python manage.py migrate"
        )
    if not isinstance(exc, OperationalError):
        return None
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return (
            f"the SQLite database in the data folder cannot be opened ({detail}); "
            "check TUMAINI_DATA_DIR and the free disk space."
        )
    import dj_database_url

    try:
        parsed = dj_database_url.parse(url)
    except ValueError:
        parsed = {}
    # Never the password: the sentence goes to logs and terminals.
    server = f"{parsed.get('HOST') or 'localhost'}:{parsed.get('PORT') or 5432}"
    name = parsed.get("NAME") or ""
    user = parsed.get("USER") or ""
    if "database" in lowered and "does not exist" in lowered:
        return (
            f"the database {name!r} does not exist on the PostgreSQL server at {server}; "
            f"create it (createdb {name}) or correct the database name in DATABASE_URL."
        )
    if "authentication failed" in lowered or ("role" in lowered and "does not exist" in lowered):
        return (
            f"the PostgreSQL server at {server} refused the user {user!r} ({detail}); "
            "correct the user name and password in DATABASE_URL."
        )
    return (
        f"the database at {server}/{name} cannot be reached ({detail}); "
        "check DATABASE_URL (host, port, user, password, database name) and that PostgreSQL runs."
    )
