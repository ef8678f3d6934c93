"""A production worker loads everything at start and keeps it out of the collector's way."""

import subprocess
import sys

PROBE = """
import gc, sys
import mesochart.wsgi
print(gc.get_freeze_count(), "mesochart.treatments.views" in sys.modules)
"""


def test_the_worker_has_its_views_loaded_and_frozen_before_the_first_request(tmp_path):
    env = {"MESOCHART_VAR_DIR": str(tmp_path), "PATH": ""}
    done = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True
    )
    frozen, views_loaded = done.stdout.split()
    assert int(frozen) > 10_000
    assert views_loaded == "True"
