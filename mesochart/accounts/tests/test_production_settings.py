"""Production refuses to start on development defaults: each refusal names the variable."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
GOOD_SECRET = secrets.token_urlsafe(50)
GOOD_HOSTS = "clinic.example.org,www.clinic.example.org"
GOOD_AUDIT_KEY = secrets.token_urlsafe(40)
SHOW = (
    "import mesochart.settings as s; "
    "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
    "s.SECURE_SSL_REDIRECT, s.ALLOWED_HOSTS)"
)


def _start(tmp_path, code="import mesochart.settings", **variables):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MESOCHART_", "DJANGO_"))}
    env.update(
        {
            "MESOCHART_ENV": "production",
            "MESOCHART_VAR_DIR": str(tmp_path),
            "MESOCHART_AUDIT_KEY": GOOD_AUDIT_KEY,
            **variables,
        }
    )
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "variables, named",
    [
        ({"MESOCHART_ALLOWED_HOSTS": GOOD_HOSTS}, "MESOCHART_SECRET_KEY"),
        (
            {"MESOCHART_SECRET_KEY": "too-short-0123", "MESOCHART_ALLOWED_HOSTS": GOOD_HOSTS},
            "MESOCHART_SECRET_KEY",
        ),
        (
            {"MESOCHART_SECRET_KEY": "a" * 60, "MESOCHART_ALLOWED_HOSTS": GOOD_HOSTS},
            "MESOCHART_SECRET_KEY",
        ),
        ({"MESOCHART_SECRET_KEY": GOOD_SECRET}, "MESOCHART_ALLOWED_HOSTS"),
        (
            {"MESOCHART_SECRET_KEY": GOOD_SECRET, "MESOCHART_ALLOWED_HOSTS": "*"},
            "MESOCHART_ALLOWED_HOSTS",
        ),
        (
            {
                "MESOCHART_SECRET_KEY": GOOD_SECRET,
                "MESOCHART_ALLOWED_HOSTS": GOOD_HOSTS,
                "MESOCHART_AUDIT_KEY": "",
            },
            "MESOCHART_AUDIT_KEY",
        ),
        (
            {
                "MESOCHART_SECRET_KEY": GOOD_SECRET,
                "MESOCHART_ALLOWED_HOSTS": GOOD_HOSTS,
                "MESOCHART_AUDIT_KEY": "short-audit-key",
            },
            "MESOCHART_AUDIT_KEY",
        ),
    ],
    ids=[
        "no secret",
        "short secret",
        "repetitive secret",
        "no hosts",
        "any host",
        "no audit key",
        "short audit key",
    ],
)
def test_production_refuses_to_start_naming_the_variable(tmp_path, variables, named):
    result = _start(tmp_path, **variables)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr


def test_production_starts_with_a_real_secret_and_hosts_and_is_https_only(tmp_path):
    result = _start(
        tmp_path, SHOW, MESOCHART_SECRET_KEY=GOOD_SECRET, MESOCHART_ALLOWED_HOSTS=GOOD_HOSTS
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split(maxsplit=5) == [
        "False",
        "True",
        "True",
        "31536000",
        "True",
        "['clinic.example.org', 'www.clinic.example.org']\n",
    ]


def test_a_misspelt_environment_does_not_fall_back_to_development(tmp_path):
    result = _start(
        tmp_path,
        MESOCHART_ENV="prod",
        MESOCHART_SECRET_KEY=GOOD_SECRET,
        MESOCHART_ALLOWED_HOSTS=GOOD_HOSTS,
    )

    assert result.returncode != 0
    assert "MESOCHART_ENV" in result.stderr
