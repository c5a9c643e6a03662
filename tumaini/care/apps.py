from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "tumaini.care"
    label = "care"
    verbose_name = "Care services"

    def ready(self) -> None:
        # Resources, periodic jobs, and the case page parts and home panels.
        from tumaini.care import parts, policies, tasks  # noqa: F401
