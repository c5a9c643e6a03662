"""The key files in the data folder, seen from inside Django (start-up reads them: tumaini/startup.py).

`rotate_keys` changes keys while the process runs: it writes the file atomically and updates the
settings object too, because the settings hold the keys read at start-up and `crypto` caches its
MultiFernet by key list.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.dispatch import Signal

from tumaini import startup

# Sent after every BlindIndexField was recomputed under a new blind-index key. Apps that keep other
# blind values (phonetic tokens for duplicate search) recompute theirs from the decrypted source.
blind_index_key_rotated = Signal()


def key_path(file_name: str) -> Path:
    return Path(settings.DATA_DIR) / file_name


def from_environment(name: str) -> bool:
    """True when the key comes from its environment variable, which this process cannot change."""
    env_name, _file = startup.KEY_SOURCES[name]
    return bool(os.environ.get(env_name, "").strip())


def read_encryption_keys() -> list[str]:
    """The encryption keys as they are now on disk (newest first)."""
    path = key_path(startup.ENCRYPTION_KEYS_FILE)
    return startup.parse_encryption_keys(path.read_text())


def write_encryption_keys(keys: list[str]) -> None:
    if not keys:
        raise ValueError("at least one encryption key is needed")
    startup.replace_secret(key_path(startup.ENCRYPTION_KEYS_FILE), "\n".join(keys))
    settings.TUMAINI_ENCRYPTION_KEYS = list(keys)


def write_blind_index_key(key: str) -> None:
    startup.replace_secret(key_path(startup.BLIND_INDEX_KEY_FILE), key)
    settings.TUMAINI_BLIND_INDEX_KEY = key
