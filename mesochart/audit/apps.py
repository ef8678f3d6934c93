from django.apps import AppConfig
from django.db.backends.signals import connection_created


class AuditConfig(AppConfig):
    name = "mesochart.audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mesochart.audit.guard import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="audit_sqlite_guard")
