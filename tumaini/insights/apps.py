from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "tumaini.insights"
    label = "insights"
    verbose_name = "Needs assessment and statistics"

    def ready(self) -> None:
        from tumaini.insights import policies, tasks  # noqa: F401  (resources, tasks)
