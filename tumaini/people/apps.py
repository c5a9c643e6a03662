from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "tumaini.people"
    label = "people"

    def ready(self) -> None:
        from tumaini.people import policies, receivers  # noqa: F401
