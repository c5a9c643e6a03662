"""Writes of survivor identities: create, update, contacts, aliases and documents.

The people services keep what the database cannot compute from ciphertext: the full-name blind index,
the blind phonetic tokens used to pick duplicate candidates, and `is_child`. Every write is audited
with field names only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tumaini.core import crypto
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.services import save_versioned
from tumaini.people.enums import ContactKind
from tumaini.people.models import (
    ADULT_AGE,
    Person,
    PersonAlias,
    PersonContact,
    PersonIdentityDocument,
    PersonNameToken,
)

FULL_NAME_PURPOSE = "person-full-name"
NAME_TOKEN_PURPOSE = "person-name"
OLDEST_AGE = 120
PHONE_REGION = "KE"

# Identity fields the create and update services accept (besides languages).
IDENTITY_FIELDS = (
    "given_name",
    "family_name",
    "other_names",
    "gender",
    "date_of_birth",
    "estimated_age",
    "date_of_birth_is_estimated",
    "assessed_as_child",
    "citizenship",
    "disability",
    "disability_notes",
)


# --- Derived values ------------------------------------------------------------------------------


def normalise_phone(value: str) -> str:
    """A phone typed locally (0712 345678) or internationally, in E.164 (+254712345678)."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, PHONE_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Enter a valid phone number, for example 0712 345678 or +254 712 345678."),
            code="invalid_phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_index(value: str) -> str:
    """The blind index a phone contact gets (PersonContact.value_index), or "" when invalid."""
    try:
        normal = normalise_phone(value)
    except ValidationError:
        return ""
    return crypto.blind_index(normal, purpose="person-contact")


def full_name_of(given_name: str, other_names: str = "", family_name: str = "") -> str:
    return " ".join(p for p in (given_name, other_names, family_name) if p)


def full_name_index(full_name: str) -> str:
    return crypto.blind_index(full_name, purpose=FULL_NAME_PURPOSE)


def name_tokens(names: Iterable[str]) -> set[str]:
    tokens: set[str] = set()
    for name in names:
        tokens.update(crypto.phonetic_tokens(name, purpose=NAME_TOKEN_PURPOSE))
    return tokens


def validate_age(
    *, date_of_birth: date | None, estimated_age: int | None, today: date | None = None
) -> None:
    """Refuse impossible ages, naming the field at fault (shown next to it on forms)."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if date_of_birth is not None and estimated_age is not None:
        errors.setdefault("estimated_age", []).append(
            _("Give either the date of birth or an estimated age, not both.")
        )
    if date_of_birth is not None:
        if date_of_birth > today:
            errors.setdefault("date_of_birth", []).append(
                _("The date of birth cannot be in the future.")
            )
        elif _years_between(date_of_birth, today) > OLDEST_AGE:
            errors.setdefault("date_of_birth", []).append(
                _("The date of birth is more than %(years)d years ago.") % {"years": OLDEST_AGE}
            )
    if estimated_age is not None and not 0 <= estimated_age <= OLDEST_AGE:
        errors.setdefault("estimated_age", []).append(
            _("An estimated age is between 0 and %(years)d.") % {"years": OLDEST_AGE}
        )
    if errors:
        raise ValidationError(errors)


def _years_between(start: date, end: date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def child_status(
    *,
    date_of_birth: date | None,
    estimated_age: int | None,
    age_estimated_on: date | None,
    assessed_as_child: bool,
    today: date | None = None,
) -> bool:
    """Under 18 by date of birth, or by an estimated age carried forward, or assessed as a child."""
    if assessed_as_child:
        return True
    probe = Person(
        date_of_birth=date_of_birth,
        estimated_age=estimated_age,
        age_estimated_on=age_estimated_on,
    )
    age = probe.age_on(today or timezone.localdate())
    return age is not None and age < ADULT_AGE


def _child_of(person: Person) -> bool:
    return child_status(
        date_of_birth=person.date_of_birth,
        estimated_age=person.estimated_age,
        age_estimated_on=person.age_estimated_on,
        assessed_as_child=person.assessed_as_child,
    )


def person_refresh_tokens(person: Person) -> None:
    """Replace the person's blind phonetic tokens with those of their names and aliases now."""
    names = [person.given_name, person.other_names, person.family_name]
    names += list(person.aliases.values_list("name", flat=True))
    wanted = name_tokens(names)
    current = set(person.name_tokens.values_list("token", flat=True))
    if current - wanted:
        person.name_tokens.filter(token__in=current - wanted).delete()
    PersonNameToken.objects.bulk_create(
        [PersonNameToken(person=person, token=token) for token in sorted(wanted - current)]
    )


