"""Reads of screening. Fetching a screening goes through its case, so the case's scope applies."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tumaini.cases.enums import ScreeningAnswerKind
from tumaini.cases.models import (
    Case,
    Screening,
    ScreeningAnswer,
    ScreeningQuestion,
    ScreeningQuestionSet,
)
from tumaini.cases.selectors.case import case_for_action, case_for_view
from tumaini.core import access
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction

# Headings of the sections the default set uses; a loaded tool with other sections shows its codes.
SECTION_TITLES = {
    "registration": _("Registration"),
    "interview_context": _("Interview context"),
    "recruitment": _("Recruitment"),
    "transport": _("Transport"),
    "exploitation": _("Exploitation"),
    "ilo_indicators": _("ILO indicators of forced labour"),
    "corroboration": _("Corroboration"),
}


def section_title(code: str):
    return SECTION_TITLES.get(code) or code.replace("_", " ").replace("-", " ").capitalize()


def in_kiswahili() -> bool:
    return (get_language() or "").startswith("sw")


def question_text(question: ScreeningQuestion) -> str:
    return question.text_sw if in_kiswahili() else question.text_en


def question_help(question: ScreeningQuestion) -> str:
    return question.help_sw if in_kiswahili() else question.help_en


def choice_options(question: ScreeningQuestion) -> list[tuple[str, str]]:
    language = "sw" if in_kiswahili() else "en"
    return [(c["code"], c[language]) for c in question.choices]


def default_question_set() -> ScreeningQuestionSet | None:
    """The set new screenings use: the default one that is published and not retired."""
    return ScreeningQuestionSet.objects.filter(
        is_default=True, published_at__isnull=False, retired_at__isnull=True
    ).first()


def questions_for(*, question_set: ScreeningQuestionSet, is_child: bool) -> list[ScreeningQuestion]:
    questions = question_set.questions.order_by("position")
    if is_child:
        return list(questions.filter(applies_to_children=True))
    return list(questions.filter(applies_to_adults=True))


def _screenings() -> Any:
    return Screening.objects.select_related(
        "question_set", "conducted_by", "decided_by", "interview_language"
    )


def screening_for_view(*, user, public_id, screening_id, request=None) -> tuple[Case, Screening]:
    """A screening with its case, if the user may view the case (audited read; 404 otherwise)."""
    case = case_for_view(user=user, public_id=public_id, request=request)
    screening = _screenings().filter(case=case, public_id=screening_id).first()
    if screening is None:
        raise Http404
    return case, screening


def screening_for_update(*, user, public_id, screening_id, request=None) -> tuple[Case, Screening]:
    """A screening the user may change. The edit page shows the answers, so its GET is audited as a
    view of the case's screening."""
    case = case_for_action(user=user, public_id=public_id, action=access.UPDATE)
    screening = _screenings().filter(case=case, public_id=screening_id).first()
    if screening is None:
        raise Http404
    if request is not None and request.method == "GET":
        audit_record(
            action=AuditAction.VIEW,
            actor=user,
            request=request,
            obj=case,
            detail={"part": "screening", "screening": str(screening.public_id)},
        )
    return case, screening


def answers_by_question(screening: Screening) -> dict[int, ScreeningAnswer]:
    return {answer.question_id: answer for answer in screening.answers.all()}


def answer_value(question: ScreeningQuestion, answer: ScreeningAnswer | None) -> Any:
    """The typed value of an answer (None when not answered), as the form takes it."""
    if answer is None:
        return None
    kind = question.kind
    if kind == ScreeningAnswerKind.YES_NO:
        return answer.value_bool
    if kind in (ScreeningAnswerKind.TEXT, ScreeningAnswerKind.LONG_TEXT):
        return answer.value_text or None
    if kind == ScreeningAnswerKind.CHOICE:
        return answer.value_choices[0] if answer.value_choices else None
    if kind == ScreeningAnswerKind.MULTI_CHOICE:
        return list(answer.value_choices) or None
    if kind == ScreeningAnswerKind.DATE:
        return answer.value_date
    return answer.value_number


def _display(question: ScreeningQuestion, value: Any) -> Any:
    if value is None:
        return None
    if question.kind == ScreeningAnswerKind.YES_NO:
        return _("Yes") if value else _("No")
    if question.kind in (ScreeningAnswerKind.CHOICE, ScreeningAnswerKind.MULTI_CHOICE):
        labels = dict(choice_options(question))
        codes = value if isinstance(value, list) else [value]
        return ", ".join(str(labels.get(code, code)) for code in codes)
    if question.kind == ScreeningAnswerKind.NUMBER:
        return value.normalize() if value == value.to_integral() else value
    return value


@dataclass
class AnsweredSection:
    code: str
    title: Any
    rows: list[dict] = field(default_factory=list)


def screening_answers(screening: Screening) -> list[AnsweredSection]:
    """Every question of the screening's own set version, with its answer, grouped by section.

    Questions that did not apply (adult-only for a child) are shown only when they were answered.
    """
    is_child = screening.case.person.is_child
    answers = answers_by_question(screening)
    sections: list[AnsweredSection] = []
    for question in screening.question_set.questions.order_by("position"):
        applies = question.applies_to_children if is_child else question.applies_to_adults
        answer = answers.get(question.pk)
        if not applies and answer is None:
            continue
        if not sections or sections[-1].code != question.section:
            sections.append(AnsweredSection(question.section, section_title(question.section)))
        sections[-1].rows.append(
            {
                "question": question,
                "text": question_text(question),
                "long": question.kind == ScreeningAnswerKind.LONG_TEXT,
                "value": _display(question, answer_value(question, answer)),
            }
        )
    return sections


@dataclass(frozen=True)
class IndicatorSummary:
    present: int
    total: int
    codes: tuple[str, ...]


def indicator_summary(screening: Screening) -> IndicatorSummary:
    """How many of the set's indicators (e.g. the 11 ILO ones) were answered "yes"."""
    indicators = set(
        screening.question_set.questions.exclude(indicator="").values_list("indicator", flat=True)
    )
    present = set(
        screening.answers.filter(value_bool=True)
        .exclude(question__indicator="")
        .values_list("question__indicator", flat=True)
    )
    return IndicatorSummary(
        present=len(present), total=len(indicators), codes=tuple(sorted(present))
    )


def screenings_of(case: Case) -> list[Screening]:
    return list(_screenings().filter(case=case).order_by("-conducted_on", "-created_at"))


def screening_part_context(*, user, case: Case) -> dict:
    """The case page's screening part. The case page already audited the case view."""
    screenings = screenings_of(case)
    latest = screenings[0] if screenings else None
    return {
        "latest": latest,
        "indicators": indicator_summary(latest) if latest else None,
        "earlier": screenings[1:],
        "can_update": access.can(user, "case", access.UPDATE),
        "has_question_set": latest is not None or default_question_set() is not None,
    }
