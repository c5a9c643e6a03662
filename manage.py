#!/usr/bin/env python
"""Django's command-line utility, with start-up problems told in one sentence."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tumaini.settings")
    from tumaini.startup import StartupError, explain_database_error

    try:
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