# --- Create and update ---------------------------------------------------------------------------


def person_create(
    *,
    actor: Any,
    organisation: Any,
    given_name: str,
    team: Any = None,
    assigned_to: Any = None,
    family_name: str = "",
    other_names: str = "",
    gender: str = "",
    date_of_birth: date | None = None,
    estimated_age: int | None = None,
    date_of_birth_is_estimated: bool = False,
    assessed_as_child: bool = False,
    citizenship: Any = None,
    languages: Iterable[Any] = (),
    disability: str = "",
    disability_notes: str = "",
    phone: str = "",
    phone_is_safe: bool = False,
    aliases: Iterable[str] = (),
    request: Any = None,
) -> Person:
    """A new survivor identity, scoped like the case that brings them in."""
    given_name = (given_name or "").strip()
    if not given_name:
        raise ValidationError({"given_name": [_("Enter the survivor's given name.")]})
    validate_age(date_of_birth=date_of_birth, estimated_age=estimated_age)
    phone = normalise_phone(phone) if phone else ""
    today = timezone.localdate()
    person = Person(
        organisation=organisation,
        team=team,
        assigned_to=assigned_to,
        given_name=given_name,
        family_name=(family_name or "").strip(),
        other_names=(other_names or "").strip(),
        date_of_birth=date_of_birth,
        estimated_age=estimated_age,
        age_estimated_on=today if estimated_age is not None else None,
        date_of_birth_is_estimated=date_of_birth_is_estimated,
        assessed_as_child=assessed_as_child,
        citizenship=citizenship,
        disability_notes=disability_notes or "",
    )
    if gender:
        person.gender = gender
    if disability:
        person.disability = disability
    person.full_name_index = full_name_index(person.full_name)
    person.is_child = _child_of(person)
    languages = list(languages)
    aliases = [alias.strip() for alias in aliases if alias and alias.strip()]
    with transaction.atomic():
        person.save()
        if languages:
            person.languages.set(languages)
        for alias in aliases:
            PersonAlias.objects.create(person=person, name=alias)
        if phone:
            PersonContact.objects.create(
                person=person, kind=ContactKind.PHONE, value=phone, is_safe_to_use=phone_is_safe
            )
        person_refresh_tokens(person)
        given = [name for name in IDENTITY_FIELDS if _is_given(getattr(person, name))]
        if languages:
            given.append("languages")
        if phone:
            given.append("contacts")
        if aliases:
            given.append("aliases")
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=person,
            fields_changed=given,
        )
    return person


def _is_given(value: Any) -> bool:
    return value is not None and value is not False and value != ""


def person_update(
    *,
    actor: Any,
    person: Person,
    expected_version: int,
    changes: Mapping[str, Any],
    languages: Iterable[Any] | None = None,
    request: Any = None,
) -> Person:
    """Change identity fields if nobody else changed the person since `expected_version`.

    Raises `core.services.VersionConflict` when another edit landed first, ValidationError for an
    impossible age. The derived values (full-name index, tokens, is_child) follow the names.
    """
    unknown = set(changes) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValueError(f"not identity fields: {sorted(unknown)}")
    changes = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()}
    if "given_name" in changes and not changes["given_name"]:
        raise ValidationError({"given_name": [_("Enter the survivor's given name.")]})
    merged = {name: changes.get(name, getattr(person, name)) for name in IDENTITY_FIELDS}
    validate_age(date_of_birth=merged["date_of_birth"], estimated_age=merged["estimated_age"])
    full = dict(changes)
    if merged["estimated_age"] != person.estimated_age:
        full["age_estimated_on"] = (
            timezone.localdate() if merged["estimated_age"] is not None else None
        )
    age_estimated_on = full.get("age_estimated_on", person.age_estimated_on)
    full["full_name_index"] = full_name_index(
        full_name_of(merged["given_name"], merged["other_names"], merged["family_name"])
    )
    full["is_child"] = child_status(
        date_of_birth=merged["date_of_birth"],
        estimated_age=merged["estimated_age"],
        age_estimated_on=age_estimated_on,
        assessed_as_child=merged["assessed_as_child"],
    )
    with transaction.atomic():
        updated = save_versioned(
            record=person,
            expected_version=expected_version,
            changes=full,
            actor=actor,
            request=request,
        )
        if languages is not None:
            wanted = {language.pk for language in languages}
            if wanted != set(updated.languages.values_list("pk", flat=True)):
                updated.languages.set(list(wanted))
                audit_record(
                    action=AuditAction.UPDATE,
                    actor=actor,
                    request=request,
                    obj=updated,
                    fields_changed=["languages"],
                )
        person_refresh_tokens(updated)
    return updated


