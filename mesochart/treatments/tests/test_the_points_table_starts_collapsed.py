"""The session page's table of points (hundreds of rows on a body chart) starts collapsed
under the drawing; the rows are still there for the keyboard and screen readers."""

import re

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_the_points_table_is_collapsed_on_the_session_page(practice, ready, client_for):
    session = ready.start()
    body = client_for(practice.practitioner).get(f"/sessions/{session.pk}/").content.decode()
    details = re.search(r'<details class="pl-points"[^>]*>.*?</details>', body, re.S)
    assert details, "the points table is not in a <details>"
    assert " open" not in details[0].split(">", 1)[0]
    assert "pl-points-table" in details[0]
    assert "The points as a table" in details[0]
