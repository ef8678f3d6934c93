"""Simulated staff against the running server: p50/p95/p99 and errors per operation, as JSON.

Starts `mesochart serve --demo` (gunicorn, as `scripts/start` does) on a throw-away
database, then runs ``--users`` simulated members of staff for ``--duration`` seconds.
Each signs in once on the page and then loops, with a think time between clicks
(``--think``: 1 to 3 s by default, a person reading the page; ``--think 0.05 0.25`` is the
stress profile that asks more than two cores serve and so measures their queue), over a
clinic's mix: search the patient list (htmx, as typing does), open a chart, open a plan, and, one
time in five for a nurse, record a session as the practitioner does through the API
(start it from the approved plan, save the draft with its lot, sign). The demo's plan
was signed today, so the sign is refused by the product's minimum interval (422, counted
as ``refused``): the write path (locks, the audit chain, the immediate transaction) runs
in full either way. Once every session of the series has its draft, starting is refused
too (422, "every session of the series is recorded"): the staff member then opens one of
those drafts again (``sign_open``) and saves and signs it, so the write path keeps running.

    .venv/bin/python bench/bench_load.py --users 20 --duration 60
    .venv/bin/python bench/bench_load.py --users 20 --duration 60 \
        --database-url postgres://postgres@127.0.0.1:5432/mesochart_bench_load

Errors are 5xx answers, connection failures and time-outs; the JSON goes to stdout (or
--json), progress to stderr. Synthetic demo data only.
"""

import argparse
import http.cookiejar
import json
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

import common

PASSWORD = "demo-mesochart-2026"  # noqa: S105 - the published demo password
STAFF = ("nurse.okafor", "reception")  # no second factor: they sign in on the page alone
CHART_TARGET_P95_MS = 200


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Staff:
    """One member of staff in a browser: cookies, the CSRF token, timed requests."""

    def __init__(self, base: str, record):
        self.base, self.record = base, record
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def call(self, op: str, path: str, data=None, headers=None, method=None):
        request = urllib.request.Request(  # noqa: S310 - http to the server we started
            self.base + path, data=data, headers=headers or {}, method=method
        )
        started = time.perf_counter()
        status, body = 0, ""
        try:
            with self.opener.open(request, timeout=30) as response:
                status, body = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode(errors="replace")
        except (OSError, TimeoutError):
            status = 0
        self.record(op, (time.perf_counter() - started) * 1000, status, body)
        return status, body

    def sign_in(self, username: str) -> None:
        _, page = self.call("sign_in_page", "/accounts/sign-in/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        self.call("sign_in", "/accounts/sign-in/", data, {"Referer": self.base + "/"})


def api(staff: Staff, op: str, token: str, method: str, path: str, body=None):
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    data = None if body is None else json.dumps(body).encode()
    status, text = staff.call(op, "/api/v1" + path, data, headers, method)
    return status, (json.loads(text) if text.startswith("{") else {})


def record_a_session(staff: Staff, demo: dict) -> None:
    token = demo["practitioner_token"]
    status, session = api(staff, "sign_start", token, "POST", f"/plans/{demo['plan']}/sessions", {})
    if status == 201:
        demo["drafts"].append(session["id"])
    elif status == 422 and demo["drafts"]:
        # Every session of the series has its draft (none can be signed today): the
        # practitioner opens one of them again, as staff would, rather than stopping.
        draft_id = random.choice(demo["drafts"])
        status, session = api(staff, "sign_open", token, "GET", f"/sessions/{draft_id}")
        if status != 200:
            return
    else:
        return
    rows = [{"lot": demo["lot"], "volume_drawn_ml": "2", "volume_wasted_ml": "0"}]
    status, draft = api(
        staff,
        "sign_draft",
        token,
        "PATCH",
        f"/sessions/{session['id']}",
        {"products": rows, "version": session["version"]},
    )
    if status == 200:
        api(
            staff,
            "sign",
            token,
            "POST",
            f"/sessions/{session['id']}/sign",
            {"version": draft["version"]},
        )


def loop(
    base: str, username: str, demo: dict, until: float, record, seed: int, think: tuple
) -> None:
    rng = random.Random(seed)
    staff = Staff(base, record)
    staff.sign_in(username)
    while time.monotonic() < until:
        roll = rng.random()
        if roll < 0.4:
            prefix = rng.choice(demo["prefixes"])
            query = urllib.parse.quote(prefix)
            staff.call("search", f"/patients/?q={query}", headers={"HX-Request": "true"})
        elif roll < 0.75 or username == "reception":
            staff.call("chart", f"/patients/{rng.choice(demo['patients'])}/")
        elif roll < 0.8:
            staff.call("plan", f"/plans/{rng.choice(demo['plans'])}/")
        else:
            record_a_session(staff, demo)
        time.sleep(rng.uniform(*think))  # think time between clicks


def demo_ids() -> dict:
    """What the staff open, read from the demo the server loaded; a practitioner's token
    (issued as the page would after a TOTP code) and a large delivery of the lot."""
    from datetime import timedelta
    from decimal import Decimal

    from mesochart.accounts.actor import Actor
    from mesochart.accounts.models import ApiToken, Membership
    from mesochart.formulary.actions import receive_lot
    from mesochart.patients.models import Patient
    from mesochart.planning.models import Plan

    member = Actor.at(
        Membership.objects.select_related("clinic", "user").get(user__username="dr.rivera")
    )
    clinic = member.clinic
    plans = Plan.objects.filter(patient__clinic=clinic)
    approved = plans.filter(status="approved").first()
    _, raw = ApiToken.issue(member.user, clinic, "bench_load", second_factor=True)
    lot = receive_lot(
        member,
        {
            "product": approved.cocktail_version.components.first().product.slug,
            "lot_number": "BENCH-LOAD",
            "expires_on": clinic.today() + timedelta(days=300),
            "received_on": clinic.today(),
            "quantity_ml": Decimal("100000"),
            "gtin": "",
        },
    )
    patients = list(Patient.objects.filter(clinic=clinic).values_list("pk", "family_name"))
    return {
        "patients": [pk for pk, _ in patients],
        "prefixes": sorted({name[:3] for _, name in patients}),
        "plans": list(plans.values_list("pk", flat=True)),
        "plan": approved.pk,
        "lot": lot.pk,
        "practitioner_token": raw,
        "drafts": [],  # the drafts the bench started, shared by the threads
    }


def summarise(samples: dict) -> dict:
    out = {}
    for op, rows in sorted(samples.items()):
        wall = [ms for ms, _ in rows]
        statuses = defaultdict(int)
        for _, status in rows:
            statuses[str(status)] += 1
        stats = common.summarise(wall)
        out[op] = {
            "n": len(rows),
            "p50_ms": stats["p50_ms"],
            "p95_ms": stats["p95_ms"],
            "p99_ms": stats["p99_ms"],
            "errors": sum(1 for _, s in rows if s == 0 or s >= 500),
            "refused": sum(1 for _, s in rows if 400 <= s < 500),
            "statuses": dict(statuses),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20, help="simulated staff at once")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--database-url", help="postgres://…/mesochart_bench_load; else SQLite")
    parser.add_argument("--json", help="write the report here instead of stdout")
    parser.add_argument("--server-log", help="keep gunicorn's log here (default: thrown away)")
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(1.0, 3.0),
        metavar=("MIN", "MAX"),
        help="seconds between one staff member's clicks, drawn uniformly (1 3)",
    )
    args = parser.parse_args()
    with common.fresh_database(args.database_url) as vendor:
        report = run(args, vendor)
    common.write_report(report, args.json)


