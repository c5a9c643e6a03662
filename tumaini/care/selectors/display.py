"""How care pages name a survivor: a child by initials only (architecture: children)."""

from tumaini.cases.selectors.lists import initials


def survivor_label(person) -> str:
    return initials(person) if person.is_child else person.full_name


def staff_label(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
