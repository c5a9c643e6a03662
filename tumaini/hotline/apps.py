from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "tumaini.hotline"
    label = "hotline"
    verbose_name = "Hotline desk"
