"""The OpenAPI schema is correct: no two schema classes share a name (one would silently
replace the other in the document), and every operation declares the error answers it
can give, in the API's one error format (issue 14, Low)."""

from collections import defaultdict

from ninja import Schema

from mesochart.api import ERRORS, api


def schema_classes(base=Schema):
    for sub in base.__subclasses__():
        if sub.__module__.startswith("mesochart"):
            yield sub
        yield from schema_classes(sub)


def test_no_two_schema_classes_share_a_name():
    modules = defaultdict(set)
    for cls in schema_classes():
        modules[cls.__name__].add(cls.__module__)
    assert {name: found for name, found in modules.items() if len(found) > 1} == {}


def test_every_operation_declares_the_shared_error_answers():
    document = api.get_openapi_schema()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            declared = {int(status) for status in operation["responses"]}
            assert set(ERRORS) <= declared, f"{method.upper()} {path}"
