from django.apps import AppConfig
from django.db.models.signals import post_migrate


class FormularyConfig(AppConfig):
    name = "mesochart.formulary"
    label = "formulary"
    verbose_name = "Formulary"

    def ready(self) -> None:
        from mesochart.formulary.reference_sync import sync_after_migrate

        # Reference data, like contenttypes: every migrate (and every flush in the tests)
        # brings the shipped formulary in line with formulary.json.
        post_migrate.connect(sync_after_migrate, sender=self, dispatch_uid="formulary-reference")
