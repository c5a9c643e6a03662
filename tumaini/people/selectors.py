"""Reads of survivor identities, always for an acting user: duplicates, the edit page, merges."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone
from rapidfuzz import fuzz

from tumaini.core import access, crypto
from tumaini.core.access import UPDATE, VIEW
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.queries import ids_in
from tumaini.people import services
from tumaini.people.models import Person, PersonAlias, PersonContact, PersonMerge, PersonNameToken
from tumaini.people.policies import MERGE, PERSON

# How many stored people are decrypted and compared for one check, at most.
CANDIDATE_LIMIT = 200
# A name this similar (rapidfuzz token_sort_ratio, 0-100) is worth a second look.
NAME_THRESHOLD = 80
BIRTH_YEAR_BONUS = 10
PHONE_BONUS = 20
MAX_MATCHES = 10
# Names typed with more tokens than this are ranked by counting (a join per token would not pay).
MAX_JOINED_TOKENS = 4
# What scoring and the list of matches use: names, age, child, public id.
CANDIDATE_FIELDS = (
    "id",
    "public_id",
    "given_name",
    "other_names",
    "family_name",
    "date_of_birth",
    "estimated_age",
    "age_estimated_on",
    "is_child",
)


@dataclass
class DuplicateMatch:
    person: Person
    score: int
    reasons: list[str]
    age: int | None = None
    case_numbers: list[str] = field(default_factory=list)


@dataclass
class DuplicateCheck:
    # Matches the user may see (name, age, case numbers).
    matches: list[DuplicateMatch]
    # Matches outside the user's scope: only how many, nothing else.
    hidden_count: int

    def __bool__(self) -> bool:
        return bool(self.matches or self.hidden_count)


def _candidate_ids(
    *, organisation_id: int, full_indexes: set[str], phone_idx: str, tokens
) -> tuple[list[int], set[int]]:
    """Ids of people worth comparing (exact blind-index hits first), and those sharing the phone."""
    people = Person.objects.filter(organisation_id=organisation_id, merged_into__isnull=True)
    phone_ids: set[int] = set()
    if phone_idx:
        phone_ids = set(
            PersonContact.objects.filter(
                value_index=phone_idx,
                person__organisation_id=organisation_id,
                person__merged_into__isnull=True,
            ).values_list("person_id", flat=True)[:CANDIDATE_LIMIT]
        )
    # Exact full names and aliases, each on its own index. A shared family name alone is no
    # evidence (a common surname is held by thousands): it only counts through the phonetic tokens
    # below, together with the other names.
    exact = list(
        people.filter(full_name_index__in=full_indexes).values_list("pk", flat=True)[
            :CANDIDATE_LIMIT
        ]
    )
    exact += PersonAlias.objects.filter(
        name_index__in=full_indexes,
        person__organisation_id=organisation_id,
        person__merged_into__isnull=True,
    ).values_list("person_id", flat=True)[:CANDIDATE_LIMIT]
    ids = list(dict.fromkeys([*phone_ids, *exact]))
    ids = ids[:CANDIDATE_LIMIT]
    if tokens and len(ids) < CANDIDATE_LIMIT:
        picked = _ranked_by_tokens(
            organisation_id=organisation_id, tokens=tokens, limit=CANDIDATE_LIMIT - len(ids)
        )
        ids = list(dict.fromkeys([*ids, *picked]))
    return ids, phone_ids


def _sharing_every_token(*, organisation_id: int, tokens: list[str], limit: int) -> list[int]:
    """People of the organisation (not merged away) who hold every one of `tokens`, newest first.

    One self-join of the (token, person) index per token: each token's rows come out sorted by
    person, so PostgreSQL merges them walking backwards and stops at `limit` without counting
    the thousands who share only a common surname."""
    table = connection.ops.quote_name(PersonNameToken._meta.db_table)
    people = connection.ops.quote_name(Person._meta.db_table)
    joins = "".join(
        f" JOIN {table} t{n} ON t{n}.person_id = t0.person_id AND t{n}.token = %s"
        for n in range(1, len(tokens))
    )
    # Only table names (from the models) are formatted in; every value is a parameter.
    sql = (
        f"SELECT t0.person_id FROM {table} t0{joins}"  # noqa: S608
        f" JOIN {people} p ON p.id = t0.person_id"
        " WHERE t0.token = %s AND p.organisation_id = %s AND p.merged_into_id IS NULL"
        " ORDER BY t0.person_id DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*tokens[1:], tokens[0], organisation_id, limit])
        return [row[0] for row in cursor.fetchall()]


def _ranked_by_tokens(*, organisation_id: int, tokens: list[str], limit: int) -> list[int]:
    """Up to `limit` people of the organisation sharing most phonetic tokens with the names typed
    (most shared first, then newest)."""
    if len(tokens) <= MAX_JOINED_TOKENS:
        # Usually enough people hold every token (a first name and a surname both in use): they
        # come first in the ranking anyway, and finding them needs no count.
        every = _sharing_every_token(organisation_id=organisation_id, tokens=tokens, limit=limit)
        if len(every) == limit or len(tokens) == 1:
            return every
    # The tokens are counted on their own table, where only the best-ranked people leave the
    # database: a common surname is held by thousands, and reading them all here cost more than
    # the whole check may. The join to the people (organisation, not merged away) then covers
    # those few only.
    ranked = list(
        PersonNameToken.objects.filter(token__in=tokens)
        .values("person_id")
        .annotate(shared=Count("*"))
        .order_by("-shared", "-person_id")
        .values_list("person_id", flat=True)[: CANDIDATE_LIMIT * 5]
    )
    eligible = set(
        Person.objects.filter(
            ids_in("pk", ranked), organisation_id=organisation_id, merged_into__isnull=True
        ).values_list("pk", flat=True)
    )
    return [pk for pk in ranked if pk in eligible][:limit]


def _name_score(typed: list[str], stored: list[str]) -> int:
    best = 0.0
    for a in typed:
        for b in stored:
            if a and b:
                best = max(best, fuzz.token_sort_ratio(a, b))
    return round(best)


def person_duplicate_candidates(
    *,
    user: Any,
    given_name: str,
    family_name: str = "",
    other_names: str = "",
    birth_year: int | None = None,
    phone: str = "",
    aliases: list[str] | tuple[str, ...] = (),
    request: Any = None,
) -> DuplicateCheck:
    """People of the user's organisation who may be the survivor being registered.

    Candidates come from blind indexes (exact full name, family name, phone, alias) and shared
    phonetic tokens, then are decrypted and scored with rapidfuzz. The user learns names only of
    matches inside their person scope; of the others, only how many there are.
    """
    organisation_id = getattr(user, "organisation_id", None)
    if not organisation_id:
        return DuplicateCheck(matches=[], hidden_count=0)
    full_name = services.full_name_of(given_name, other_names, family_name)
    typed = [crypto.normalise(n) for n in (full_name, *aliases) if n and n.strip()]
    if not typed:
        return DuplicateCheck(matches=[], hidden_count=0)
    full_indexes = {services.full_name_index(n) for n in typed} - {""}
    phone_idx = services.phone_index(phone) if phone else ""
    tokens = sorted(services.name_tokens([given_name, other_names, family_name, *aliases]))
    ids, phone_ids = _candidate_ids(
        organisation_id=organisation_id,
        full_indexes=full_indexes,
        phone_idx=phone_idx,
        tokens=tokens,
    )
    if not ids:
        return DuplicateCheck(matches=[], hidden_count=0)
    # Only what is compared and shown is read and decrypted. The aliases come as plain pairs: a
    # prefetch would build a queryset for each of the (up to 200) people.
    candidates = Person.objects.filter(ids_in("pk", ids)).only(*CANDIDATE_FIELDS)
    aliases: dict[int, list[str]] = {}
    for person_id, alias in PersonAlias.objects.filter(ids_in("person_id", ids)).values_list(
        "person_id", "name"
    ):
        aliases.setdefault(person_id, []).append(alias)
    scored: list[tuple[int, Person, list[str]]] = []
    for person in candidates:
        stored = [crypto.normalise(person.full_name)]
        stored += [crypto.normalise(alias) for alias in aliases.get(person.pk, ())]
        name_score = _name_score(typed, stored)
        reasons: list[str] = []
        score = name_score
        if name_score >= NAME_THRESHOLD:
            reasons.append("name")
        same_phone = person.pk in phone_ids
        if same_phone:
            reasons.append("phone")
            score += PHONE_BONUS
        person_year = person.birth_year
        if birth_year and person_year and abs(person_year - birth_year) <= 1:
            reasons.append("birth_year")
            score += BIRTH_YEAR_BONUS
        if name_score >= NAME_THRESHOLD or same_phone:
            scored.append((min(score, 100), person, reasons))
    scored.sort(key=lambda item: (-item[0], -item[1].pk))
    if not scored:
        return DuplicateCheck(matches=[], hidden_count=0)
    matched_ids = [person.pk for _score, person, _reasons in scored]
    visible_ids = set(
        access.scoped(user, PERSON, VIEW, Person.objects.filter(pk__in=matched_ids)).values_list(
            "pk", flat=True
        )
    )
    shown = [item for item in scored if item[1].pk in visible_ids][:MAX_MATCHES]
    hidden_count = len(scored) - len([item for item in scored if item[1].pk in visible_ids])
    numbers = _case_numbers_of([person.pk for _s, person, _r in shown])
    today = timezone.localdate()
    matches = [
        DuplicateMatch(
            person=person,
            score=score,
            reasons=reasons,
            age=person.age_on(today),
            case_numbers=numbers.get(person.pk, []),
        )
        for score, person, reasons in shown
    ]
    if matches or hidden_count:
        # One event for the check: which identities were shown (ids only), and how many were not.
        audit_record(
            action=AuditAction.VIEW,
            actor=user,
            request=request,
            object_type=Person._meta.label_lower,
            detail={
                "duplicate_check": [str(m.person.public_id) for m in matches],
                "hidden_count": hidden_count,
            },
        )
    return DuplicateCheck(matches=matches, hidden_count=hidden_count)


def _case_numbers_of(person_ids: list[int]) -> dict[int, list[str]]:
    if not person_ids:
        return {}
    from django.apps import apps

    case_model = apps.get_model("cases", "Case")
    numbers: dict[int, list[str]] = {}
    rows = case_model.objects.filter(person_id__in=person_ids).order_by("opened_at")
    for person_id, number in rows.values_list("person_id", "case_number"):
        numbers.setdefault(person_id, []).append(number)
    return numbers


# --- One person ----------------------------------------------------------------------------------


def people_queryset() -> QuerySet:
    return Person.objects.select_related("citizenship", "organisation", "team", "assigned_to")


def person_for_update(*, user: Any, public_id: Any) -> Person:
    """The person if the user may change them (404 otherwise)."""
    return access.get_scoped_or_404(user, PERSON, UPDATE, people_queryset(), public_id=public_id)


def person_for_edit_page(*, user: Any, public_id: Any, request: Any = None) -> Person:
    """The person for the edit page, which shows their identity: an audited read."""
    person = person_for_update(user=user, public_id=public_id)
    audit_record(action=AuditAction.VIEW, actor=user, request=request, obj=person)
    return person


def person_linkable(*, user: Any, public_id: Any) -> Person | None:
    """A person the user may see and add a case to (not merged away), or None."""
    return (
        access.scoped(user, PERSON, VIEW, people_queryset())
        .filter(public_id=public_id, merged_into__isnull=True)
        .first()
    )


def person_parts(*, person: Person) -> dict:
    """Aliases, contacts and documents of one person (already fetched through the policy)."""
    return {
        "aliases": list(person.aliases.all()),
        "contacts": list(person.contacts.all()),
        "documents": list(person.identity_documents.select_related("issuing_country")),
        "languages": list(person.languages.all()),
    }


def may_update_person(*, user: Any, person: Person) -> bool:
    return access.scoped(user, PERSON, UPDATE, Person.objects.filter(pk=person.pk)).exists()


# --- Merges --------------------------------------------------------------------------------------


def person_by_case_number_for_merge(*, user: Any, case_number: str) -> Person | None:
    """The person whose case has this number, if the user may merge them; None otherwise."""
    number = (case_number or "").strip().upper()
    if not number:
        return None
    return (
        access.scoped(user, PERSON, MERGE, people_queryset())
        .filter(cases__case_number=number, merged_into__isnull=True)
        .first()
    )


def person_for_merge(*, user: Any, public_id: Any) -> Person:
    return access.get_scoped_or_404(
        user, PERSON, MERGE, people_queryset().filter(merged_into__isnull=True), public_id=public_id
    )


def merge_preview(*, user: Any, people: list[Person], request: Any = None) -> list[dict]:
    """Both identities side by side, with what would move; each read is audited."""
    today = timezone.localdate()
    columns = []
    for person in people:
        audit_record(
            action=AuditAction.VIEW,
            actor=user,
            request=request,
            obj=person,
            detail={"merge_preview": True},
        )
        columns.append(
            {
                "person": person,
                "age": person.age_on(today),
                "case_numbers": list(person.cases.values_list("case_number", flat=True)),
                "counts": {
                    "consents": person.consents.count(),
                    "contacts": person.contacts.count(),
                    "aliases": person.aliases.count(),
                    "documents": person.identity_documents.count(),
                },
                **person_parts(person=person),
            }
        )
    return columns


def merge_for_user(*, user: Any, public_id: Any) -> PersonMerge:
    """A merge the user may act on: its kept person must be inside their merge scope."""
    people = access.scoped(user, PERSON, MERGE, Person.objects.all())
    merges = PersonMerge.objects.select_related("kept", "duplicate", "merged_by", "decided_by")
    try:
        return merges.filter(kept__in=people).get(public_id=public_id)
    except (PersonMerge.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
