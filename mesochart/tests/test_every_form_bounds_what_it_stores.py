"""Every text field of every form is no longer than the model field its value is stored in,
so a too-long value is the form's own refusal and never the database's (PostgreSQL refuses a
string past a column's length with a 500; SQLite would store it).

A ModelForm's model is its ``Meta.model``. A hand-written form names, in ``WRITES``, the models
its values are stored in and any field stored under another name (None: a value that is not
stored as typed, such as a password that is hashed); a new hand-written form with a text field
fails here until it is listed."""

import importlib
import pkgutil

from django import forms
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

import mesochart

WRITES: dict[str, tuple[tuple[str, ...], dict[str, str | None]]] = {
    "accounts.forms.NewStaffForm": (("accounts.User",), {"password": None}),
    "accounts.forms.PasswordChangeForm": ((), {}),
    "accounts.forms.SignInForm": ((), {}),  # looks a user up, stores nothing
    "accounts.forms.TokenForm": (("accounts.ApiToken",), {}),
    "accounts.forms.TotpForm": ((), {}),
    "audit.views.ReportFilter": ((), {}),  # a filter
    "consent.forms.AcknowledgementForm": (("consent.Acknowledgement",), {"key": "finding_key"}),
    "consent.forms.AreaForm": (("consent.QuestionnaireResponse", "consent.Screening"), {}),
    "consent.forms.PolicyForm": ((), {}),  # JSON rules
    "consent.forms.SignForm": (("consent.Consent",), {}),
    "consent.forms.TargetForm": (("consent.Consent", "consent.Screening"), {}),
    "consent.forms.TemplateForm": (
        ("consent.ConsentTemplate", "consent.ConsentTemplateVersion"),
        {},
    ),
    "consent.forms.WithdrawForm": (("consent.Consent",), {"reason": "withdrawal_reason"}),
    "formulary.forms.CocktailForm": (("formulary.Cocktail", "formulary.CocktailVersion"), {}),
    "formulary.forms.CompositionForm": (("formulary.Composition",), {}),
    "formulary.forms.HoldForm": (("formulary.LotHold",), {}),
    "formulary.forms.MovementForm": (("formulary.StockMovement",), {}),
    "formulary.forms.ReceiveLotForm": (("formulary.Lot", "formulary.StockMovement"), {}),
    "outcomes.forms.OutcomeValueForm": (("outcomes.OutcomeValue",), {}),
    "patients.forms.VoidForm": (
        ("patients.Patient", "patients.Allergy"),
        {"reason": "void_reason"},
    ),
    "photos.forms.PhotoForm": (("photos.Photo",), {"keep_reason": "kept_reason"}),
    "planning.aftercare.AftercareForm": (("planning.AftercareSheet",), {}),
    "planning.forms.CalendarForm": ((), {}),  # closed dates, parsed
    "scheduling.forms.BookForm": (("scheduling.Appointment",), {}),
    "scheduling.forms.CancelForm": (("scheduling.Appointment",), {"reason": "cancel_reason"}),
    "scheduling.forms.MoveForm": (("scheduling.Appointment",), {}),
    "scheduling.forms_setup.LeaveForm": (("scheduling.Leave",), {}),
    "scheduling.forms_setup.RoomForm": (("scheduling.Room",), {}),
    "scheduling.forms_setup.TypeForm": (("scheduling.AppointmentType",), {}),
    "treatments.forms.AmendmentForm": (("treatments.Amendment",), {}),
    "treatments.forms.ProductRowForm": ((), {}),  # a barcode, parsed into a lot
    "treatments.forms.SuspectsAmendmentForm": (("treatments.Amendment",), {}),
    "treatments.forms._EventForm": (("treatments.AdverseEvent",), {}),
}


def _of_the_app(module: str) -> bool:
    """A module of the application, not of its tests (whose forms exist only to be tested
    and may already be imported by the time this runs)."""
    return module.startswith("mesochart.") and not any(
        part in module for part in (".tests", ".e2e", ".migrations")
    )


def _form_classes():
    for found in pkgutil.walk_packages(mesochart.__path__, "mesochart."):
        if _of_the_app(found.name):
            importlib.import_module(found.name)
    pending, seen = [forms.BaseForm], set()
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if _of_the_app(sub.__module__) and sub not in seen:
                seen.add(sub)
                yield sub


def _name(form) -> str:
    return f"{form.__module__.removeprefix('mesochart.')}.{form.__name__}"


def _text_fields(form):
    return {
        name: field
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField)
    }


def _stored_in(form) -> tuple[list, dict]:
    model = getattr(getattr(form, "_meta", None), "model", None)
    labels, renames = WRITES.get(_name(form), ((), {}))
    return [model] if model else [apps.get_model(label) for label in labels], renames


def _too_long(form) -> list[str]:
    targets, renames = _stored_in(form)
    wrong = []
    for name, field in _text_fields(form).items():
        column = renames.get(name, name)
        for model in targets:
            try:
                stored = model._meta.get_field(column) if column else None
            except FieldDoesNotExist:
                continue
            if not isinstance(stored, models.CharField) or not stored.max_length:
                continue
            if field.max_length is None or field.max_length > stored.max_length:
                wrong.append(
                    f"{_name(form)}.{name}: max_length {field.max_length}, "
                    f"{model._meta.label}.{column} holds {stored.max_length}"
                )
    return wrong


def test_every_text_field_fits_the_column_it_is_stored_in():
    assert [line for form in _form_classes() for line in _too_long(form)] == []


def test_every_hand_written_form_with_text_names_what_it_stores():
    unlisted = [
        _name(form)
        for form in _form_classes()
        if not issubclass(form, forms.ModelForm)
        and _text_fields(form)
        and _name(form) not in WRITES
    ]
    assert unlisted == []


def test_the_list_names_only_forms_that_exist():
    assert set(WRITES) - {_name(form) for form in _form_classes()} == set()
