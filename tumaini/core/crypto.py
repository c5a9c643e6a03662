"""Encryption of identifying data and the blind index used to search it.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256). Several keys may be configured: the
first encrypts, all of them decrypt (MultiFernet), which is what lets `rotate_keys` move every value to a
new key while the system runs.

A blind index is an HMAC-SHA256, under a separate key, of a normalised value: equal values give equal
digests, so exact search works without the database ever holding the value. Phonetic tokens (blind too)
let duplicate detection pick candidates for fuzzy comparison after decryption.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import unicodedata
from functools import lru_cache

import jellyfish
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class DecryptionError(Exception):
    """A stored value could not be decrypted with any configured key.

    The message names what failed and what to do; it never carries the token or any part of it.
    """


KEYS_HINT = (
    "the encryption keys in TUMAINI_ENCRYPTION_KEYS or the encryption_keys file in the data folder "
    "are not the ones this value was written with; restore the keys from the backup made with "
    "this database"
)


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


@lru_cache(maxsize=4)
def _single(key: str) -> Fernet:
    return Fernet(key)


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.TUMAINI_ENCRYPTION_KEYS))


def newest_key() -> str:
    return settings.TUMAINI_ENCRYPTION_KEYS[0]


def encrypt_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return fernet().decrypt(token)
    except InvalidToken:
        raise DecryptionError(f"a stored value cannot be decrypted: {KEYS_HINT}") from None


def encrypt_text(value: str) -> str:
    return encrypt_bytes(value.encode("utf-8")).decode("ascii")


def _token_bytes(token: str) -> bytes:
    try:
        return token.encode("ascii")
    except UnicodeEncodeError:
        # Not a Fernet token at all: plain text written around the field (raw SQL, an import).
        raise DecryptionError(
            "a stored value is not encrypted (it was written without the encrypted field); "
            "re-save it through the application"
        ) from None


def decrypt_text(token: str) -> str:
    return decrypt_bytes(_token_bytes(token)).decode("utf-8")


def rotate_token(token: str) -> str:
    """Re-encrypt a token under the newest key (no plaintext leaves this function)."""
    try:
        return fernet().rotate(_token_bytes(token)).decode("ascii")
    except InvalidToken:
        raise DecryptionError(f"a stored value cannot be decrypted: {KEYS_HINT}") from None


def is_under_key(token: str, key: str) -> bool:
    """True when `key` alone decrypts the token (used to prove old keys can be retired)."""
    try:
        _single(key).decrypt(_token_bytes(token))
    except (InvalidToken, DecryptionError):
        return False
    return True


def normalise(value: str) -> str:
    """Case, accents, punctuation and spacing do not make two names different."""
    decomposed = unicodedata.normalize("NFKD", value)
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    kept = "".join(ch if ch.isalnum() else " " for ch in without_marks.casefold())
    return " ".join(kept.split())


def _blind_key() -> bytes:
    raw = settings.TUMAINI_BLIND_INDEX_KEY
    try:
        return base64.urlsafe_b64decode(raw)
    except ValueError:
        return raw.encode()


def blind_index(value: str | None, *, purpose: str = "") -> str:
    """The HMAC of the normalised value; "" for an empty value so blanks never match each other."""
    if value is None:
        return ""
    normal = normalise(str(value))
    if not normal:
        return ""
    # The purpose keeps the same value in two fields (a name and an alias) from linking rows.
    message = f"{purpose}\x00{normal}".encode()
    return hmac.new(_blind_key(), message, hashlib.sha256).hexdigest()


def phonetic_tokens(value: str | None, *, purpose: str = "name") -> list[str]:
    """Blind phonetic keys of each word (Metaphone), for picking duplicate candidates."""
    if not value:
        return []
    tokens = []
    for word in normalise(value).split():
        key = jellyfish.metaphone(word) or word
        tokens.append(blind_index(key, purpose=f"{purpose}:phonetic")[:16])
    return sorted(set(tokens))
