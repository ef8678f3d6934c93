"""Text-message channels for reminders, chosen by ``settings.SCHEDULING_TEXT_BACKEND``
(``MESOCHART_TEXT_BACKEND`` in the environment: the dotted path of a class).

The interface is `TextBackend`: a class made without arguments, whose ``send(to, body)``
delivers one message or raises (the worker then retries; `reminders` claims each reminder
before sending, so a retry never sends twice). Shipped:

- `ConsoleText`, the default: prints, like Django's console email backend;
- `FileText`: appends one JSON line per message to ``SCHEDULING_TEXT_FILE``
  (``MESOCHART_TEXT_FILE``, default ``var/texts.jsonl``), for tests and a practice trying
  reminders out before it has a provider;
- `MemoryText`: keeps messages in a list, for unit tests.

No provider's backend is shipped: a practice writes the few lines that call its SMS
provider's client in ``send`` and names the class in the setting.
"""

import json
import sys
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string


class TextBackend(Protocol):
    def send(self, to: str, body: str) -> None:
        """Deliver ``body`` to the phone number ``to``; raise if it did not go."""


class ConsoleText:
    def send(self, to: str, body: str) -> None:
        sys.stdout.write(f"[text to {to}] {body}\n")


class FileText:
    """One JSON object per line: ``{"to", "body", "at"}`` (the moment, ISO 8601, UTC)."""

    def __init__(self) -> None:
        self.path = Path(settings.SCHEDULING_TEXT_FILE)

    def send(self, to: str, body: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = {"to": to, "body": body, "at": timezone.now().isoformat()}
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


class MemoryText:
    """Keeps what would be sent, for tests."""

    outbox: list[tuple[str, str]] = []

    def send(self, to: str, body: str) -> None:
        self.outbox.append((to, body))


def text_backend() -> TextBackend:
    """The configured backend; a path that names no class with ``send`` is refused by name."""
    path = settings.SCHEDULING_TEXT_BACKEND
    try:
        backend = import_string(path)()
    except ImportError as error:
        raise ImproperlyConfigured(f"SCHEDULING_TEXT_BACKEND: cannot import {path}") from error
    if not callable(getattr(backend, "send", None)):
        raise ImproperlyConfigured(f"SCHEDULING_TEXT_BACKEND: {path} has no send(to, body)")
    return backend
