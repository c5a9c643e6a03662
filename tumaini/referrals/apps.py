from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "tumaini.referrals"
    label = "referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        # Resources and periodic jobs (the case part and home panels register with the views).
        from tumaini.referrals import policies, tasks  # noqa: F401
