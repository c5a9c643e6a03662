import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tumaini.settings")

from tumaini.startup import StartupError  # noqa: E402

try:
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
except StartupError as exc:
    sys.stderr.write(f"Tumaini cannot start: {exc}\n")
    raise SystemExit(2) from None
