"""Text-message channels for reminders: pluggable by ``settings.SCHEDULING_TEXT_BACKEND``.

A backend is a class with ``send(to: str, body: str) -> None`` that raises on failure (the
worker then retries). The default prints to the console, like Django's console email
backend: a practice plugs in its SMS provider's class when it has one.
"""

import sys

from django.conf import settings
from django.utils.module_loading import import_string


class ConsoleText:
    def send(self, to: str, body: str) -> None:
        sys.stdout.write(f"[text to {to}] {body}\n")


class MemoryText:
    """Keeps what would be sent, for tests."""

    outbox: list[tuple[str, str]] = []

    def send(self, to: str, body: str) -> None:
        self.outbox.append((to, body))


def text_backend():
    return import_string(settings.SCHEDULING_TEXT_BACKEND)()
