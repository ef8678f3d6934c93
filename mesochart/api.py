"""The JSON API at /api/v1/: one NinjaAPI, one router per app, one error format.

Every error names the field and the rule: ``{"detail": "date_of_birth: must not be in the
future", "errors": [{"field": "date_of_birth", "rule": "must not be in the future"}]}``.
``field`` and ``rule`` are stable English codes whatever the caller's language; ``detail``
says the same in the language of Accept-Language (``date_of_birth : ne doit pas être dans le
futur``).
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_noop
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

from mesochart.accounts.api_auth import TokenAuth, VerifiedSessionAuth

log = logging.getLogger("mesochart.api")

ERROR = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "rule": {"type": "string"}},
                "required": ["field", "rule"],
            },
        },
    },
    "required": ["detail", "errors"],
}
# What any endpoint may answer besides its own statuses, all in the one error format.
ERRORS = {
    400: "The body is not JSON",
    401: "No valid token or verified session",
    403: "Your role may not do this",
    404: "Not found in your clinic",
    405: "Method not allowed",
    413: "The body is over the size limit",
    422: "A field breaks a rule (`field: rule`)",
    500: "Internal server error",
}


class MesochartAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The schema with the shared error answers declared on every operation."""
        schema = super().get_openapi_schema(*args, **kwargs)
        schema["components"].setdefault("schemas", {})["Error"] = ERROR
        content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERRORS.items():
                    if status not in responses and str(status) not in responses:
                        responses[status] = {"description": description, "content": content}
        return schema


api = MesochartAPI(
    title="mesochart API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), VerifiedSessionAuth()],
    docs_url="/docs",
)


def _say(message, params=None) -> str:
    """A rule in the active language: a lazy message is rendered now, a plain English one
    is looked up in the catalogue (it stays English when it has no translation)."""
    text = str(message) if isinstance(message, Promise) else translation.gettext(message)
    return text % params if params else text


def _error_response(request, status: int, errors: list[dict], said=None):
    """``said``: the (message, params) each rule was made from, when known."""
    said = said or [(e["rule"], None) for e in errors]
    with translation.override(getattr(request, "detail_language", None)):
        lines = [
            f"{e['field']}: {_say(*m)}" if e["field"] else _say(*m)
            for e, m in zip(errors, said, strict=True)
        ]
    return api.create_response(
        request, {"detail": "; ".join(lines), "errors": errors}, status=status
    )


def _each(exc: DjangoValidationError):
    """(field, error) of every rule, the error keeping its message and params."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                yield field, error
    else:
        for error in exc.error_list:
            yield "", error


@api.exception_handler(DjangoValidationError)
def _django_validation(request, exc: DjangoValidationError):
    pairs = list(_each(exc))
    with translation.override(settings.LANGUAGE_CODE):
        errors = [{"field": field, "rule": next(iter(error))} for field, error in pairs]
    said = [(error.message, error.params) for _, error in pairs]
    return _error_response(request, 422, errors, said)


def _field_of(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "data")]
    return ".".join(parts)


@api.exception_handler(SchemaValidationError)
def _schema_validation(request, exc: SchemaValidationError):
    errors = [
        {
            "field": _field_of(e.get("loc", ())),
            "rule": e.get("msg", gettext_noop("is not valid")).lower(),
        }
        for e in exc.errors
    ]
    return _error_response(request, 422, errors)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc: PermissionDenied):
    return _error_response(
        request, 403, [{"field": "", "rule": str(exc) or gettext_noop("forbidden")}]
    )


@api.exception_handler(Http404)
def _not_found(request, exc: Http404):
    return _error_response(request, 404, [{"field": "", "rule": gettext_noop("not found")}])


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    """Other refusals by django-ninja itself, such as a body that is not JSON (400), or by an
    endpoint naming its field (``exc.field``)."""
    field = getattr(exc, "field", "")
    return _error_response(request, exc.status_code, [{"field": field, "rule": str(exc)}])


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    rule = gettext_noop("must be at most 2.5 MB")
    return _error_response(request, 413, [{"field": "body", "rule": rule}])


@api.exception_handler(Exception)
def _server_error(request, exc):
    """Whatever else went wrong: logged with its traceback, answered in the API's own JSON
    (never Django's HTML page), with nothing about the failure in the answer."""
    log.exception("API error on %s %s", request.method, request.path)
    return _error_response(
        request, 500, [{"field": "", "rule": gettext_noop("internal server error")}]
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error_response(
        request, 401, [{"field": "", "rule": gettext_noop("authentication required")}]
    )


# Before the patients router: its "/{patient_id}/{kind}" would otherwise take these paths.
api.add_router("", "mesochart.photos.api.router")
api.add_router("/patients", "mesochart.interop.api.router")
api.add_router("/fhir", "mesochart.interop.api.codes")
api.add_router("/patients", "mesochart.consent.api.router")
api.add_router("", "mesochart.treatments.api_records.router")
api.add_router("", "mesochart.outcomes.api.router")
api.add_router("", "mesochart.outcomes.api_items.router")
api.add_router("/analytics", "mesochart.analytics.api.router")
api.add_router("/patients", "mesochart.patients.api.router")
api.add_router("/formulary", "mesochart.formulary.api.router")
api.add_router("/plans", "mesochart.formulary.plans_api.router")
api.add_router("", "mesochart.treatments.api.router")
api.add_router("", "mesochart.treatments.api_corrections.router")
api.add_router("", "mesochart.planning.api.router")
api.add_router("/tokens", "mesochart.accounts.api.router")
api.add_router("/schedule", "mesochart.scheduling.api.router")
api.add_router("/schedule", "mesochart.scheduling.api_setup.router")
