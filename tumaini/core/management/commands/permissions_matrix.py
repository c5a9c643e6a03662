"""Render the access policy (tumaini.core.access.REGISTRY) into docs/permissions.md."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from tumaini.accounts.enums import Role
from tumaini.core.access import REGISTRY, Resource, Scope

DEFAULT_OUTPUT = Path(settings.BASE_DIR) / "docs" / "permissions.md"

HEADER = """# Permissions matrix

Generated from the access policy (`policies.py` of each app) by
`.venv/bin/python manage.py permissions_matrix`. Do not edit by hand: change the declarations and run
the command again (`--check` fails when this file is out of date).

A role reaches records with a scope: **own** (assigned to me), **team** (my teams' records),
**organisation** (my organisation's records), **all** (every organisation). A role or an action not
listed has no access. A record outside the scope answers 404, never 403. Resources marked
*survivor data* are never granted to the system administrator; reads of them are audited.

**break_glass** lets a supervisor open one record outside their `view` scope (within the
break-glass scope) for `TUMAINI_BREAK_GLASS_HOURS` (default 4), after stating a reason of at least
20 characters; the reason is audited and shown to the record's owner on their home page.
**Who looked at this record** is shown to the record's owner (assigned user), and to users who may
both view the record in their normal scope (break-glass does not count) and view the audit trail.
"""


def _test_only(resource: Resource) -> bool:
    """Resources the test suite declares for itself (tests/testapp) stay out of the docs."""
    if resource.name.startswith("test_"):
        return True
    for name, module in list(sys.modules.items()):
        if (name == "tests" or name.startswith("tests.")) and any(
            value is resource for value in vars(module).values()
        ):
            return True
    return False


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_matrix() -> str:
    with translation.override("en"):
        parts = [HEADER]
        resources = sorted(
            (r for r in REGISTRY.values() if not _test_only(r)), key=lambda r: r.name
        )
        parts.append("## Resources\n")
        parts.append("| resource | name | survivor data |")
        parts.append("|---|---|---|")
        for resource in resources:
            survivor = "**yes**" if resource.survivor_data else "no"
            parts.append(f"| {_cell(resource.label)} | `{resource.name}` | {survivor} |")
        parts.append("")
        for resource in resources:
            parts.append(f"## {resource.label} (`{resource.name}`)\n")
            if resource.survivor_data:
                parts.append(
                    "*Survivor data: reads are audited; no system administrator access.*\n"
                )
            if resource.description:
                parts.append(f"{resource.description}\n")
            actions = resource.actions()
            roles = [role for role in Role if resource.grants.get(role)]
            if not actions or not roles:
                parts.append("No role has access.\n")
                continue
            parts.append("| role | " + " | ".join(actions) + " |")
            parts.append("|---" * (len(actions) + 1) + "|")
            for role in roles:
                cells = []
                for action in actions:
                    scope = Scope(resource.grants[role].get(action, Scope.NONE))
                    cells.append("—" if scope == Scope.NONE else str(scope.label))
                parts.append(f"| {_cell(role.label)} | " + " | ".join(cells) + " |")
            parts.append("")
    return "\n".join(parts).rstrip() + "\n"


class Command(BaseCommand):
    help = "Write the role x action x scope matrix of every resource to docs/permissions.md."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="exit 1 if the file is outdated")
        parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)

    def handle(self, *args, check=False, output=DEFAULT_OUTPUT, **options):
        rendered = render_matrix()
        current = output.read_text(encoding="utf-8") if output.exists() else None
        if check:
            if current != rendered:
                raise CommandError(
                    f"{output} is out of date: run `.venv/bin/python manage.py permissions_matrix`"
                )
            self.stdout.write(f"{output} is up to date")
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(rendered, encoding="utf-8")
        self.stdout.write(f"wrote {output} ({len(REGISTRY)} resources declared)")
