"""The text-message channel is chosen in the settings: the file backend keeps each message as
a JSON line, and a setting that names no backend is refused by name before anything is sent."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from mesochart.scheduling.channels import FileText, text_backend
from mesochart.scheduling.tests.test_reminders import (  # noqa: F401 - shared fixtures
    _worker_keeps_the_test_transaction,
    booked,
    run_worker,
    smtp,
)


def test_the_file_backend_writes_one_line_per_text(tmp_path, settings):
    settings.SCHEDULING_TEXT_FILE = str(tmp_path / "out" / "texts.jsonl")
    FileText().send("+44 7700 900123", "Your appointment is on Tuesday")
    FileText().send("+44 7700 900456", "Votre rendez-vous est mardi")
    lines = [
        json.loads(line) for line in (tmp_path / "out" / "texts.jsonl").read_text().splitlines()
    ]
    assert [(x["to"], x["body"]) for x in lines] == [
        ("+44 7700 900123", "Your appointment is on Tuesday"),
        ("+44 7700 900456", "Votre rendez-vous est mardi"),
    ]


def test_the_worker_sends_a_reminder_through_the_file_backend_once(
    smtp,  # noqa: F811
    booked,  # noqa: F811
    tmp_path,
    settings,
):
    settings.SCHEDULING_TEXT_BACKEND = "mesochart.scheduling.channels.FileText"
    settings.SCHEDULING_TEXT_FILE = str(tmp_path / "texts.jsonl")
    booked.patient.phone = "+44 7700 900123"
    booked.patient.save(update_fields=["phone"])
    run_worker()
    run_worker()
    (line,) = (tmp_path / "texts.jsonl").read_text().splitlines()
    assert json.loads(line)["to"] == "+44 7700 900123"


@pytest.mark.parametrize(
    ("path", "rule"),
    [
        ("mesochart.scheduling.channels.NoSuchText", "cannot import"),
        ("mesochart.scheduling.channels.Path", "has no send"),
    ],
)
def test_a_setting_that_names_no_backend_is_refused_by_name(settings, path, rule):
    settings.SCHEDULING_TEXT_BACKEND = path
    with pytest.raises(ImproperlyConfigured, match=f"SCHEDULING_TEXT_BACKEND: .*{rule}"):
        text_backend()
