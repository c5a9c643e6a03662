from django.apps import AppConfig


class JusticeConfig(AppConfig):
    name = "tumaini.justice"
    label = "justice"
    verbose_name = "Access to justice"

    def ready(self) -> None:
        from tumaini.justice import policies, tasks  # noqa: F401  (resources and periodic jobs)
