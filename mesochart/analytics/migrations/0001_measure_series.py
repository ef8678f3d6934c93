"""The read model of analytics, filled from the values and signed sessions already held.

The derivation and the pseudonym are written out here as they are now (a migration is a
snapshot; the live ones are `mesochart.analytics.series_table.derived` and
`mesochart.analytics.rows.pseudonym`).
"""

import hashlib
import hmac
from zoneinfo import ZoneInfo

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def pseudonym(organisation_id, patient_id):
    key = settings.ANALYTICS_PSEUDONYM_KEY.encode()
    mac = hmac.new(key, f"{organisation_id}:{patient_id}".encode(), hashlib.sha256)
    return mac.hexdigest()[:16]


def fill(apps, schema_editor):
    Plan = apps.get_model("planning", "Plan")
    Session = apps.get_model("treatments", "TreatmentSession")
    Value = apps.get_model("outcomes", "OutcomeValue")
    Series = apps.get_model("analytics", "MeasureSeries")
    FollowUp = apps.get_model("analytics", "FollowUp")
    plans = {
        pk: (clinic, patient, ZoneInfo(zone), pseudonym(organisation, patient))
        for pk, clinic, patient, zone, organisation in Plan.objects.values_list(
            "pk", "clinic_id", "patient_id", "clinic__time_zone", "clinic__organisation_id"
        )
    }
    last = {}
    signed = Session.objects.filter(status="signed").order_by("started_at", "pk")
    for plan_id, pk, started in signed.values_list("plan_id", "pk", "started_at"):
        last[plan_id] = (pk, started.astimezone(plans[plan_id][2]).date())
    values = (
        Value.objects.filter(value__isnull=False, amended_by__isnull=True, not_measured_reason="")
        .order_by("plan_id", "measure", "measured_on", "pk")
        .values_list("plan_id", "measure", "measured_on", "value", "context", "site", "area")
    )
    by_key = {}
    for plan_id, measure, day, value, context, site, area in values.iterator(chunk_size=2000):
        by_key.setdefault((plan_id, measure), []).append((day, float(value), context, site, area))
    made = []  # (series, its follow-ups), inserted in bulk: two queries per thousand, not per row
    for (plan_id, measure), rows in by_key.items():
        baselines = [row for row in rows if row[2] == "baseline"]
        if not baselines:
            continue
        on, baseline, _context, site, area = baselines[-1]
        clinic_id, patient_id, _zone, key = plans[plan_id]
        session_id, last_day = last.get(plan_id, (None, None))
        series = Series(
            clinic_id=clinic_id, patient_id=patient_id, patient_key=key, plan_id=plan_id,
            measure=measure, site=site, area=area, baseline_on=on, baseline=baseline,
            last_session_id=session_id, last_session_day=last_day,
        )
        follow_ups = [
            ((day - last_day).days, value)
            for day, value, context, at, _area in rows
            if context != "baseline" and at == site and last_day and day >= last_day
        ]
        made.append((series, follow_ups))
    Series.objects.bulk_create([series for series, _ in made], batch_size=1000)
    FollowUp.objects.bulk_create(
        (
            FollowUp(series_id=series.pk, days=days, value=value)
            for series, follow_ups in made
            for days, value in follow_ups
        ),
        batch_size=1000,
    )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0004_user_and_clinic_language'),
        ('patients', '0004_language'),
        ('planning', '0005_approved_plans_name_their_approver'),
        ('treatments', '0007_signed_sessions_name_their_signer'),
        ('outcomes', '0002_clinic_items'),
    ]

    operations = [
        migrations.CreateModel(
            name='MeasureSeries',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('patient_key', models.CharField(max_length=16)),
                ('measure', models.CharField(max_length=40)),
                ('site', models.CharField(blank=True, max_length=200)),
                ('area', models.CharField(blank=True, max_length=100)),
                ('baseline_on', models.DateField()),
                ('baseline', models.FloatField()),
                ('last_session_day', models.DateField(null=True)),
                ('clinic', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.clinic')),
                ('last_session', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='treatments.treatmentsession')),
                ('patient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='patients.patient')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='planning.plan')),
            ],
        ),
        migrations.CreateModel(
            name='FollowUp',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('days', models.IntegerField()),
                ('value', models.FloatField()),
                ('series', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='follow_ups', to='analytics.measureseries')),
            ],
        ),
        migrations.AddIndex(
            model_name='measureseries',
            index=models.Index(fields=['clinic', 'measure', 'baseline_on'], name='measure_series_clinic'),
        ),
        migrations.AddConstraint(
            model_name='measureseries',
            constraint=models.UniqueConstraint(fields=('plan', 'measure'), name='measure_series_of_plan'),
        ),
        migrations.AddIndex(
            model_name='followup',
            index=models.Index(fields=['series', 'days', 'value'], name='follow_up_of_series'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
