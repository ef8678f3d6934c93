"""The menu offers each role the pages it may open, and no others: protocols to the clinical
roles, opening days to an admin, the lot recall to practitioners and admins."""

import pytest
from django.urls import reverse

from mesochart.accounts.roles import Role

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

PAGES = {
    "Protocols": "planning:protocols",
    "Opening days": "planning:calendar",
    "Recall": "treatments:recall",
}
OFFERED = {
    Role.ADMIN: {"Protocols", "Opening days", "Recall"},
    Role.PRACTITIONER: {"Protocols", "Recall"},
    Role.NURSE: {"Protocols"},
    Role.RECEPTION: set(),
}


def _menu(html: str) -> str:
    return html.split("<nav", 1)[1].split("</nav>", 1)[0]


@pytest.mark.parametrize("role", list(OFFERED))
def test_each_role_is_offered_the_pages_it_may_open(practice, client_for, role):
    browser = client_for(practice.users[role])
    menu = _menu(browser.get("/patients/").content.decode())
    offered = {label for label, name in PAGES.items() if f'href="{reverse(name)}"' in menu}
    assert offered == OFFERED[role]
    for label in offered:
        assert browser.get(reverse(PAGES[label])).status_code == 200
