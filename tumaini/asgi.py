import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tumaini.settings")

from tumaini.startup import StartupError  # noqa: E402

try:
    from django.core.asgi import get_asgi_application

    application = get_asgi_application()
except StartupError as exc:
    sys.stderr.write(f"Tumaini cannot start: {exc}\n")
    raise SystemExit(2) from None
