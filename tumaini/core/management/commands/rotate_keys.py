"""Move every encrypted value to a new encryption key, and optionally retire the old keys.

Stop the web server and the task worker first: a process started before the rotation knows only the
old keys and could not read the values re-encrypted under the new one (see docs/operations.md).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, models, router, transaction
from django.db.models import ExpressionWrapper, F

from tumaini import startup
from tumaini.core import crypto, keys
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.fields import BlindIndexField, blind_index_fields, encrypted_fields

ENV_INSTRUCTIONS = (
    "The encryption keys come from TUMAINI_ENCRYPTION_KEYS, which this command cannot change. "
    "1) Generate a key: python -c 'from cryptography.fernet import Fernet; "
    "print(Fernet.generate_key().decode())'. "
    "2) Put it FIRST in TUMAINI_ENCRYPTION_KEYS, keeping the old keys after it (comma-separated), "
    "and restart the web server and the task worker. "
    "3) Run: manage.py rotate_keys --new-key=NEW_KEY [--retire-old-keys] (with '=': a key may "
    "begin with '-'). "
    "4) After --retire-old-keys has verified every value, remove the old keys from "
    "TUMAINI_ENCRYPTION_KEYS and restart again."
)


def _models_with(kind: Any) -> Iterator[tuple[type[models.Model], list[Any]]]:
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        fields = kind(model)
        if fields:
            yield model, fields


def _encrypted_files() -> Iterator[tuple[type[models.Model], Path]]:
    """(model, path) of every encrypted file that exists, for models naming their file field."""
    for model in apps.get_models():
        field = getattr(model, "encrypted_file_name_field", None)
        if not field:
            continue
        for name in model._base_manager.values_list(field, flat=True).iterator():
            path = Path(settings.MEDIA_ROOT) / name
            if name and path.is_file():
                yield model, path


def _raw_rows(
    model: type[models.Model], fields: list[Any], batch_size: int
) -> Iterator[list[tuple[Any, ...]]]:
    """Batches of (pk, raw token, ...): the column as stored, not passed through the field."""
    raw = {
        f"_raw_{field.attname}": ExpressionWrapper(
            F(field.attname), output_field=models.TextField()
        )
        for field in fields
    }
    queryset = model._base_manager.order_by("pk").annotate(**raw)
    last_pk = None
    while True:
        page = queryset if last_pk is None else queryset.filter(pk__gt=last_pk)
        rows = list(page.values_list("pk", *raw)[:batch_size])
        if not rows:
            return
        last_pk = rows[-1][0]
        yield rows


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value under a new key (generated, or --new-key), optionally "
        "retire the old keys and rotate the blind-index key. Stop the web server and worker first."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--new-key",
            help="Use this Fernet key instead of generating one. Required when the keys come from "
            "TUMAINI_ENCRYPTION_KEYS (the key must already be first there). A key already first "
            "in the file resumes an interrupted rotation.",
        )
        parser.add_argument(
            "--retire-old-keys",
            action="store_true",
            help="After re-encrypting, verify that every value decrypts under the new key alone, "
            "then remove the old keys from the key file.",
        )
        parser.add_argument(
            "--rotate-blind-index",
            action="store_true",
            help="Also generate a new blind-index key and recompute every blind index.",
        )
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        batch_size = max(1, options["batch_size"])
        new_key = self._install_new_key(options["new_key"])

        reencrypted, already = self._reencrypt(new_key, batch_size)
        for label, (rotated, current) in self._reencrypt_files(new_key).items():
            reencrypted[label], already[label] = rotated, current
        self.stdout.write(
            f"Re-encrypted {sum(reencrypted.values())} values under the new key "
            f"({sum(already.values())} were already under it)."
        )
        for label, count in sorted(reencrypted.items()):
            self.stdout.write(f"  {label}: {count}")
        if self.unreadable:
            self.stderr.write(
                f"{len(self.unreadable)} value(s) cannot be decrypted with any configured key and "
                "were left as they are: " + ", ".join(self.unreadable[:20])
            )

        retired = 0
        if options["retire_old_keys"]:
            retired = self._retire(new_key, batch_size)

        recomputed: dict[str, int] = {}
        if options["rotate_blind_index"]:
            recomputed = self._rotate_blind_index(batch_size)

        audit_record(
            action=AuditAction.KEY_ROTATION,
            object_type="encryption_keys",
            username="manage.py rotate_keys",
            # Counts only: never a key, a token or a value.
            detail={
                "key_source": "environment" if keys.from_environment("encryption_keys") else "file",
                "reencrypted": sum(reencrypted.values()),
                "already_current": sum(already.values()),
                "unreadable": len(self.unreadable),
                "fields": reencrypted,
                "old_keys_retired": retired,
                "keys_configured": len(settings.TUMAINI_ENCRYPTION_KEYS),
                "blind_index_recomputed": recomputed,
            },
        )
        self.stdout.write(
            f"Done in {time.monotonic() - started:.1f} s; {len(settings.TUMAINI_ENCRYPTION_KEYS)} "
            "encryption key(s) configured. Start the web server and the task worker again, and "
            "back up the key files now (docs/operations.md)."
        )

    # --- the new key --------------------------------------------------------------------------

    def _install_new_key(self, given: str | None) -> str:
        if given:
            try:
                Fernet(given)
            except ValueError:
                raise CommandError(
                    "--new-key is not a valid Fernet key (32 url-safe base64-encoded bytes)."
                ) from None
        if keys.from_environment("encryption_keys"):
            if not given:
                raise CommandError(ENV_INSTRUCTIONS)
            if settings.TUMAINI_ENCRYPTION_KEYS[0] != given:
                raise CommandError(
                    "The key given with --new-key is not the first key in "
                    "TUMAINI_ENCRYPTION_KEYS: put it first there (keeping the old keys after it), "
                    "restart the web server and worker, then run this command again."
                )
            return given

        on_disk = keys.read_encryption_keys()
        new_key = given or startup.new_fernet_key()
        if on_disk and on_disk[0] == new_key:
            self.stdout.write("The given key is already the newest key; re-encrypting only.")
        else:
            keys.write_encryption_keys([new_key, *(k for k in on_disk if k != new_key)])
            self.stdout.write(
                f"Wrote a new encryption key first in {keys.key_path(startup.ENCRYPTION_KEYS_FILE)} "
                f"({len(on_disk)} older key(s) kept after it)."
            )
        # The file is the truth from now on, also for this process.
        settings.TUMAINI_ENCRYPTION_KEYS = keys.read_encryption_keys()
        return new_key

    # --- re-encryption ------------------------------------------------------------------------

    def _reencrypt(self, new_key: str, batch_size: int) -> tuple[dict[str, int], dict[str, int]]:
        reencrypted: dict[str, int] = {}
        self.unreadable: list[str] = []
        already: dict[str, int] = {}
        for model, fields in _models_with(encrypted_fields):
            connection = connections[router.db_for_write(model)]
            quote = connection.ops.quote_name
            pk_field = model._meta.pk
            for field in fields:
                reencrypted[f"{model._meta.label}.{field.name}"] = 0
                already[f"{model._meta.label}.{field.name}"] = 0
            for rows in _raw_rows(model, fields, batch_size):
                with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                    for position, field in enumerate(fields, start=1):
                        label = f"{model._meta.label}.{field.name}"
                        updates = []
                        for row in rows:
                            token = row[position]
                            if not token:
                                continue
                            if crypto.is_under_key(token, new_key):
                                already[label] += 1
                                continue
                            try:
                                rotated = crypto.rotate_token(token)
                            except crypto.DecryptionError:
                                # Reported (by record id, never by value) and left as it is.
                                self.unreadable.append(f"{label} id={row[0]}")
                                continue
                            updates.append(
                                (rotated, pk_field.get_db_prep_value(row[0], connection), token)
                            )
                        if updates:
                            # Raw tokens in, raw tokens out: no plaintext is written, and
                            # updated_at/version stay as they were. "AND column = old token"
                            # leaves a value alone that someone changed meanwhile.
                            cursor.executemany(
                                f"UPDATE {quote(model._meta.db_table)} "  # noqa: S608
                                f"SET {quote(field.column)} = %s "
                                f"WHERE {quote(pk_field.column)} = %s "
                                f"AND {quote(field.column)} = %s",
                                updates,
                            )
                            reencrypted[label] += len(updates)
        return reencrypted, already

    def _reencrypt_files(self, new_key: str) -> dict[str, tuple[int, int]]:
        """Encrypted files on disk (case documents): each rewritten whole under the new key, through
        a temporary file and an atomic rename, so a crash leaves the old file or the new one."""
        counts: dict[str, tuple[int, int]] = {}
        for model, path in _encrypted_files():
            label = f"{model._meta.label}.file"
            rotated, current = counts.get(label, (0, 0))
            token = path.read_bytes().decode("ascii")
            if crypto.is_under_key(token, new_key):
                counts[label] = (rotated, current + 1)
                continue
            try:
                new_token = crypto.rotate_token(token)
            except crypto.DecryptionError:
                self.unreadable.append(f"{label} {path.name}")
                continue
            temporary = path.with_name(path.name + ".rotating")
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(new_token.encode("ascii"))
            os.replace(temporary, path)
            counts[label] = (rotated + 1, current)
        return counts

    def _not_under(self, new_key: str, batch_size: int) -> int:
        stale = sum(
            1
            for _, path in _encrypted_files()
            if not crypto.is_under_key(path.read_bytes().decode("ascii"), new_key)
        )
        for model, fields in _models_with(encrypted_fields):
            for rows in _raw_rows(model, fields, batch_size):
                for row in rows:
                    stale += sum(
                        1 for token in row[1:] if token and not crypto.is_under_key(token, new_key)
                    )
        return stale

    def _retire(self, new_key: str, batch_size: int) -> int:
        stale = self._not_under(new_key, batch_size)
        if stale:
            raise CommandError(
                f"{stale} stored value(s) do not decrypt under the new key alone (written by a "
                "process that still used an old key?); the old keys were kept. Stop every other "
                f"process and run: manage.py rotate_keys --new-key=<the first key> --retire-old-keys"
            )
        old = [k for k in settings.TUMAINI_ENCRYPTION_KEYS if k != new_key]
        if keys.from_environment("encryption_keys"):
            self.stdout.write(
                f"Every value decrypts under the new key alone. Now remove the {len(old)} old "
                "key(s) from TUMAINI_ENCRYPTION_KEYS (keep only the first) and restart."
            )
            return 0
        keys.write_encryption_keys([new_key])
        self.stdout.write(
            f"Every value decrypts under the new key alone: removed {len(old)} old key(s) from "
            "the key file. Backups made before now need the old keys: keep them with those "
            "backups, or destroy both."
        )
        return len(old)

    # --- blind index --------------------------------------------------------------------------

    def _rotate_blind_index(self, batch_size: int) -> dict[str, int]:
        if keys.from_environment("blind_index_key"):
            self.stdout.write(
                "The blind-index key comes from TUMAINI_BLIND_INDEX_KEY: recomputing every blind "
                "index under the key set there now."
            )
        else:
            keys.write_blind_index_key(startup.new_blind_index_key())
            self.stdout.write("Wrote a new blind-index key.")
        recomputed: dict[str, int] = {}
        for model, index_fields in _models_with(blind_index_fields):
            recomputed[model._meta.label] = self._recompute(model, index_fields, batch_size)
        keys.blind_index_key_rotated.send(sender=self.__class__)
        self.stdout.write(f"Recomputed the blind index of {sum(recomputed.values())} rows.")
        return recomputed

    def _recompute(
        self, model: type[models.Model], index_fields: list[BlindIndexField], batch_size: int
    ) -> int:
        connection = connections[router.db_for_write(model)]
        quote = connection.ops.quote_name
        pk_field = model._meta.pk
        sources = sorted({field.source for field in index_fields})
        assignments = ", ".join(f"{quote(field.column)} = %s" for field in index_fields)
        sql = (
            f"UPDATE {quote(model._meta.db_table)} SET {assignments} "  # noqa: S608
            f"WHERE {quote(pk_field.column)} = %s"
        )
        count = 0
        queryset = model._base_manager.order_by("pk")
        last_pk = None
        while True:
            page = queryset if last_pk is None else queryset.filter(pk__gt=last_pk)
            # values_list decrypts the sources; the plain values stay in memory only.
            rows = list(page.values_list("pk", *sources)[:batch_size])
            if not rows:
                return count
            last_pk = rows[-1][0]
            params = []
            for pk, *values in rows:
                plain = dict(zip(sources, values, strict=True))
                digests = [field.digest(plain[field.source]) for field in index_fields]
                params.append((*digests, pk_field.get_db_prep_value(pk, connection)))
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                cursor.executemany(sql, params)
            count += len(rows)
