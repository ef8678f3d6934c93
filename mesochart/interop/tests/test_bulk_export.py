"""The whole organisation as FHIR Bulk Data: one NDJSON file per type, shared resources
written once, and nobody of another organisation in it."""

import json

from click.testing import CliRunner

from mesochart.audit.models import Action, AuditEvent
from mesochart.cli import main
from mesochart.interop.bulk import export_organisation

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def _lines(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_every_patient_of_the_organisation_and_no_one_else_is_exported(practice, ready, tmp_path):
    ready.signed()
    practice.make_patient(practice.sister_clinic, "Bea", "Sister", "MC-000002")

    counts = export_organisation(practice.org, tmp_path)

    patients = _lines(tmp_path / "Patient.ndjson")
    names = sorted(p["name"][0]["family"] for p in patients)
    assert names == ["Lopez", "Sister"]  # the other organisation's Otto Secret is not there
    assert len(_lines(tmp_path / "Organization.ndjson")) == 1
    assert len(_lines(tmp_path / "Procedure.ndjson")) == 1
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert {o["type"]: o["count"] for o in manifest["output"]} == counts
    ids = [r["id"] for kind in counts for r in _lines(tmp_path / f"{kind}.ndjson")]
    assert len(ids) == len(set(ids)), "a shared resource is written once"


def test_the_console_export_is_audited_and_names_a_missing_organisation(practice, tmp_path):
    runner = CliRunner()

    done = runner.invoke(
        main,
        ["export", "organisation", "--ndjson", str(tmp_path), "--organisation", "test-practice"],
    )
    missing = runner.invoke(
        main, ["export", "organisation", "--ndjson", str(tmp_path), "--organisation", "nope"]
    )

    assert done.exit_code == 0, done.output
    assert (tmp_path / "Patient.ndjson").exists()
    assert AuditEvent.objects.filter(action=Action.EXPORT, actor_label="console").count() == 1
    assert missing.exit_code == 2
    assert "organisation: no organisation 'nope'" in missing.output
