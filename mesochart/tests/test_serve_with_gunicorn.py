"""`mesochart serve` (what `scripts/start` runs) is a production server: gunicorn with
DEBUG off, static files through whitenoise, the demo signed in over plain http on
127.0.0.1, and a clean stop on SIGTERM, workers included (issue 14, Medium 9)."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django_otp.oath import totp

from mesochart.demo import DEMO_TOTP_KEY_HEX

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc for the workers")
MESOCHART = Path(sys.executable).with_name("mesochart")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


class Browser:
    """Plain http with cookies, like a browser on the clinic's own machine."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str):
        try:
            response = self.opener.open(self.base + path, timeout=30)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.headers
        return response.status, response.read().decode(), response.headers

    def post(self, path: str, fields: dict):
        page = self.get(path)[1]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(  # noqa: S310 - http to our own server
            self.base + path, data=data, headers={"Referer": self.base + path}
        )
        response = self.opener.open(request, timeout=30)
        return response.status, response.url, response.read().decode()


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "MESOCHART_VAR_DIR": str(tmp_path),
        "MESOCHART_WORKERS": "2",
        "DJANGO_SETTINGS_MODULE": "mesochart.settings",
    }
    for name in ("DATABASE_URL", "MESOCHART_ENV", "MESOCHART_DEBUG"):
        env.pop(name, None)
    process = subprocess.Popen(  # noqa: S603 - our own console command, fixed arguments
        [str(MESOCHART), "serve", "--demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve exited: {process.stdout.read()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("the server did not listen within 180 s")
    yield process, base
    if process.poll() is None:
        process.kill()
        process.wait(10)


def test_the_demo_signs_in_over_plain_http_through_gunicorn_and_stops_on_sigterm(server):
    process, base = server
    browser = Browser(base)

    status, url, _ = browser.post(
        "/accounts/sign-in/", {"username": "dr.rivera", "password": "demo-mesochart-2026"}
    )
    assert url.endswith("/accounts/two-factor/")
    code = f"{totp(bytes.fromhex(DEMO_TOTP_KEY_HEX)):06d}"
    status, url, page = browser.post("/accounts/two-factor/", {"code": code})
    assert status == 200
    assert url.endswith("/patients/"), url
    assert "Patients" in page

    status, body, headers = browser.get("/static/mesochart/chart-editor.js")
    assert status == 200
    assert "javascript" in headers["Content-Type"]
    status, body, _ = browser.get("/no-such-page/")
    assert status == 404
    assert "URLconf" not in body, "DEBUG is on: Django's technical 404"

    # The background worker (`mesochart worker`, started by serve) is a child too.
    workers = {
        pid
        for pid in children_of(process.pid)
        if b"mesochart.cli" not in Path(f"/proc/{pid}/cmdline").read_bytes()
    }
    assert len(workers) == 2, "gunicorn's master forks the workers"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0
    time.sleep(0.5)
    assert not [pid for pid in workers if alive(pid)], "a worker outlived the master"
    assert "Booting worker" in process.stdout.read()
