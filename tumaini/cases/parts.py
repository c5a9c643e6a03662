"""The sections of the case page. Each capability registers its part (template + context), so the
case page grows without one view knowing every feature."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CasePart:
    key: str
    title: Any
    template: str
    # context(user=..., case=...) -> dict: the part's own reads, through the access policy.
    context: Callable[..., dict]
    order: int = 100


PARTS: dict[str, CasePart] = {}


def register(part: CasePart) -> CasePart:
    PARTS[part.key] = part
    return part


def parts_for(*, user, case) -> list[dict]:
    rendered = []
    for part in sorted(PARTS.values(), key=lambda p: (p.order, p.key)):
        rendered.append(
            {
                "key": part.key,
                "title": part.title,
                "template": part.template,
                **part.context(user=user, case=case),
            }
        )
    return rendered
