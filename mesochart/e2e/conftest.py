"""Browser fixtures: one Chromium per test session, a fresh context per test, the live server.

Playwright's sync API keeps an asyncio loop in the main thread, and Django refuses ORM calls
from a thread with a running loop. The test bodies and fixtures here do need the ORM (they
build the data the browser then reads), so the check is switched off for this process, before
anything below runs. Django reads the variable at each call, so pytest-django having set
Django up earlier does not matter.
"""

import os
import threading

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIServer
from django.db import transaction
from django.test.testcases import LiveServerThread
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    expect,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

from mesochart.accounts.models import Clinic
from mesochart.demo import load_demo
from mesochart.patients.models import Allergy, Condition, Medication, Patient


class SerialWSGIServer(WSGIServer):
    """The live server answers one request at a time.

    The test database is one in-memory SQLite connection shared with the server thread; two
    requests at once (a page and its htmx panels) would interleave on it ("cannot open
    savepoint - SQL statements in progress"). Served one by one, each is a clean request;
    Django closes connections after each response when the server is not threaded.
    ``connections_override`` is accepted and not needed: the serving thread is the live
    server thread, which already holds the overridden connections.
    """

    busy = threading.Lock()

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address):
        with self.busy:
            super().process_request(request, client_address)

    @classmethod
    def wait_until_idle(cls) -> None:
        """Return once the request being served, if any, has finished.

        A page closed mid-request (a chart's htmx panels still loading) leaves the server
        thread answering it; flushing the shared database under it fails ("couldn't be
        flushed") and leaves rows that break the next test."""
        with cls.busy:
            pass


LiveServerThread.server_class = SerialWSGIServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
DESKTOP = {"width": 1280, "height": 860}
TABLET = {"width": 820, "height": 1180}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"

# The password every persona of mesochart/conftest.py's Practice signs in with.
PASSWORD = "a-long-test-password-1"
# A fixed TOTP key (hex) for the e2e personas, so a test can compute the current code.
TOTP_KEY_HEX = "5a6b7c8d9e0f11223344556677889900aabbccdd"

# How long an action or an assertion waits for the page. A page answers in well under a
# second, but CI runs the suite on two workers of a 2-core machine, where a live server
# sharing the CPU with the browser and the other worker was seen to take more than 5 s
# (Playwright's default) to answer: the wait bounds a hang, it measures nothing.
WAIT_MS = 30_000
expect.set_options(timeout=WAIT_MS)


def totp_code(key_hex: str, drift: int = 0) -> str:
    """The 6-digit code an authenticator app would show for ``key_hex`` now, or ``drift``
    30-second steps from now: a code once accepted is never accepted again (django-otp keeps
    the last step used), so a second prompt within the same step needs the next one."""
    return f"{totp(bytes.fromhex(key_hex), drift=drift):06d}"


def give_totp(user, key_hex: str = TOTP_KEY_HEX) -> TOTPDevice:
    """A confirmed authenticator for ``user`` with a known key."""
    return TOTPDevice.objects.create(user=user, name="Test phone", key=key_hex, confirmed=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Console:
    """Errors the page reported: console.error calls and uncaught exceptions."""

    errors: list[str] = field(default_factory=list)

    def watch(self, context: BrowserContext) -> None:
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self.errors.append(str(error.error)))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"{message.text} ({message.location.get('url', '?')})")


@pytest.fixture
def console() -> Iterator[Console]:
    """Every browser test also fails when a page reported an error (a 404 asset, a script)."""
    console = Console()
    yield console
    assert console.errors == [], f"the browser reported errors: {console.errors}"


def open_context(browser: Browser, console: Console, **options) -> BrowserContext:
    """A fresh browser profile (no cookies) whose errors go to ``console``."""
    options.setdefault("viewport", DESKTOP)
    options.setdefault("locale", "en-GB")
    context = browser.new_context(timezone_id="Europe/London", **options)
    context.set_default_timeout(WAIT_MS)
    console.watch(context)
    return context


