"""Panels on the staff home page. Each capability registers what a user should see first when they
sign in (their notifications, overdue follow-ups, approvals waiting...), in its own template."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomePanel:
    key: str
    template: str
    # context(user=...) -> dict, or None when the panel has nothing to show to this user.
    context: Callable[..., dict | None]
    order: int = 100


PANELS: dict[str, HomePanel] = {}


def register(panel: HomePanel) -> HomePanel:
    PANELS[panel.key] = panel
    return panel


def panels_for(*, user) -> list[dict]:
    shown = []
    for panel in sorted(PANELS.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(user=user)
        if context is not None:
            shown.append({"key": panel.key, "template": panel.template, **context})
    return shown
