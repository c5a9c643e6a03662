from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "tumaini.directory"
    label = "directory"
    verbose_name = "Partner directory"

    def ready(self) -> None:
        from tumaini.directory import policies  # noqa: F401  (resources)
