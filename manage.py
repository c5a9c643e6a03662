#!/usr/bin/env python
"""Django's command-line utility, with start-up problems told in one sentence."""

import os
import sys

# Commands that work without a database. Every other command (runserver, migrate, db_worker,
# seed_demo, ...) first opens a connection, so a database that cannot be reached is one sentence
# before the command starts, not a traceback from a server thread or half-way through a command.
NO_DATABASE_COMMANDS = {
    "check",
    "collectstatic",
    "compilemessages",
    "diffsettings",
    "findstatic",
    "help",
    "makemessages",
    "makemigrations",
    "startapp",
    "startproject",
    "test",
    "version",
}
# Long-running commands check for tables before they start: otherwise a missing table shows up
# later as a traceback in a server thread or the worker loop. Other commands that meet a missing
# table end with the same sentence through explain_database_error.
NEEDS_TABLES_COMMANDS = {"db_worker", "runserver", "serve"}


def needs_database(argv: list[str]) -> bool:
    if len(argv) < 2 or argv[1].startswith("-") or argv[1] in NO_DATABASE_COMMANDS:
        return False
    return not {"-h", "--help", "--version"} & set(argv[2:])


def require_migrated_database(connection) -> None:
    from django.db.migrations.recorder import MigrationRecorder

    from tumaini.startup import StartupError

    if not MigrationRecorder(connection).has_table():
        raise StartupError(
            "the database has no tables yet; run: .venv/bin/python manage.py migrate"
        )


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tumaini.settings")
    from tumaini.startup import StartupError, explain_database_error

    try:
        if needs_database(sys.argv):
            import django
            from django.db import connection

            django.setup()
            connection.ensure_connection()
            if sys.argv[1] in NEEDS_TABLES_COMMANDS:
                require_migrated_database(connection)
        from django.core.management import execute_from_command_line

        execute_from_command_line(sys.argv)
    except StartupError as exc:
        sys.stderr.write(f"Tumaini cannot start: {exc}\n")
        sys.exit(2)
    except Exception as exc:
        sentence = explain_database_error(exc)
        if sentence is None:
            raise
        sys.stderr.write(f"Tumaini cannot start: {sentence}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
