from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "mesochart.analytics"
    label = "analytics"
