"""Model fields that keep identifying data encrypted at rest (see tumaini/core/crypto.py)."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import FieldError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import signals
from django.db.models.lookups import Exact

from tumaini.core import crypto


class _BlankOnlyExact(Exact):
    """`field=None` and `field=""` are the only equalities the database can answer.

    Blank is stored blank (not encrypted) and NULL stays NULL; any other value would be compared
    with a fresh ciphertext and match nothing, silently.
    """

    def get_prep_lookup(self) -> Any:
        if not (self.rhs is None or (isinstance(self.rhs, str) and self.rhs == "")):
            raise FieldError(self.lhs.output_field.refusal("exact"))
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; Python code sees the plain value.

    Ciphertext is different every time, so the database cannot compare values: filtering on this
    field is refused (except `__isnull` and `=""`). Search with a `BlindIndexField` beside it
    instead. Ordering by it sorts ciphertext, which is meaningless: never order by it.
    `queryset.update(field=value)` encrypts, but does not refresh a blind index: save() does.
    """

    description = "Encrypted text"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        try:
            return crypto.decrypt_text(value)
        except crypto.DecryptionError as exc:
            # Name the field, never the token: the message may end up in a log or an error page.
            raise crypto.DecryptionError(f"{self.label_for_messages()}: {exc}") from None

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            # Blank stays blank so "not given" is still visible to forms without decrypting.
            return value
        return crypto.encrypt_text(str(value))

    def label_for_messages(self) -> str:
        model = getattr(self, "model", None)
        return f"{model._meta.label}.{self.name}" if model is not None else str(self.name)

    def refusal(self, lookup_name: str) -> str:
        model = getattr(self, "model", None)
        indexes = (
            [f.name for f in blind_index_fields(model) if f.source == self.name] if model else []
        )
        instead = (
            f"filter on {indexes[0]}=blind_index(value, purpose=...) instead"
            if indexes
            else "add a BlindIndexField for exact search"
        )
        return (
            f"{self.label_for_messages()} is encrypted, so the database cannot compare its values "
            f"(lookup '{lookup_name}'); {instead}, or use __isnull."
        )

    def get_lookup(self, lookup_name: str) -> Any:
        # Only "is it set?" can be answered without the plain value.
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        if lookup_name == "exact":
            return _BlankOnlyExact
        raise FieldError(self.refusal(lookup_name))

    def get_transform(self, lookup_name: str) -> Any:
        raise FieldError(self.refusal(lookup_name))

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        if self.unique or self.primary_key or self.db_index:
            errors.append(
                checks.Error(
                    "An encrypted field cannot be unique, a primary key or indexed: its "
                    "ciphertext differs every time; put unique/db_index on a BlindIndexField.",
                    obj=self,
                    id="tumaini.E101",
                )
            )
        return errors


class EncryptedCharField(EncryptedTextField):
    """An encrypted short value; `max_length` limits the plain text, checked in forms."""

    def __init__(self, *args: Any, max_length: int | None = None, **kwargs: Any) -> None:
        self.plain_max_length = max_length
        super().__init__(*args, **kwargs)
        if max_length is not None:
            # Model validation (full_clean) checks the plain length too, not only forms; set on
            # the instance so migrations do not see a validators argument.
            self.default_validators = [MaxLengthValidator(max_length)]

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

    def digest(self, value: str | None) -> str:
        return crypto.blind_index(value, purpose=self.purpose or self.source)

    def value_for(self, instance: models.Model) -> str:
        return self.digest(getattr(instance, self.source))

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        # Also called by bulk_create, so bulk-created rows get their index too.
        value = self.value_for(model_instance)
        setattr(model_instance, self.attname, value)
        return value

    def contribute_to_class(self, cls: type[models.Model], name: str, **kwargs: Any) -> None:
        super().contribute_to_class(cls, name, **kwargs)
        if not cls._meta.abstract:
            signals.post_save.connect(
                self._follow_update_fields,
                sender=cls,
                weak=False,
                dispatch_uid=f"blind-index:{cls._meta.label}.{name}",
            )

    def _follow_update_fields(
        self, sender: Any, instance: models.Model, update_fields: Any = None, **kwargs: Any
    ) -> None:
        # save(update_fields=["name"]) skips this field's pre_save: bring the index along.
        if update_fields and self.source in update_fields and self.name not in update_fields:
            value = self.value_for(instance)
            setattr(instance, self.attname, value)
            sender._base_manager.filter(pk=instance.pk).update(**{self.attname: value})


def encrypted_fields(model: type[models.Model]) -> list[EncryptedTextField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def blind_index_fields(model: type[models.Model]) -> list[BlindIndexField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]