def _audit_part(*, actor: Any, person: Person, part: str, request: Any = None) -> None:
    audit_record(
        action=AuditAction.UPDATE, actor=actor, request=request, obj=person, fields_changed=[part]
    )


def person_add_alias(*, actor: Any, person: Person, name: str, request: Any = None) -> PersonAlias:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Enter the other name this person is known by.")]})
    with transaction.atomic():
        alias = PersonAlias.objects.create(person=person, name=name)
        person_refresh_tokens(person)
        _audit_part(actor=actor, person=person, part="aliases", request=request)
    return alias


def person_add_contact(
    *,
    actor: Any,
    person: Person,
    kind: str,
    value: str,
    is_safe_to_use: bool = False,
    notes: str = "",
    request: Any = None,
) -> PersonContact:
    value = (value or "").strip()
    if not value:
        raise ValidationError({"value": [_("Enter the contact.")]})
    if kind == ContactKind.PHONE:
        try:
            value = normalise_phone(value)
        except ValidationError as error:
            raise ValidationError({"value": error.messages}) from None
    with transaction.atomic():
        contact = PersonContact.objects.create(
            person=person, kind=kind, value=value, is_safe_to_use=is_safe_to_use, notes=notes
        )
        _audit_part(actor=actor, person=person, part="contacts", request=request)
    return contact


def person_add_identity_document(
    *,
    actor: Any,
    person: Person,
    kind: str,
    number: str,
    issuing_country: Any = None,
    held_by_survivor: bool = True,
    request: Any = None,
) -> PersonIdentityDocument:
    number = (number or "").strip()
    if not number:
        raise ValidationError({"number": [_("Enter the document number.")]})
    with transaction.atomic():
        document = PersonIdentityDocument.objects.create(
            person=person,
            kind=kind,
            number=number,
            issuing_country=issuing_country,
            held_by_survivor=held_by_survivor,
        )
        _audit_part(actor=actor, person=person, part="identity_documents", request=request)
    return document


def person_remove_part(*, actor: Any, person: Person, part: str, pk: int, request: Any = None):
    """Remove one alias, contact or identity document of the person (404-safe: by the person)."""
    related = {
        "aliases": person.aliases,
        "contacts": person.contacts,
        "identity_documents": person.identity_documents,
    }[part]
    with transaction.atomic():
        deleted, _detail = related.filter(pk=pk).delete()
        if deleted:
            if part == "aliases":
                person_refresh_tokens(person)
            _audit_part(actor=actor, person=person, part=part, request=request)
    return bool(deleted)


# --- Key rotation --------------------------------------------------------------------------------


def recompute_name_indexes(*, batch_size: int = 500) -> int:
    """After a new blind-index key: every full-name index and phonetic token, from the names."""
    count = 0
    last_pk = 0
    while True:
        batch = list(
            Person.objects.filter(pk__gt=last_pk)
            .order_by("pk")
            .prefetch_related("aliases")[:batch_size]
        )
        if not batch:
            break
        with transaction.atomic():
            PersonNameToken.objects.filter(person__in=batch).delete()
            tokens = []
            for person in batch:
                index = full_name_index(person.full_name)
                Person.objects.filter(pk=person.pk).update(full_name_index=index)
                names = [person.given_name, person.other_names, person.family_name]
                names += [alias.name for alias in person.aliases.all()]
                tokens += [
                    PersonNameToken(person=person, token=t) for t in sorted(name_tokens(names))
                ]
            PersonNameToken.objects.bulk_create(tokens)
        count += len(batch)
        last_pk = batch[-1].pk
    return count
