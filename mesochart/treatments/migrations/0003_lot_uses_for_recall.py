"""The lots' uses a recall reads (`LotUse`), and those of every session signed before.

Signing writes a session's uses from now on; the sessions already signed get theirs here,
computed as `LotUse.for_signed` does, so a recall still finds every patient who received a
lot, whenever they were treated.
"""

from zoneinfo import ZoneInfo

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

BATCH = 2000


def record_signed_uses(apps, schema_editor):
    SessionProduct = apps.get_model("treatments", "SessionProduct")
    LotUse = apps.get_model("treatments", "LotUse")
    rows = (
        SessionProduct.objects.filter(session__status="signed")
        .order_by("session_id", "position", "pk")
        .values_list(
            "session_id",
            "lot_id",
            "volume_drawn_ml",
            "volume_wasted_ml",
            "session__patient_id",
            "session__practitioner_id",
            "session__started_at",
            "session__areas",
            "session__clinic__time_zone",
        )
    )
    batch, previous, position = [], None, 0
    for session_id, lot_id, drawn, wasted, patient, practitioner, at, areas, zone in rows.iterator(
        chunk_size=BATCH
    ):
        position = position + 1 if session_id == previous else 0
        previous = session_id
        batch.append(
            LotUse(
                lot_id=lot_id,
                session_id=session_id,
                position=position,
                patient_id=patient,
                practitioner_id=practitioner,
                administered_at=at,
                day=timezone.localtime(at, ZoneInfo(zone)).date(),
                areas=areas,
                volume_administered_ml=drawn - wasted,
                volume_wasted_ml=wasted,
            )
        )
        if len(batch) == BATCH:
            LotUse.objects.bulk_create(batch)
            batch = []
    LotUse.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ('formulary', '0002_recall_and_on_hand_indexes'),
        ('patients', '0003_refresh_name_keys'),
        ('treatments', '0002_adverse_event_version_and_follow_ups'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='LotUse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField()),
                ('administered_at', models.DateTimeField()),
                ('day', models.DateField(help_text="the clinic's date of administered_at")),
                ('areas', models.JSONField(default=list)),
                ('volume_administered_ml', models.DecimalField(decimal_places=3, max_digits=8)),
                ('volume_wasted_ml', models.DecimalField(decimal_places=3, max_digits=8)),
                ('lot', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='formulary.lot')),
                ('patient', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='patients.patient')),
                ('practitioner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('session', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='lot_uses', to='treatments.treatmentsession')),
            ],
            options={
                'indexes': [models.Index(fields=['lot', 'administered_at', 'session', 'position', 'patient', 'practitioner', 'day', 'volume_administered_ml', 'volume_wasted_ml', 'areas'], name='tx_lot_use_recall')],
                'constraints': [models.UniqueConstraint(fields=('session', 'position'), name='tx_lot_use_once')],
            },
        ),
        migrations.RunPython(record_signed_uses, migrations.RunPython.noop),
    ]
