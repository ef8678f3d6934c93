"""The series lists the follow-up visits due after its last session, on the protocol's
schedule (the defaults when it names none), and says when one was seen."""

from datetime import date

import time_machine

from mesochart.outcomes import actions as outcomes
from mesochart.planning import actions
from mesochart.planning.models import Protocol
from mesochart.testing.plans import new_plan

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

TODAY = date(2026, 3, 2)


@time_machine.travel(TODAY)
def test_the_series_lists_the_follow_ups_from_the_protocols_schedule(practice, client_for):
    """Tranexamic acid weekly × 6 from Monday 2 March: the last session is 6 April."""
    plan = new_plan(practice, "melasma-tranexamic-weekly")
    actions.propose_series(practice.actor(practice.practitioner), plan, {"first_date": TODAY})
    assert plan.sessions.last().date == date(2026, 4, 6)
    page = client_for(practice.nurse).get(f"/plans/{plan.pk}/").content.decode()
    follow_ups = page.split('class="items pl-follow-ups"')[1].split("</ul>")[0]
    assert '4 weeks after the last session: <time datetime="2026-05-04">' in follow_ups
    assert '3 months after the last session: <time datetime="2026-07-06">' in follow_ups
    assert '6 months after the last session: <time datetime="2026-10-06">' in follow_ups
    assert "The protocol's schedule." in page


@time_machine.travel(TODAY)
def test_a_clinics_own_schedule_and_a_follow_up_seen(practice, client_for):
    plan = new_plan(practice, "melasma-tranexamic-weekly")
    membership = practice.actor(practice.practitioner)
    Protocol.objects.filter(pk=plan.protocol_id).update(follow_ups=[{"weeks": 2}])
    actions.propose_series(membership, plan, {"first_date": TODAY})
    with time_machine.travel(date(2026, 4, 21)):
        outcomes.record_value(membership, plan, {
            "measure": "mmasi", "context": "follow_up", "measured_on": "2026-04-21",
            "items": {"forehead_area": 1}, "rater_role": "practitioner"})  # fmt: skip
        page = client_for(practice.nurse).get(f"/plans/{plan.pk}/").content.decode()
    follow_ups = page.split('class="items pl-follow-ups"')[1].split("</ul>")[0]
    assert follow_ups.count("<li>") == 1
    assert "2 weeks after the last session" in follow_ups and "seen 21 Apr 2026" in follow_ups


@time_machine.travel(TODAY)
def test_without_a_series_no_follow_up_is_listed(practice, client_for):
    plan = new_plan(practice, "melasma-tranexamic-weekly")
    page = client_for(practice.nurse).get(f"/plans/{plan.pk}/").content.decode()
    assert "pl-follow-ups" not in page
