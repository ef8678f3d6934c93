"""An analysis in the reader's language: the page's and its CSV's. The API's is English
whoever asks, as all of the API is (`accounts.middleware.UserLanguageMiddleware`).

The core words its tests, assumptions, notes, time point and responder thresholds in English,
marked for the catalogue (`core.words.gettext_noop`). Here each is translated once per
analysis; the two sentences with numbers in them (the time point, "no test is meaningful")
are made again from their numbers. Group names are put in words where they are made
(`rows.Words`); the patients' rows carry no words of their own.
"""

import dataclasses

from django.utils.translation import gettext

from mesochart.core import stats
from mesochart.core.change import TIME_POINT_TEXT, Threshold, TimePoint


def in_words(analysis, point: TimePoint):
    """``analysis`` (`analysis.Analysis`) with every word of the core translated."""
    return dataclasses.replace(
        analysis,
        measure_name=gettext(analysis.measure_name),
        time_point=gettext(TIME_POINT_TEXT).format(days=point.days, window_days=point.window_days),
        missing_data=gettext(analysis.missing_data),
        threshold=_threshold(analysis.threshold),
        groups=tuple(
            dataclasses.replace(group, within=test_in_words(group.within))
            for group in analysis.groups
        ),
        between=test_in_words(analysis.between) if analysis.between else None,
    )


def _threshold(threshold: Threshold | None) -> Threshold | None:
    if threshold is None:
        return None
    return dataclasses.replace(
        threshold, text=gettext(threshold.text), source=gettext(threshold.source)
    )


def test_in_words(result: stats.TestResult) -> stats.TestResult:
    """A test's name, assumptions, effect size and note translated; its own groups' names
    only where the core named them (the pairs of a within-group test)."""
    return dataclasses.replace(
        result,
        test=gettext(result.test),
        assumptions=tuple(gettext(a) for a in result.assumptions),
        groups=tuple(
            stats.GroupN(gettext(g.name), g.n) if g.name == stats.PAIRS else g
            for g in result.groups
        ),
        effect_name=gettext(result.effect_name) if result.effect_name else "",
        note=_note(result),
    )


def _note(result: stats.TestResult) -> str:
    if not result.note:
        return ""
    smallest = min((g.n for g in result.groups), default=0)
    if result.note == stats.TOO_FEW.format(min_n=stats.MIN_N, smallest=smallest):
        return gettext(stats.TOO_FEW).format(min_n=stats.MIN_N, smallest=smallest)
    return gettext(result.note)
