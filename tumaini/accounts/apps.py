from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tumaini.accounts"
    label = "accounts"

    def ready(self) -> None:
        from tumaini.accounts import policies, signals  # noqa: F401  (registers rules and handlers)
