from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "mesochart.patients"
    default_auto_field = "django.db.models.BigAutoField"
