from django.apps import AppConfig


class TreatmentsConfig(AppConfig):
    name = "mesochart.treatments"
    label = "treatments"
    verbose_name = "Treatment sessions"
