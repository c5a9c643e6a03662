"""Model fields that keep identifying data encrypted at rest (see tumaini/core/crypto.py)."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import models

from tumaini.core import crypto


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; Python code sees the plain value.

    Ciphertext is different every time, so the database cannot compare values: filtering on this
    field is refused. Search with a `BlindIndexField` beside it instead.
    """

    description = "Encrypted text"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt_text(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            # Blank stays blank so "not given" is still visible to forms without decrypting.
            return value
        return crypto.encrypt_text(str(value))

    def get_lookup(self, lookup_name: str) -> Any:
        # Only "is it set?" can be answered without the plain value.
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None

    def get_transform(self, lookup_name: str) -> Any:
        return None


class EncryptedCharField(EncryptedTextField):
    """An encrypted short value; `max_length` limits the plain text, checked in forms."""

    def __init__(self, *args: Any, max_length: int | None = None, **kwargs: Any) -> None:
        self.plain_max_length = max_length
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[Any, ...]:
        name, path, args, kwargs = super().deconstruct()
        if self.plain_max_length is not None:
            kwargs["max_length"] = self.plain_max_length
        return name, path, args, kwargs

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        defaults = {"max_length": self.plain_max_length, "form_class": forms.CharField}
        defaults.update(kwargs)
        return models.Field.formfield(self, **defaults)


class BlindIndexField(models.CharField):
    """The blind index of another field on the same model, kept up to date on every save.

    `Person.objects.filter(name_index=blind_index(query, purpose=...))` finds exact matches.
    """

    def __init__(self, *args: Any, source: str = "", purpose: str = "", **kwargs: Any) -> None:
        self.source = source
        self.purpose = purpose
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[Any, ...]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["purpose"] = self.purpose
        for default_key in ("max_length", "editable", "db_index", "blank", "default"):
            kwargs.pop(default_key, None)
        return name, path, args, kwargs

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        if not self.source:
            errors.append(checks.Error("BlindIndexField needs source=", obj=self))
        return errors

    def value_for(self, instance: models.Model) -> str:
        return crypto.blind_index(
            getattr(instance, self.source), purpose=self.purpose or self.source
        )

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.value_for(model_instance)
        setattr(model_instance, self.attname, value)
        return value


def encrypted_fields(model: type[models.Model]) -> list[EncryptedTextField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def blind_index_fields(model: type[models.Model]) -> list[BlindIndexField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]
