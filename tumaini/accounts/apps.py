from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tumaini.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Registers the access rules and the signal handlers.
        from tumaini.accounts import policies, receivers, signals  # noqa: F401
