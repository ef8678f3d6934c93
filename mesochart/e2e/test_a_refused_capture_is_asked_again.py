"""Chromium's transient "Unable to capture screenshot" is asked again once; any other error,
or a second refusal, still fails the test."""

import pytest
from playwright.sync_api import Error as PlaywrightError

from mesochart.e2e.conftest import capture

REFUSED = "Page.screenshot: Protocol error (Page.captureScreenshot): Unable to capture screenshot"


class Target:
    def __init__(self, *errors):
        self.errors, self.calls = list(errors), 0

    def screenshot(self, **options):
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)


def test_one_refusal_is_asked_again():
    target = Target(PlaywrightError(REFUSED))
    capture(target, "x.png", full_page=True)
    assert target.calls == 2


def test_a_second_refusal_fails():
    target = Target(PlaywrightError(REFUSED), PlaywrightError(REFUSED))
    with pytest.raises(PlaywrightError):
        capture(target, "x.png")


def test_another_error_is_not_asked_again():
    target = Target(PlaywrightError("Target page, context or browser has been closed"))
    with pytest.raises(PlaywrightError):
        capture(target, "x.png")
    assert target.calls == 1
