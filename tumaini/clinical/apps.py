from django.apps import AppConfig


class ClinicalConfig(AppConfig):
    name = "tumaini.clinical"
    label = "clinical"
    verbose_name = "Counselling and medical records"

    def ready(self) -> None:
        from tumaini.clinical import policies  # noqa: F401  (resources)
