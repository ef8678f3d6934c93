"""The benchmarks that seed through the application's own code still run, at a size that
takes seconds: `bench/bench_patients.py` once failed on the keyed audit chain and nobody
knew until its 100,000-patient run. Their figures are read by people, never asserted here;
this says only that each run ends with a report of every operation it times."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

RUNS = {
    "bench_patients.py": ["--patients", "300", "--repeat", "3", "--warmup", "1", "--json"],
    "bench_treatments.py": [
        "--patients", "20", "--sessions", "2", "--lots", "2", "--repeat", "2", "--warmup", "1",
        "--json",
    ],
    "bench_fhir.py": [
        "--sessions", "2", "--points", "5", "--repeat", "2", "--warmup", "1", "--json",
    ],
    "bench_scheduling.py": ["--per-day", "2", "--runs", "3", "--series-runs", "2", "--output"],
}  # fmt: skip


@pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="run once, in the SQLite pass: each bench makes its own throw-away database",
)
@pytest.mark.parametrize("script", sorted(RUNS))
def test_a_small_run_of_the_benchmark_reports_every_operation(script, tmp_path):
    report = tmp_path / "report.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MESOCHART_VAR_DIR": str(tmp_path / "var")}
    done = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, str(ROOT / "bench" / script), *RUNS[script], str(report)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(report.read_text())["results"]
    assert results
    for name, figures in results.items():
        assert figures["n"] > 0 and figures["p95_ms"] >= figures["p50_ms"] > 0, name
