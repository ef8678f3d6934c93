"""Every page runs under a Content-Security-Policy that allows scripts from our own files
only, and no template holds an inline script or handler it would block (issue 14, Low)."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def templates():
    return sorted(TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("template", templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_holds_an_inline_script_or_handler(template):
    text = template.read_text()
    assert not INLINE_SCRIPT.findall(text), "inline <script>: move it to a static file"
    assert not HANDLER.findall(text), "inline on…= handler: bind it in a static file"


@pytest.mark.django_db
def test_pages_send_a_policy_that_refuses_inline_scripts(practice, client_for):
    for path in ("/accounts/sign-in/", "/patients/", f"/patients/{practice.patient.pk}/"):
        response = client_for(practice.nurse).get(path)
        assert response.status_code == 200, path
        policy = dict(
            part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
        )
        assert policy["script-src"] == "'self'", path
        assert policy["object-src"] == "'none'"
        assert policy["frame-ancestors"] == "'none'"