@pytest.fixture
def context(browser, console, site) -> Iterator[BrowserContext]:
    """A desktop profile; it asks for ``site`` so that it closes before the database is
    flushed, never after."""
    context = open_context(browser, console)
    yield context
    context.close()


@pytest.fixture
def tablet(browser, console, site) -> Iterator[BrowserContext]:
    context = open_context(browser, console, viewport=TABLET, has_touch=True)
    yield context
    context.close()


@pytest.fixture
def page(context) -> Page:
    return context.new_page()


@pytest.fixture
def site(live_server, transactional_db) -> Iterator[str]:
    """The live server's base URL (the live server runs on a transactional database). The
    browser profiles close first; the flush then waits for the request in flight."""
    yield live_server.url
    SerialWSGIServer.wait_until_idle()


def submit_password(page: Page, site: str, username: str, password: str = PASSWORD) -> None:
    """The first step of signing in: the username and password form."""
    page.goto(f"{site}/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_in(
    page: Page,
    site: str,
    username: str,
    key_hex: str | None = TOTP_KEY_HEX,
    password: str = PASSWORD,
) -> None:
    """Sign in through the real pages, typing the current TOTP code when ``key_hex`` is given,
    and land on the patient list."""
    submit_password(page, site, username, password)
    if key_hex is not None:
        expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor check")
        page.get_by_label("Code").fill(totp_code(key_hex))
        page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Patients")


def capture(target: Page | Locator, path: Path | str, **options) -> None:
    """``target.screenshot``, asked once more when Chromium refuses a capture with "Unable to
    capture screenshot": a transient refusal of the browser under load (seen in CI, and
    reported against Playwright and robotframework-browser), which takes the same picture a
    moment later. Any other error, or a second refusal, fails the test."""
    try:
        target.screenshot(path=path, **options)
    except PlaywrightError as error:
        if "Unable to capture screenshot" not in str(error):
            raise
        target.screenshot(path=path, **options)


def shoot(page: Page, name: str) -> Path:
    """A full-page PNG in screenshots/ at the repository root (git-ignored)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    capture(page, path, full_page=True)
    return path


@dataclass(frozen=True)
class Demo:
    """The demo practice (15 patients per clinic) plus one fully charted patient."""

    charted: Patient
    long_named: Patient


@pytest.fixture
def demo(transactional_db) -> Demo:
    load_demo(patients_per_clinic=15)
    clinic = Clinic.objects.get(name="Harbour Street")
    charted = Patient.objects.filter(clinic=clinic).order_by("pk").first()
    Allergy.objects.create(
        patient=charted, substance="Lidocaine", reaction="Urticaria", severity="severe"
    )
    Allergy.objects.create(patient=charted, substance="Latex", reaction="Rash", severity="mild")
    Medication.objects.create(
        patient=charted, name="Apixaban", dose="5 mg twice daily", anticoagulant=True
    )
    Medication.objects.create(patient=charted, name="Levothyroxine", dose="50 µg once daily")
    Condition.objects.create(patient=charted, name="Hypothyroidism", notes="Stable since 2019")
    Condition.objects.create(patient=charted, name="Keloid scarring", notes="Left shoulder")
    with transaction.atomic():  # the record number is allocated under a row lock
        record_number = clinic.organisation.allocate_record_number()
    long_named = Patient(
        organisation=clinic.organisation,
        clinic=clinic,
        record_number=record_number,
        given_name="Maria-Magdalena Esperanza",
        family_name="Ó Súilleabháin-Castellano de la Fuente",
        date_of_birth=date(1979, 2, 28),
        sex_at_birth="female",
        email="maria.magdalena.osuilleabhain-castellano@example.invalid",
        phone="+44 7700 900123",
        address="Flat 4, 17 Harbour Street\nPortsmouth PO1 2AB",
    )
    long_named.refresh_search_keys()
    long_named.save()
    return Demo(charted=charted, long_named=long_named)
