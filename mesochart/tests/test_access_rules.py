"""The house rules on the way in, enforced (in the spirit of zulip's custom_check rules):

1. a view, an API module or a template tag never calls ``.objects.`` on a patient-scoped
   model (the patient, or any model with a foreign key to it, found from the app registry so
   a new app's models are covered): it goes through its app's ``access.py``;
2. they never compare a status to a bare string: ``session.status == SessionStatus.DRAFT``,
   not ``== "draft"`` (a typo in a string is silently false);
3. an app's ``access.py`` never decides a role itself (its own ``require``, a bare
   ``allows(...)``): it calls `lib.access.require` / `get_or_404`, so every refusal is
   audited the one way.

Each rule carries examples it must flag and examples it must let through, tested first.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps

from mesochart.patients.models import Patient

PACKAGE = Path(__file__).resolve().parents[1]
# Modules that answer requests: views, API routers, template tags.
CHECKED = re.compile(r"(^|/)(views[^/]*\.py|views/[^/]+\.py|api[^/]*\.py|templatetags/[^/]+\.py)$")


def patient_scoped_models() -> list[str]:
    return sorted(
        model.__name__
        for model in apps.get_models()
        if model is Patient
        or any(getattr(field, "related_model", None) is Patient for field in model._meta.fields)
    )


def objects_rule() -> re.Pattern:
    names = "|".join(patient_scoped_models())
    return re.compile(rf"\b({names})\.objects\.")


STATUS_RULE = re.compile(
    r"""\bstatus\s*(==|!=)\s*["']|["'][\w-]+["']\s*(==|!=)\s*[\w.]*\bstatus\b"""
    r"""|\bstatus\s+(not\s+)?in\s+[(\[{]\s*["']"""
)

# An app's own role check, in its access module.
ROLE_RULE = re.compile(r"^\s*def require\w*\(|\ballows\(")

OBJECTS_BAD = [
    "patient = Patient.objects.get(pk=pk)",
    "rows = Consent.objects.for_patient(patient)",
    "Screening.objects.filter(patient=patient).first()",
    "    events = AdverseEvent.objects.filter(clinic=clinic)",
]
OBJECTS_GOOD = [
    "patient = get_patient(request.membership, pk)",
    "rows = consents_of(membership, patient)",
    "lots = Lot.objects.in_clinic(clinic)",  # stock, not a patient's record
    "except Patient.DoesNotExist:",
]
STATUS_BAD = [
    'draft = session.status == "draft"',
    "if plan.status != 'approved':",
    'if "signed" == session.status:',
    'if session.status in ("draft", "signed"):',
]
STATUS_GOOD = [
    "draft = session.status == SessionStatus.DRAFT",
    "if plan.status != PlanStatus.APPROVED:",
    'fhir = {"status": "completed"}',
    'status = request.GET.get("status", "")',
]

ROLE_BAD = [
    "def require(membership, permission: str) -> None:",
    "def require_or_refuse(membership, permission: str) -> None:",
    "    if membership is None or not allows(membership.role, permission):",
]
ROLE_GOOD = [
    "from mesochart.lib.access import get_or_404, require",
    "    require(membership, permission_for(purpose))",
    '    return get_or_404(membership, rows, pk, permission, key="photo_id", what="photo")',
]


@pytest.mark.parametrize("line", OBJECTS_BAD)
def test_the_objects_rule_flags_a_bad_example(line):
    assert objects_rule().search(line)


@pytest.mark.parametrize("line", OBJECTS_GOOD)
def test_the_objects_rule_lets_a_good_example_through(line):
    assert not objects_rule().search(line)


@pytest.mark.parametrize("line", STATUS_BAD)
def test_the_status_rule_flags_a_bad_example(line):
    assert STATUS_RULE.search(line)


@pytest.mark.parametrize("line", STATUS_GOOD)
def test_the_status_rule_lets_a_good_example_through(line):
    assert not STATUS_RULE.search(line)


@pytest.mark.parametrize("line", ROLE_BAD)
def test_the_role_rule_flags_a_bad_example(line):
    assert ROLE_RULE.search(line)


@pytest.mark.parametrize("line", ROLE_GOOD)
def test_the_role_rule_lets_a_good_example_through(line):
    assert not ROLE_RULE.search(line)


def _access_modules() -> list[Path]:
    """Every app's access module; `lib/access.py` is the one that decides."""
    return sorted(p for p in PACKAGE.glob("*/access.py") if p.parent.name != "lib")


def _checked_lines():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if "/tests/" in f"/{relative}" or not CHECKED.search(relative):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            yield f"{relative}:{number}", line


def test_the_rules_cover_the_views_api_modules_and_template_tags():
    checked = {where.split(":")[0] for where, _ in _checked_lines()}
    assert "patients/views.py" in checked
    assert "consent/api.py" in checked
    assert "treatments/templatetags/treatments.py" in checked
    assert "Patient" in patient_scoped_models() and "Consent" in patient_scoped_models()
    assert {"OutcomeValue", "Photo", "PhotoConsent"} <= set(patient_scoped_models())
    assert {"photos/views.py", "photos/api.py", "outcomes/views.py", "outcomes/api.py"} <= checked
    apps_with_access = {p.parent.name for p in _access_modules()}
    assert {"patients", "treatments", "outcomes", "photos"} <= apps_with_access


def test_no_access_module_decides_a_role_itself():
    found = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in _access_modules()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if ROLE_RULE.search(line)
    ]
    assert found == [], "use lib.access.require / get_or_404:\n" + "\n".join(found)


def test_no_view_api_or_template_tag_reaches_a_patient_scoped_model_directly():
    rule = objects_rule()
    found = [f"{where}: {line.strip()}" for where, line in _checked_lines() if rule.search(line)]
    assert found == [], "go through the app's access.py:\n" + "\n".join(found)


def test_no_view_api_or_template_tag_compares_a_status_to_a_bare_string():
    found = [
        f"{where}: {line.strip()}" for where, line in _checked_lines() if STATUS_RULE.search(line)
    ]
    assert found == [], "compare with the status enum:\n" + "\n".join(found)
