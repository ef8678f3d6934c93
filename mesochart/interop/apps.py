from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "mesochart.interop"
    label = "interop"
    verbose_name = "Export, import and backups"
