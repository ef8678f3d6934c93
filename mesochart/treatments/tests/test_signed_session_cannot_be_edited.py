"""A signed session is locked: every write path refuses it with a clear message, and its
stored hash still matches its content."""

import pytest
from django.core.exceptions import ValidationError

from mesochart.testing.sessions import proof
from mesochart.treatments import actions
from mesochart.treatments.content import content_hash

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_signing_stores_the_hash_of_the_canonical_content(ready):
    session = ready.signed()
    session.refresh_from_db()
    assert session.status == "signed"
    assert session.signed_by == ready.practice.practitioner
    assert len(session.content_hash) == 64
    assert session.content_hash == content_hash(session, list(session.products.all()))


@pytest.mark.parametrize(
    "write",
    [
        lambda r, s: actions.save_draft(r.membership, s, {"notes": "changed"}),
        lambda r, s: actions.save_draft(r.membership, s, {"products": []}),
        lambda r, s: actions.sign_session(r.membership, s, reauthentication=proof(r.membership)),
        lambda r, s: actions.void_session(r.membership, s, reason="oops"),
    ],
    ids=["notes", "products", "sign-again", "void"],
)
def test_every_write_path_refuses_a_signed_session(ready, write):
    session = ready.signed()
    before = session.content_hash
    with pytest.raises(ValidationError) as refused:
        write(ready, session)
    assert refused.value.message_dict == {"status": [actions.LOCKED]}
    session.refresh_from_db()
    assert session.content_hash == before == content_hash(session, list(session.products.all()))


def test_a_stale_copy_of_a_signed_session_is_refused_too(ready):
    session = ready.drafted()
    stale = type(session).objects.get(pk=session.pk)
    actions.sign_session(ready.membership, session, reauthentication=proof(ready.membership))
    with pytest.raises(ValidationError) as refused:
        actions.save_draft(ready.membership, stale, {"notes": "late edit"})
    assert refused.value.message_dict == {"status": [actions.LOCKED]}
