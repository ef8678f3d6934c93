"""Data a test module builds once and every one of its tests starts from.

A module that sets ``BUILT_ONCE = True`` gets its practice (and, in the treatments tests, the
ready practice) built once, inside a transaction that stays open for the module and is rolled
back at its end. Each test's own transaction (pytest-django's) is a savepoint inside it: a
test sees the shared rows and never what another test wrote. What a test is handed is a deep
copy, so changing an object in memory does not reach the next test either; the copies of one
test share a memo, so ``ready.practice`` is the test's ``practice``.

This is what Django's ``TestCase.setUpTestData`` does for a class, for pytest's modules. It is
for modules whose tests need no transaction of their own (no ``transactional_db``, no live
server), and count only the rows they write themselves on top of the shared ones.
"""

import copy
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.db import transaction
from django.test import override_settings

T = TypeVar("T")

# Argon2 is deliberately slow; the shared personas are hashed as every test's are.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def built_once(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    """Yield ``build()``'s result, its rows kept until the module ends, then rolled back.
    The database is unblocked only while building and rolling back."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        kept = transaction.atomic()
        kept.__enter__()
        built = build()
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            kept.__exit__(None, None, None)


def handed_out(shared: T, memo: dict[int, Any]) -> T:
    """A test's own copy of ``shared``; copies made with one ``memo`` share their objects."""
    return copy.deepcopy(shared, memo)
