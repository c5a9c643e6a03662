from django.apps import AppConfig


class JusticeConfig(AppConfig):
    name = "tumaini.justice"
    label = "justice"
    verbose_name = "Access to justice"
