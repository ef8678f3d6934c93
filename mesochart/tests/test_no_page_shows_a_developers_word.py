"""Staff read the clinic's words on every page, never a developer's: no field name or code
(``site_infection``, ``gais_subject``), no region slug (``thigh-posterior-left``), no file
name (``reference.md``). Every page of the synthetic demo practice is opened as a
practitioner and its visible text (not its attributes, scripts or styles) is read.

The API keeps its codes: it is for machines, and is not read here."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import NoReverseMatch, reverse

from mesochart.accounts.models import Membership
from mesochart.accounts.roles import Role
from mesochart.planning.areas import views
from mesochart.tests.test_every_read_is_audited import (
    NOT_HEALTH_DATA,
    PAGE_QUERIES,
    PAGES,
    _seed,
)

pytestmark = pytest.mark.django_db

SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
FILE_NAME = re.compile(r"\b[\w-]+\.(?:md|py|json|html)\b")
HIDDEN = {"script", "style", "template"}


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in HIDDEN

    def handle_endtag(self, tag):
        self.hidden -= tag in HIDDEN

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def developers_words(text: str, slugs: set[str]) -> list[str]:
    words = [m[0] for m in SNAKE_CASE.finditer(text)] + [m[0] for m in FILE_NAME.finditer(text)]
    return words + [slug for slug in slugs if re.search(rf"(?<![\w-]){slug}(?![\w-])", text)]


def _pages(seeded):
    """Each page as the practitioner, then the pages of no one object as the clinic's admin
    too (staff, tokens, the audit log, the calendar's set-up)."""
    for name, arguments in PAGES.items():
        query = PAGE_QUERIES.get(name, lambda s: "")(seeded)
        yield seeded.membership.user, name, reverse(name, kwargs=arguments(seeded)) + query
    admin = Membership.objects.filter(clinic=seeded.membership.clinic, role=Role.ADMIN).first()
    for user in (seeded.membership.user, admin.user):
        for name in sorted(NOT_HEALTH_DATA):
            try:
                yield user, name, reverse(name)
            except NoReverseMatch:
                continue  # a page of one object: its health-data twin above is read


def test_the_scan_finds_a_field_name_a_slug_and_a_file_name():
    text = visible_text(
        '<p title="site_infection">Infection at the treatment site</p>'
        "<p>site_infection: is required</p><p>thigh-posterior-left</p>"
        "<p>reference.md › Screening</p><script>let gais_subject = 1;</script>"
    )
    assert developers_words(text, {"thigh-posterior-left"}) == [
        "site_infection",
        "reference.md",
        "thigh-posterior-left",
    ]


def test_no_page_of_the_demo_shows_a_field_name_a_region_slug_or_a_file_name(client_for):
    seeded = _seed()
    browsers: dict = {}
    # A one-word slug ("chin") is also the region's name; a slug of several words is not.
    slugs = {r.slug for view in views().values() for r in view.regions if "-" in r.slug}
    shown, read = [], set()
    for user, name, url in _pages(seeded):
        browser = browsers.get(user) or browsers.setdefault(user, client_for(user))
        response = browser.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        read.add((user.pk, name))
        text = visible_text(response.content.decode())
        shown += [f"{name}: {word}" for word in developers_words(text, slugs)]
    assert len(read) > 60 and ("audit:report" in {name for _, name in read})  # the walk ran
    assert shown == [], "\n".join(shown)
