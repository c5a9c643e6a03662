from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "tumaini.hotline"
    label = "hotline"
    verbose_name = "Hotline desk"

    def ready(self) -> None:
        from tumaini.hotline import policies  # noqa: F401  (resources)
