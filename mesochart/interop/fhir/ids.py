"""Identities inside a Bundle: a resource's ``urn:uuid`` is derived from its organisation,
its type and its row, so exporting the same record twice gives the same references."""

import uuid

NAMESPACE = uuid.UUID("6f1f5c1e-3b7a-4f0e-9a57-6d2c0f8e4a10")


class Refs:
    def __init__(self, organisation_slug: str):
        self.scope = organisation_slug

    def id(self, kind: str, key) -> str:
        return str(uuid.uuid5(NAMESPACE, f"{self.scope}/{kind}/{key}"))

    def url(self, kind: str, key) -> str:
        return f"urn:uuid:{self.id(kind, key)}"

    def ref(self, kind: str, key, display: str | None = None) -> dict:
        reference = {"reference": self.url(kind, key)}
        if display:
            reference["display"] = display
        return reference
