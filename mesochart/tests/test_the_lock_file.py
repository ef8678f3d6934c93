"""The lock file holds the exact version of every package CI installed, and agrees with the
versions pyproject.toml pins, so a bumped pin without a new lock fails here, not on a
machine that resolves something else (`scripts/install` installs under the lock)."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _name(requirement: str) -> str:
    return re.split(r"[\[=<>!~ ;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[_name(name)] = version
    return pins


def _pinned() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements += extra
    return {_name(r): r.split("==", 1)[1].split(";")[0].strip() for r in requirements}


def test_every_pinned_dependency_is_locked_at_its_pinned_version():
    locked = _locked()
    differing = {
        name: (version, locked.get(name))
        for name, version in _pinned().items()
        if locked.get(name) != version
    }
    assert differing == {}, "run the lock command in requirements.lock's header"


def test_the_install_script_installs_under_the_lock():
    assert "-c requirements.lock" in (ROOT / "scripts" / "install").read_text()
