"""Opening the intake page prefilled from something another app received (e.g. a partner's
incoming referral): `/staff/cases/new/?from=<key>&id=<public id>`.

Each source registers how to read its initial values (None when the user may not use it) and what to
do once the case is open (link the two), so the intake view knows no other app.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class IntakePrefill:
    key: str
    # initial(user=..., public_id=...) -> dict of IntakeForm initial values, or None.
    initial: Callable[..., dict | None]
    # opened(user=..., public_id=..., case=..., request=...): called in the transaction that
    # opened the case.
    opened: Callable[..., None]


PREFILLS: dict[str, IntakePrefill] = {}


def register(prefill: IntakePrefill) -> IntakePrefill:
    PREFILLS[prefill.key] = prefill
    return prefill
