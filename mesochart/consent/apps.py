from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "mesochart.consent"
    label = "consent"
    verbose_name = "Screening and consent"
    default_auto_field = "django.db.models.BigAutoField"
