"""Rules every API input obeys before any endpoint sees it, so that what the database or the
encoder cannot hold is a 422 naming the field, never a 500 from deep inside a write.

- no NUL characters (PostgreSQL cannot store them in text or JSON) and no lone surrogates
  (not UTF-8: no database can store them);
- integers within 64 bits (the widest column; Python's own are unbounded);
- strings of at most ``MAX_TEXT`` characters (the longest note a form accepts is 5,000;
  fields with a tighter limit check it in their form).
"""

import contextlib
import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse

MAX_TEXT = 20_000
RULES = {404: "not found", 405: "method not allowed", 500: "internal server error"}
INT64 = (-(2**63), 2**63 - 1)


def problems_of(value, where: str = "") -> list[tuple[str, str]]:
    """``(field, rule)`` for each value in a parsed JSON document that breaks a rule."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            found += _text(str(key), path) + problems_of(item, path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += problems_of(item, f"{where}[{index}]")
    elif isinstance(value, bool):
        pass
    elif isinstance(value, int) and not INT64[0] <= value <= INT64[1]:
        found.append((where, "must be a whole number that fits in 64 bits"))
    elif isinstance(value, str):
        found += _text(value, where)
        if len(value) > MAX_TEXT:
            found.append((where, f"must be at most {MAX_TEXT} characters"))
    return found


def _text(text: str, where: str) -> list[tuple[str, str]]:
    if "\x00" in text:
        return [(where, "must not contain NUL characters")]
    if any("\ud800" <= c <= "\udfff" for c in text):
        return [(where, "must be valid Unicode (no lone surrogates)")]
    return []


class ApiInputMiddleware:
    """Applies the rules above to every ``/api/`` request's JSON body and query string, and
    answers a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` with 413, all in the API's JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        refused = self._refusal(request)
        if refused is not None:
            return refused
        response = self.get_response(request)
        if response.status_code >= 400 and response.get("Content-Type", "").startswith("text/html"):
            # Django's own pages (a path no route matches, a method, a crash outside the
            # API's handlers): the API answers in its JSON all the same.
            rule = RULES.get(response.status_code, "request refused")
            return _answer(response.status_code, [("", rule)])
        return response

    def _refusal(self, request):
        found = self._query(request)
        if request.content_type == "application/json" and request.method != "GET":
            try:
                body = request.body
            except RequestDataTooBig:
                limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
                return _answer(413, [("body", f"must be at most {limit} bytes")])
            if body:
                # Not JSON: django-ninja answers 400 in the API's format.
                with contextlib.suppress(ValueError, UnicodeDecodeError):
                    found += problems_of(json.loads(body))
        return _answer(422, found) if found else None

    @staticmethod
    def _query(request) -> list[tuple[str, str]]:
        found = []
        for key, values in request.GET.lists():
            for item in values:
                found += _text(item, key)
                digits = item.lstrip("-")
                if digits.isdigit() and len(digits) > 18 and not INT64[0] <= int(item) <= INT64[1]:
                    found.append((key, "must be a whole number that fits in 64 bits"))
        return found


def _answer(status: int, found: list[tuple[str, str]]) -> JsonResponse:
    errors = [{"field": field, "rule": rule} for field, rule in found]
    detail = "; ".join(f"{e['field']}: {e['rule']}" if e["field"] else e["rule"] for e in errors)
    return JsonResponse({"detail": detail, "errors": errors}, status=status)
