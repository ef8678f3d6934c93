from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "mesochart.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes"
