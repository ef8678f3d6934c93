"""The plan page: its queries do not grow with the points, hostile text is escaped, and
htmx gets the series fragment alone."""

import pytest

from mesochart.planning import actions, grids
from mesochart.testing.plans import new_plan, region

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def chart(count):
    points = grids.generate("body-front", "abdomen", 0.5, width_cm=30, height_cm=20)
    points = points.result.points[:count]
    return [
        region(
            "body-front", "abdomen", points, width_cm=30, height_cm=20, volume_ml=0.1, depth_mm=4
        )
    ]


def test_the_plan_page_queries_do_not_grow_with_the_points(
    practice, pcdc_version, client_for, django_assert_max_num_queries
):
    membership = practice.actor(practice.practitioner)
    client = client_for(practice.practitioner)
    counts = []
    for count in (5, 500):
        plan = new_plan(practice, "lipolysis-pcdc", pcdc_version)
        actions.save_regions(membership, plan, chart(count))
        client.get(f"/plans/{plan.pk}/")  # warm the per-process figure cache
        with django_assert_max_num_queries(20) as captured:
            response = client.get(f"/plans/{plan.pk}/")
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_hostile_text_is_escaped_everywhere(practice, pcdc_version, client_for):
    membership = practice.actor(practice.practitioner)
    plan = new_plan(practice, "lipolysis-pcdc", pcdc_version, title=HOSTILE, notes=HOSTILE)
    actions.save_regions(membership, plan, chart(3))
    client = client_for(practice.practitioner)
    for path in (f"/plans/{plan.pk}/", f"/plans/{plan.pk}/print/", f"/plans/{plan.pk}/edit/"):
        body = client.get(path).content.decode()
        assert "<script>alert" not in body, path
        assert "<img src=x" not in body, path


def test_hostile_view_names_are_refused_not_echoed(practice, pcdc_version):
    plan = new_plan(practice, "lipolysis-pcdc", pcdc_version)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        actions.save_regions(
            practice.actor(practice.practitioner),
            plan,
            [region(HOSTILE, "abdomen", [(0, 95)])],
        )
    assert "regions[0].view" in refused.value.message_dict


def test_htmx_gets_the_series_fragment(practice, pcdc_version, client_for):
    plan = new_plan(practice, "lipolysis-pcdc", pcdc_version)
    client = client_for(practice.practitioner)
    response = client.post(
        f"/plans/{plan.pk}/series/", {"first_date": "2026-03-02"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section class="card pl-series"')
    assert "<html" not in body
    assert plan.sessions.count() == 4


def test_the_print_page_draws_the_points(practice, pcdc_version, client_for):
    plan = new_plan(practice, "lipolysis-pcdc", pcdc_version)
    actions.save_regions(practice.actor(practice.practitioner), plan, chart(12))
    body = client_for(practice.nurse).get(f"/plans/{plan.pk}/print/").content.decode()
    assert body.count('class="pl-point"') == 12
