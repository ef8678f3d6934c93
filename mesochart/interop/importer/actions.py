"""`import_patient_bundle`: a patient's FHIR Bundle into an organisation that does not hold
them yet, in one transaction (with the plans' analytics series), audited by one row that
names what was created. Refused, it
leaves nothing behind (`ImportRefused`: each problem a FHIR path and its rule)."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from mesochart.analytics import series_table
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.interop.importer import (
    care,
    history,
    media,
    medication,
    outcomes,
    people,
    questionnaires,
    sessions,
)
from mesochart.interop.importer.context import Context
from mesochart.interop.importer.errors import ImportRefused
from mesochart.interop.importer.source import Source
from mesochart.photos import storage
from mesochart.planning.models import Plan

if TYPE_CHECKING:
    from mesochart.patients.models import Patient

FORMAT = "FHIR R4 Bundle"
# In this order: each family reads the rows the earlier ones wrote.
STEPS = (
    people.import_people,
    history.import_history,
    medication.import_medications,
    care.import_plans,
    questionnaires.import_responses,
    care.import_consents,
    sessions.import_sessions,
    care.import_events,
    outcomes.import_outcomes,
    media.import_photos,
)


@dataclass(frozen=True)
class Imported:
    patient: "Patient"
    created: dict[str, int]


def import_patient_bundle(
    organisation, bundle: dict, actor=None, via: str = "", files: Mapping[str, bytes] | None = None
) -> Imported:
    """``files``: the files beside the Bundle by their path (a whole-record zip's photos)."""
    source = Source(bundle)
    context = Context(organisation, source, files)
    try:
        return _import(context, actor, via)
    except BaseException:
        for name in context.stored:  # the photos' files of an import that did not happen
            storage.delete_quietly(name)
        raise


def _import(context: Context, actor, via: str) -> Imported:
    try:
        with transaction.atomic():
            for step in STEPS:
                step(context)
            plans = Plan.objects.filter(patient=context.patient).values_list("pk", flat=True)
            series_table.refresh(plans)
            created = dict(sorted(context.created.items()))
            record(
                actor,
                Action.CREATE,
                Category.CLINICAL,
                clinic=context.patient.clinic,
                patient=context.patient,
                obj=context.patient,
                detail={"import": FORMAT, "via": via, "created": created},
            )
    except (KeyError, IndexError, TypeError, ValueError, ArithmeticError) as error:
        raise ImportRefused(
            [(_where(context), f"lacks what mesochart reads here ({error})")]
        ) from error
    except IntegrityError as error:
        raise ImportRefused(
            [(_where(context), "repeats a row the Bundle already holds")]
        ) from error
    return Imported(context.patient, created)


def _where(context: Context) -> str:
    return context.current.path if context.current else "Bundle"
