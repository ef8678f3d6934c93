from django.apps import AppConfig
from django.core.signals import request_finished
from django.db import connections
from django.db.models.signals import post_migrate


def analyze_sqlite(sender, using="default", **kwargs) -> None:
    """Give SQLite's planner statistics; without them it walks whole clinics to avoid a sort.

    Runs after every migrate (so ``mesochart serve`` and upgrades refresh it); capped by
    ``analysis_limit`` so it stays a few milliseconds at 100,000 patients.
    """
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE")


class PatientsConfig(AppConfig):
    name = "mesochart.patients"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mesochart.lib.sqlite import optimize_after_request

        post_migrate.connect(analyze_sqlite, sender=self, dispatch_uid="patients_analyze")
        request_finished.connect(optimize_after_request, dispatch_uid="sqlite_optimize")
