"""The parts of the case page and the sections (tabs) they are shown in. Each capability registers
its part (template + context, and the section it belongs to), so the case page grows without one
view knowing every feature. A request renders one section: building every part of a busy case on
each visit cost more than the page budget."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    title: Any
    order: int


# The tabs of the case page, in their order. The first is what the case's plain URL opens.
SECTIONS: dict[str, Section] = {
    section.key: section
    for section in (
        Section("overview", _("Overview"), 10),
        Section("person", _("Person & consent"), 20),
        Section("assessments", _("Assessments & plan"), 30),
        Section("care", _("Care"), 40),
        Section("shelter", _("Shelter"), 50),
        Section("referrals", _("Referrals & justice"), 60),
        Section("file", _("Notes & documents"), 70),
        Section("history", _("Access history"), 80),
    )
}
DEFAULT_SECTION = "overview"


@dataclass(frozen=True, kw_only=True)
class CasePart:
    key: str
    title: Any
    template: str
    # context(user=..., case=...) -> dict: the part's own reads, through the access policy.
    context: Callable[..., dict]
    # The key of the section (tab) of the case page that shows this part.
    section: str
    order: int = 100


PARTS: dict[str, CasePart] = {}


def register(part: CasePart) -> CasePart:
    if part.section not in SECTIONS:
        raise ValueError(f"Case part {part.key!r}: unknown section {part.section!r}")
    PARTS[part.key] = part
    return part


def sections() -> list[Section]:
    return sorted(SECTIONS.values(), key=lambda s: s.order)


def section_url(case, section: str) -> str:
    if section == DEFAULT_SECTION:
        return case.get_absolute_url()
    return f"{case.get_absolute_url()}?section={section}"


def part_url(case, key: str) -> str:
    """Where a part is on the case page: its section, scrolled to the part. Forms that post from
    a part come back here."""
    return f"{section_url(case, PARTS[key].section)}#part-{key}"


def parts_for(*, user, case, section: str) -> list[dict]:
    rendered = []
    in_section = [part for part in PARTS.values() if part.section == section]
    for part in sorted(in_section, key=lambda p: (p.order, p.key)):
        rendered.append(
            {
                "key": part.key,
                "title": part.title,
                "template": part.template,
                **part.context(user=user, case=case),
            }
        )
    return rendered
