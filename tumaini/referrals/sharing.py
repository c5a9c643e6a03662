"""What a referral can share, field by field, and how each field is read from the case.

One declared table (`SHAREABLE`): the form offers its entries, the snapshot is built from it, and
the partner's pages show its labels. Values are read only for the fields chosen, at the moment the
referral is sent; nothing else about the case is read for a share.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext

from tumaini.cases.enums import NeedType, RiskLevel
from tumaini.people.enums import ContactKind, Gender
from tumaini.referrals.enums import SharedField


def _first_name(case) -> str:
    return case.person.given_name


def _full_name(case) -> str:
    return case.person.full_name


def _age(case) -> str:
    age = case.person.age_on(timezone.localdate())
    return "" if age is None else str(age)


def _sex(case) -> str:
    return case.person.gender if case.person.gender != Gender.UNKNOWN else ""


def _child(case) -> str:
    return "yes" if case.person.is_child else "no"


def _nationality(case) -> str:
    return case.person.citizenship.name if case.person.citizenship_id else ""


def _languages(case) -> str:
    return ", ".join(language.name for language in case.person.languages.order_by("name"))


def _phone(case) -> str:
    # Only a number the survivor said is safe: a trafficker may hold the others.
    contact = (
        case.person.contacts.filter(kind=ContactKind.PHONE, is_safe_to_use=True)
        .order_by("id")
        .first()
    )
    return contact.value if contact else ""


def _needs(case) -> str:
    from tumaini.cases.models import NeedsAssessment

    latest = NeedsAssessment.objects.filter(case=case).order_by("-assessed_on", "-id").first()
    if latest is None:
        return ""
    return ",".join(need.type for need in latest.needs.filter(identified=True).order_by("id"))


def _risk_level(case) -> str:
    return case.risk_level or ""


@dataclass(frozen=True)
class Shareable:
    code: str
    read: Callable
    # Stored codes (sex, needs, risk) are shown with their translated labels.
    display: Callable[[str], str] | None = None


def _gender_label(value: str) -> str:
    return str(Gender(value).label) if value in Gender.values else value


def _needs_label(value: str) -> str:
    labels = dict(NeedType.choices)
    return ", ".join(str(labels.get(code, code)) for code in value.split(",") if code)


def _risk_label(value: str) -> str:
    return str(RiskLevel(value).label) if value in RiskLevel.values else value


def _yes_no(value: str) -> str:
    return gettext("Yes") if value == "yes" else gettext("No")


SHAREABLE: dict[str, Shareable] = {
    item.code: item
    for item in (
        Shareable(SharedField.FIRST_NAME, _first_name),
        Shareable(SharedField.FULL_NAME, _full_name),
        Shareable(SharedField.AGE, _age),
        Shareable(SharedField.SEX, _sex, _gender_label),
        Shareable(SharedField.CHILD, _child, _yes_no),
        Shareable(SharedField.NATIONALITY, _nationality),
        Shareable(SharedField.LANGUAGES, _languages),
        Shareable(SharedField.PHONE, _phone),
        Shareable(SharedField.NEEDS, _needs, _needs_label),
        Shareable(SharedField.RISK_LEVEL, _risk_level, _risk_label),
    )
}
assert set(SHAREABLE) == set(SharedField.values)


def snapshot_of(*, case, fields: list[str]) -> dict[str, str]:
    """The chosen fields' values now, in the declared order (codes, not labels)."""
    return {code: SHAREABLE[code].read(case) for code in SharedField.values if code in fields}


def snapshot_rows(snapshot: dict[str, str]) -> list[dict]:
    """A snapshot as the partner's page shows it: label and readable value, in declared order."""
    labels = dict(SharedField.choices)
    rows = []
    for code in SharedField.values:
        if code not in snapshot:
            continue
        value = snapshot[code]
        display = SHAREABLE[code].display
        shown = display(value) if (display and value) else value
        rows.append(
            {"code": code, "label": labels[code], "value": shown or gettext("not recorded")}
        )
    return rows
