"""The progress page a patient reads is in the patient's language (issue 18), whoever opens
it: a French patient's change from baseline in French words, dates and decimal commas."""

import time_machine

from mesochart.conftest import signed_in
from mesochart.outcomes.tests.conftest import circumference

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_a_french_patients_progress_page_is_in_french(ready):
    ready.plan.patient.language = "fr"
    ready.plan.patient.save(update_fields=["language"])
    circumference(ready, "58.0", day="2026-03-01")
    ready.signed()
    with time_machine.travel("2026-04-27", tick=False):
        circumference(ready, "55.5", day="2026-04-27", context="follow_up")
        page = signed_in(ready.practice.practitioner).get(
            f"/outcomes/plan/{ready.plan.pk}/progress/"
        )
    text = page.content.decode()
    assert "2,5 cm" in text and "55,5 cm" in text  # decimal commas
    assert "27 avril 2026" in text  # the follow-up's day, as French writes it
    assert "less than at baseline" not in text and "(-4,3 %)" in text


def test_a_french_patient_rates_on_the_tablet_in_french(ready):
    ready.plan.patient.language = "fr"
    ready.plan.patient.save(update_fields=["language"])
    session = ready.signed()
    nurse = signed_in(ready.practice.nurse)
    nurse.post(f"/outcomes/plan/{ready.plan.pk}/tablet/", {"session": session.pk})
    page = nurse.get("/consent/tablet/").content.decode()
    assert "Très nettement amélioré" in page and "Aggravé" in page  # the GAIS levels
    assert "Very much improved" not in page


def test_a_french_practitioner_reads_the_measures_by_their_french_names(ready):
    practitioner = ready.practice.practitioner
    practitioner.language = "fr"
    practitioner.save(update_fields=["language"])
    page = signed_in(practitioner).get(f"/outcomes/plan/{ready.plan.pk}/").content.decode()
    assert "Échelle de sévérité de la cellulite (CSS)" in page
    assert "Nombre de dépressions visibles" in page  # an item of the scale
    assert "Cellulite Severity Scale" not in page


def test_every_measures_words_have_their_french():
    from django.utils import translation

    from mesochart.core.measures import MEASURES

    words = [m.name for m in MEASURES]
    words += [item.label for m in MEASURES for item in m.items]
    words += [
        level.label for m in MEASURES for level in m.levels if any(c.islower() for c in level.label)
    ]
    with translation.override("fr"):
        untranslated = [w for w in words if translation.gettext(w) == w and w not in SAME_IN_FRENCH]
    assert untranslated == []


# Proper names and acronyms French writes as English does.
SAME_IN_FRENCH = {
    "Hamilton-Norwood",
    "Ludwig",
    "Sinclair",
    "MASI",
    "mMASI",
    "Satisfaction",
    "III vertex",
}
