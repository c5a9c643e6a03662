from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "tumaini.cases"
    label = "cases"

    def ready(self) -> None:
        from tumaini.cases import policies  # noqa: F401
