from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "tumaini.care"
    label = "care"
    verbose_name = "Care services"
