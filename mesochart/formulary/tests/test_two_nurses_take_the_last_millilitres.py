"""Two people taking stock from one lot at the same moment: the lot row is locked while a
movement is posted, so the second sees the first's movement and is refused rather than
both succeeding and leaving the lot below zero. PostgreSQL only: the SQLite test database
lives in memory, where row locks cannot be shown."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from mesochart.formulary.actions import on_hand_ml
from mesochart.formulary.tests.conftest import move, receive

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_only_one_of_two_simultaneous_withdrawals_succeeds(practice):
    nurse = practice.actor(practice.nurse)
    admin = practice.actor(practice.admin)
    lot = receive(nurse, "LAST-10", "10")
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def withdraw(membership):
        try:
            start.wait(timeout=10)
            move(membership, lot, "administered", "6")
            outcomes.append("taken")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=withdraw, args=(who,)) for who in (nurse, admin)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == [
        "lot LAST-10 has 4 mL on hand; 6 mL cannot be taken",
        "taken",
    ]
    assert on_hand_ml(lot) == Decimal("4")
