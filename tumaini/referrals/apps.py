from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "tumaini.referrals"
    label = "referrals"
    verbose_name = "Referrals"