def run(args, vendor: str) -> dict:
    port = free_port()
    env = {**os.environ, "MESOCHART_WORKERS": str(args.workers)}
    mesochart = Path(sys.executable).with_name("mesochart")
    log_path = args.server_log or Path(os.environ["MESOCHART_VAR_DIR"]) / "server.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed after the server stops
    server = subprocess.Popen(  # noqa: S603 - our own console command, fixed arguments
        [str(mesochart), "serve", "--demo", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(port, server)
        common.setup_django()
        demo = demo_ids()
        samples, lock = defaultdict(list), threading.Lock()

        def record(op, ms, status, body):
            with lock:
                samples[op].append((ms, status))
                if status >= 500 or "database is locked" in body:
                    samples["_error_bodies"].append((0, body[:200]))

        base, started = f"http://127.0.0.1:{port}", time.monotonic()
        until = started + args.duration
        cpu_before = os.times()
        threads = [
            threading.Thread(
                target=loop,
                args=(base, STAFF[i % len(STAFF)], demo, until, record, i, tuple(args.think)),
            )
            for i in range(args.users)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
        bodies = [body for _, body in samples.pop("_error_bodies", [])]
        results = summarise(samples)
    finally:
        server.terminate()
        server.wait(30)
        log.close()
    total = sum(r["n"] for r in results.values())
    common.stderr.print(json.dumps(results, indent=1))
    return {
        "database": vendor,
        "users": args.users,
        "duration_s": args.duration,
        "think_s": list(args.think),
        "wall_s": round(wall, 1),
        "requests": total,
        "requests_per_s": round(total / wall, 1),
        "errors": sum(r["errors"] for r in results.values()),
        "error_samples": bodies[:5],
        "server": f"gunicorn, {args.workers} workers, DEBUG off",
        "chart_p95_target_ms": CHART_TARGET_P95_MS,
        "results": results,
        "client_cpu_s": round(sum(os.times()[:2]) - sum(cpu_before[:2]), 1),
        "machine": common.machine(load_average=[round(x, 2) for x in os.getloadavg()]),
        "code": common.code_version(),
    }


def wait_for(port: int, server) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server exited before listening; see server.log")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not listen within 300 s")


if __name__ == "__main__":
    main()
