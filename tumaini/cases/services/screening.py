"""Writes of screening: loading question sets from data files, and recording a screening interview.

Question sets are data (tumaini/cases/data/*.json), loaded by `manage.py load_screening_sets`. A
published set never changes, because old screenings must keep meaning what they meant when they were
answered: a file that differs from the published set with the same version is refused.

Screening events are audited on the case (so the case's access history shows them), with the names
of what changed — screening fields and `answers.<question code>` — never the values.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from tumaini.cases.enums import ScreeningAnswerKind, TraffickingDecision
from tumaini.cases.models import (
    Case,
    Screening,
    ScreeningAnswer,
    ScreeningQuestion,
    ScreeningQuestionSet,
)
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction
from tumaini.core.services import VersionConflict

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# The question fields a published set is compared on (anything else is bookkeeping).
QUESTION_FIELDS = (
    "section",
    "code",
    "position",
    "text_en",
    "text_sw",
    "help_en",
    "help_sw",
    "kind",
    "choices",
    "required",
    "indicator",
    "applies_to_children",
    "applies_to_adults",
)
SET_FIELDS = ("title_en", "title_sw", "description")

# Screening columns a form may change (the decision is recorded with who took it).
SCREENING_FIELDS = (
    "conducted_on",
    "interview_language",
    "interpreter_present",
    "guardian_present",
    "decision",
    "decided_on",
    "justification",
    "acts",
    "means",
    "purposes",
)
DECISION_FIELDS = ("decision", "decided_on", "justification", "acts", "means", "purposes")


class ScreeningSetError(Exception):
    """A question-set file that cannot be loaded (the message says what to fix)."""


# --- Loading question sets ------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedSet:
    code: str
    version: int
    created: bool


def _question_rows(data: dict, source: str) -> list[dict]:
    rows: list[dict] = []
    seen: set[str] = set()
    position = 0
    for section in data.get("sections") or []:
        section_code = section.get("code")
        if not section_code:
            raise ScreeningSetError(f"{source}: a section has no code")
        for question in section.get("questions") or []:
            position += 1
            code = question.get("code", "")
            kind = question.get("kind", "")
            if not code or code in seen:
                raise ScreeningSetError(f"{source}: question code {code!r} is missing or repeated")
            seen.add(code)
            if kind not in ScreeningAnswerKind.values:
                raise ScreeningSetError(f"{source}: question {code} has unknown kind {kind!r}")
            if not question.get("text_en") or not question.get("text_sw"):
                raise ScreeningSetError(f"{source}: question {code} needs text_en and text_sw")
            choices = question.get("choices") or []
            needs_choices = kind in (ScreeningAnswerKind.CHOICE, ScreeningAnswerKind.MULTI_CHOICE)
            if needs_choices != bool(choices):
                raise ScreeningSetError(
                    f"{source}: question {code}: choices belong to (and only to) choice questions"
                )
            for choice in choices:
                if not all(choice.get(key) for key in ("code", "en", "sw")):
                    raise ScreeningSetError(
                        f"{source}: question {code}: each choice needs code, en and sw"
                    )
            indicator = question.get("indicator", "")
            if indicator and kind != ScreeningAnswerKind.YES_NO:
                raise ScreeningSetError(f"{source}: indicator question {code} must be yes/no")
            rows.append(
                {
                    "section": section_code,
                    "code": code,
                    "position": position,
                    "text_en": question["text_en"],
                    "text_sw": question["text_sw"],
                    "help_en": question.get("help_en", ""),
                    "help_sw": question.get("help_sw", ""),
                    "kind": kind,
                    "choices": [{"code": c["code"], "en": c["en"], "sw": c["sw"]} for c in choices],
                    "required": bool(question.get("required", False)),
                    "indicator": indicator,
                    "applies_to_children": bool(question.get("children", True)),
                    "applies_to_adults": bool(question.get("adults", True)),
                }
            )
    if not rows:
        raise ScreeningSetError(f"{source}: the set has no questions")
    return rows


def _published_rows(question_set: ScreeningQuestionSet) -> list[dict]:
    return [
        {name: getattr(question, name) for name in QUESTION_FIELDS}
        for question in question_set.questions.order_by("position")
    ]


@transaction.atomic
def screening_set_load(*, data: dict, source: str) -> LoadedSet:
    """Publish one question set from its file contents, or confirm it is already published."""
    code, version = data.get("code"), data.get("version")
    if not code or not isinstance(version, int) or version < 1:
        raise ScreeningSetError(f"{source}: needs a code and a whole-number version from 1")
    rows = _question_rows(data, source)
    header = {name: data.get(name, "") for name in SET_FIELDS}
    if not header["title_en"] or not header["title_sw"]:
        raise ScreeningSetError(f"{source}: needs title_en and title_sw")
    published = ScreeningQuestionSet.objects.filter(code=code, version=version).first()
    if published is not None:
        same = {name: getattr(published, name) for name in SET_FIELDS} == header and (
            _published_rows(published) == rows
        )
        if not same:
            raise ScreeningSetError(
                f"{source}: question set {code!r} version {version} is already published and this "
                f"file differs from it. Published sets never change, so that old screenings keep "
                f'their meaning: raise "version" to {version + 1} in the file to publish the '
                f"change as a new version."
            )
        return LoadedSet(code=code, version=version, created=False)

    now = timezone.now()
    newer_exists = ScreeningQuestionSet.objects.filter(code=code, version__gt=version).exists()
    make_default = bool(data.get("is_default")) and not newer_exists
    if make_default:
        ScreeningQuestionSet.objects.filter(is_default=True).update(is_default=False)
    if not newer_exists:
        # A new version replaces the older ones for new screenings; their answers stay with them.
        ScreeningQuestionSet.objects.filter(
            code=code, version__lt=version, retired_at__isnull=True
        ).update(retired_at=now)
    question_set = ScreeningQuestionSet.objects.create(
        code=code,
        version=version,
        is_default=make_default,
        published_at=now,
        retired_at=now if newer_exists else None,
        **header,
    )
    ScreeningQuestion.objects.bulk_create(
        [ScreeningQuestion(question_set=question_set, **row) for row in rows]
    )
    return LoadedSet(code=code, version=version, created=True)


def screening_sets_load(*, directory: Path = DATA_DIR) -> list[LoadedSet]:
    """Load every *.json question set in `directory`, in file-name order; idempotent."""
    loaded = []
    for path in sorted(directory.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ScreeningSetError(f"{path.name}: cannot be read as JSON ({error})") from None
        loaded.append(screening_set_load(data=data, source=path.name))
    return loaded


# --- Answers ---------------------------------------------------------------------------------------

EMPTY_COLUMNS: dict[str, Any] = {
    "value_bool": None,
    "value_text": "",
    "value_choices": [],
    "value_date": None,
    "value_number": None,
}


def is_blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def answer_columns(kind: str, value: Any) -> dict[str, Any]:
    """The answer row's columns for a typed value: exactly one is used, by the question's kind."""
    columns = dict(EMPTY_COLUMNS)
    if kind == ScreeningAnswerKind.YES_NO:
        columns["value_bool"] = bool(value)
    elif kind in (ScreeningAnswerKind.TEXT, ScreeningAnswerKind.LONG_TEXT):
        columns["value_text"] = str(value)
    elif kind == ScreeningAnswerKind.CHOICE:
        columns["value_choices"] = [str(value)]
    elif kind == ScreeningAnswerKind.MULTI_CHOICE:
        columns["value_choices"] = [str(v) for v in value]
    elif kind == ScreeningAnswerKind.DATE:
        columns["value_date"] = value
    elif kind == ScreeningAnswerKind.NUMBER:
        columns["value_number"] = Decimal(value)
    return columns


def _save_answers(
    screening: Screening, answers: Mapping[ScreeningQuestion, Any], *, new: bool
) -> list[str]:
    """Create, change or remove answer rows; returns the codes of the questions that changed."""
    existing = {} if new else {a.question_id: a for a in screening.answers.all()}
    changed: list[str] = []
    to_create = []
    for question, value in answers.items():
        answer = existing.get(question.pk)
        if is_blank(value):
            if answer is not None:
                answer.delete()
                changed.append(question.code)
            continue
        columns = answer_columns(question.kind, value)
        if answer is None:
            to_create.append(ScreeningAnswer(screening=screening, question=question, **columns))
            changed.append(question.code)
            continue
        differs = [name for name, v in columns.items() if getattr(answer, name) != v]
        if differs:
            for name, v in columns.items():
                setattr(answer, name, v)
            answer.save(update_fields=list(EMPTY_COLUMNS))
            changed.append(question.code)
    ScreeningAnswer.objects.bulk_create(to_create)
    return changed


def _decision_fields(fields: Mapping[str, Any], *, user) -> dict[str, Any]:
    """Who decided is whoever records the decision; a pending decision has no decider or date."""
    values = {name: fields[name] for name in SCREENING_FIELDS if name in fields}
    if values.get("decision", TraffickingDecision.PENDING) == TraffickingDecision.PENDING:
        values["decided_on"] = None
        values["decided_by"] = None
    else:
        values["decided_on"] = values.get("decided_on") or timezone.localdate()
        values["decided_by"] = user
    return values


def _differs(screening: Screening, name: str, value: Any) -> bool:
    if name == "decided_by":
        return screening.decided_by_id != getattr(value, "pk", None)
    if name == "interview_language":
        return screening.interview_language_id != getattr(value, "pk", None)
    return getattr(screening, name) != value


def _audit(*, action, user, case: Case, screening: Screening, changed: list[str], request):
    audit_record(
        action=action,
        actor=user,
        request=request,
        obj=case,
        fields_changed=changed,
        detail={"part": "screening", "screening": str(screening.public_id)},
    )


def screening_create(
    *,
    user,
    case: Case,
    question_set: ScreeningQuestionSet,
    fields: Mapping[str, Any],
    answers: Mapping[ScreeningQuestion, Any],
    request=None,
) -> Screening:
    """Record a screening interview on the case (the caller checked `update` on the case)."""
    with transaction.atomic():
        screening = Screening.objects.create(
            case=case,
            question_set=question_set,
            conducted_by=user,
            **_decision_fields(fields, user=user),
        )
        answered = _save_answers(screening, answers, new=True)
        changed = [
            f"screening.{name}"
            for name in SCREENING_FIELDS
            if name in fields and not is_blank(fields[name]) and fields[name] is not False
        ]
        changed += [f"answers.{code}" for code in answered]
        _audit(
            action=AuditAction.CREATE,
            user=user,
            case=case,
            screening=screening,
            changed=changed,
            request=request,
        )
    return screening


def screening_update(
    *,
    user,
    screening: Screening,
    expected_version: int,
    fields: Mapping[str, Any],
    answers: Mapping[ScreeningQuestion, Any],
    request=None,
) -> Screening:
    """Change a screening if nobody else did since the user opened it (VersionConflict otherwise)."""
    with transaction.atomic():
        current = Screening.objects.select_for_update().get(pk=screening.pk)
        if current.version != expected_version:
            raise VersionConflict(current)
        values = {name: fields[name] for name in SCREENING_FIELDS if name in fields}
        if any(getattr(current, n) != values[n] for n in DECISION_FIELDS if n in values):
            decided = _decision_fields(fields, user=user)
            values["decided_on"] = decided["decided_on"]
            values["decided_by"] = decided["decided_by"]
        changed = [name for name, value in values.items() if _differs(current, name, value)]
        answered = _save_answers(current, answers, new=False)
        if not changed and not answered:
            return current
        bumped = Screening.objects.filter(pk=current.pk, version=expected_version).update(
            version=expected_version + 1
        )
        if bumped != 1:
            raise VersionConflict(Screening.objects.get(pk=current.pk))
        for name in changed:
            setattr(current, name, values[name])
        current.version = expected_version + 1
        current.save(update_fields=sorted({*changed, "version", "updated_at"}))
        _audit(
            action=AuditAction.UPDATE,
            user=user,
            case=current.case,
            screening=current,
            changed=[f"screening.{n}" for n in changed] + [f"answers.{c}" for c in answered],
            request=request,
        )
    return current
