from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tumaini.core"
    label = "core"

    def ready(self) -> None:
        from tumaini.core import policies, schedule  # noqa: F401  (registers resources and jobs)
