"""Every JSON answer of the API is described by a schema in the OpenAPI document, so a
client knows each field it gets: no operation answers a bare ``dict`` (issue 13); a new
operation answering a bare object fails here.
"""

from mesochart.api import api


def _untyped(schema: dict) -> bool:
    if "$ref" in schema:
        return False
    if schema.get("type") == "array":
        return _untyped(schema.get("items", {}))
    if schema.get("type") == "object":
        return not schema.get("properties")
    return not schema


def bare_operations(document: dict) -> set[tuple[str, str]]:
    bare = set()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation.get("responses", {}).items():
                schema = answer.get("content", {}).get("application/json", {}).get("schema")
                if str(status).startswith("2") and schema is not None and _untyped(schema):
                    bare.add((method, path))
    return bare


def test_every_json_answer_is_a_schema():
    assert bare_operations(api.get_openapi_schema()) == set()


def test_a_bare_dict_answer_is_caught():
    document = {
        "paths": {
            "/api/v1/x": {
                "get": {"responses": {200: {"content": {"application/json": {"schema": {
                    "type": "object", "additionalProperties": True}}}}}},
                "post": {"responses": {201: {"content": {"application/json": {"schema": {
                    "$ref": "#/components/schemas/X"}}}}}},
            }
        }
    }  # fmt: skip
    assert bare_operations(document) == {("get", "/api/v1/x")}
