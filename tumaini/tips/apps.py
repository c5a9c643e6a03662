from django.apps import AppConfig


class TipsConfig(AppConfig):
    name = "tumaini.tips"
    label = "tips"
    verbose_name = "Public reports"

    def ready(self) -> None:
        from tumaini.tips import policies, tasks  # noqa: F401  (resources and periodic jobs)
