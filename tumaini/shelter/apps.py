from django.apps import AppConfig


class ShelterConfig(AppConfig):
    name = "tumaini.shelter"
    label = "shelter"
    verbose_name = "Shelter"

    def ready(self) -> None:
        from tumaini.shelter import policies  # noqa: F401  (resources)
