from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PlanningConfig(AppConfig):
    name = "mesochart.planning"
    label = "planning"
    verbose_name = "Planning"

    def ready(self) -> None:
        from mesochart.planning.protocols import sync_after_migrate

        # Shipped protocols are reference data, like the formulary's: every migrate (and every
        # flush in the tests) brings them in line with protocols.SHIPPED.
        post_migrate.connect(sync_after_migrate, sender=self, dispatch_uid="planning-protocols")
