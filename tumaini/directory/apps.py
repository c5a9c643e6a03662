from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "tumaini.directory"
    label = "directory"
    verbose_name = "Partner directory"
