"""Which findings a deviation may sign past (`core.deviation`)."""

from hypothesis import given
from hypothesis import strategies as st

from mesochart.core.deviation import MIN_JUSTIFICATION_CHARS, judge, overridable

WHY = "x" * MIN_JUSTIFICATION_CHARS
OVERRIDABLE = st.sampled_from(
    ["dose.volume_per_injection..", "dose.dose_per_kg.lido.lidocaine", "placement.exclusion.a.b",
     "placement.outside_region.a.b", "extra.hyaluronic-acid"]
)  # fmt: skip
ABSOLUTE = st.sampled_from(
    ["plan", "readiness.screening", "readiness.contraindication.soy", "readiness.consent",
     "readiness.licence", "lot.3", "lots", "trace.dca", "dose", "readiness"]
)  # fmt: skip


def items(keys):
    return [(key, f"finding {key}") for key in keys]


def test_the_dose_engine_and_placement_are_overridable_the_gate_and_lots_never():
    assert overridable("dose.volume_per_session.kybella.")
    assert overridable("placement.exclusion.neck-submental.submental")
    assert not overridable("dose")  # the engine could not run: nothing to sign past
    assert not overridable("readiness.contraindication.soy-allergy")
    assert not overridable("lot.12")


@given(st.lists(OVERRIDABLE, min_size=1), st.text(min_size=MIN_JUSTIFICATION_CHARS))
def test_overridable_findings_with_a_justification_are_signed_as_a_deviation(keys, text):
    found = judge(items(keys), text)
    assert found.allowed == (len(text.strip()) >= MIN_JUSTIFICATION_CHARS)
    if found.allowed:
        assert found.is_deviation and len(found.covered) == len(keys)


@given(st.lists(OVERRIDABLE), st.lists(ABSOLUTE, min_size=1), st.text())
def test_an_absolute_finding_is_never_signed_whatever_is_written(soft, hard, text):
    found = judge(items(soft + hard), text + WHY)
    assert not found.allowed
    assert "cannot be signed as a deviation" in found.errors["deviation"][0]


@given(st.text(max_size=MIN_JUSTIFICATION_CHARS - 1))
def test_a_short_justification_is_refused(text):
    found = judge(items(["dose.volume_per_injection.."]), text)
    assert not found.allowed and "20 characters" in found.errors["deviation"][0]


def test_nothing_open_signs_without_a_deviation():
    assert judge([], None).allowed and not judge([], None).is_deviation
    assert not judge([], WHY).allowed
