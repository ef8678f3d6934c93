"""The two independent FHIR validators the export must satisfy.

The first is ``fhir.resources`` (pydantic models of every resource), which the export itself
runs. The second shares no code with it: Medplum's ``validateResource`` over the R4
StructureDefinitions, run with Node.js from a copy of ``medplum/`` outside the repository,
where the tests install its locked npm packages once.
"""

import fcntl
import json
import os
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).parent / "medplum"
FILES = ("package.json", "package-lock.json", "validate.mjs")


def _home() -> Path:
    default = Path.home() / ".cache" / "mesochart" / "medplum"
    return Path(os.environ.get("MESOCHART_NODE_CACHE", default))


def install() -> Path:
    """The validator's folder with its packages installed (once; safe across workers)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise RuntimeError("Node.js and npm are needed (Debian: apt-get install nodejs npm)")
    home = _home()
    home.mkdir(parents=True, exist_ok=True)
    with (home / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stale = any(
            not (home / name).exists() or (home / name).read_bytes() != (HERE / name).read_bytes()
            for name in FILES
        )
        if stale or not (home / "node_modules" / "@medplum" / "core").exists():
            for name in FILES:
                shutil.copy(HERE / name, home / name)
            subprocess.run(
                ["npm", "ci", "--no-audit", "--no-fund", "--silent"],  # noqa: S607
                cwd=home,
                check=True,
                capture_output=True,
            )
    return home


def medplum_problems(bundles: list[dict], folder: Path) -> list[dict]:
    """What Medplum finds wrong in ``bundles``: an empty list when every resource passes."""
    home = install()
    paths = []
    for index, bundle in enumerate(bundles):
        path = folder / f"bundle-{index}.json"
        path.write_text(json.dumps(bundle))
        paths.append(str(path))
    done = subprocess.run(  # noqa: S603 - fixed command, our own files
        ["node", str(home / "validate.mjs"), *paths],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise RuntimeError(f"the Medplum validator failed to run: {done.stderr[-2000:]}")
    return json.loads(done.stdout)
