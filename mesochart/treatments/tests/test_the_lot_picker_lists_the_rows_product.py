"""Issue 12 defect 6/8: each product row's lot picker on the session page lists only the
lots of that row's product, in date on the day the session is judged (a late entry's
performed day), never every lot of the cocktail."""

import re
from datetime import UTC, date, datetime

import time_machine

from mesochart.testing.plans import DCA, cocktail
from mesochart.testing.sessions import Ready, receive
from mesochart.treatments.models import TreatmentSession


def numbers(body: str) -> list[list[str]]:
    """The lot numbers each ``<select name="lot">`` offers, in page order."""
    selects = re.findall(r'<select name="lot"[^>]*>(.*?)</select>', body, re.S)
    return [re.findall(r"lot (\w+-\w+)", s) for s in selects]


def two_product_session(ready, practice):
    lido = receive(
        practice, product="lidocaine-1pct", lot_number="LID-001", gtin="", quantity_ml=10
    )
    session = ready.start()
    two = cocktail(ready.membership, "DCA with lidocaine", **{DCA: 3, "lidocaine-1pct": 1})
    TreatmentSession.objects.filter(pk=session.pk).update(cocktail_version=two)
    return session, lido


def test_each_row_lists_only_its_products_lots(practice, ready, client_for):
    receive(practice, lot_number="DCA-002")
    session, _lido = two_product_session(ready, practice)
    body = client_for(practice.practitioner).get(f"/sessions/{session.pk}/").content.decode()
    dca_row, lido_row, another = numbers(body)
    assert dca_row == ["DCA-001", "DCA-002"]
    assert lido_row == ["LID-001"]
    assert sorted(another) == ["DCA-001", "DCA-002", "LID-001"]  # a row of no product yet


def test_an_expired_lot_is_not_offered(practice, ready, client_for):
    with time_machine.travel(date(2026, 1, 10), tick=False):
        receive(practice, lot_number="DCA-OLD", expires_on=date(2026, 3, 1))
    session = ready.start()
    body = client_for(practice.practitioner).get(f"/sessions/{session.pk}/").content.decode()
    assert all("DCA-OLD" not in row for row in numbers(body))


def test_a_late_entry_offers_the_lots_in_date_on_the_day_performed(practice, client_for):
    with time_machine.travel(datetime(2026, 2, 10, 9, tzinfo=UTC), tick=False):
        ready = Ready(practice)
        receive(practice, lot_number="DCA-OLD", expires_on=date(2026, 2, 28))
    with time_machine.travel(datetime(2026, 3, 2, 12, tzinfo=UTC), tick=False):
        session = ready.start(performed_at="2026-02-20T10:00", late_entry_reason="paper notes")
        body = client_for(practice.practitioner).get(f"/sessions/{session.pk}/").content.decode()
    (dca_row, _another) = numbers(body)
    assert dca_row == ["DCA-OLD", "DCA-001"]  # in date on 20 February, by expiry
