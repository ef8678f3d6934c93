"""Cells a spreadsheet will not run: the one guard for every CSV the app writes.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by Excel, LibreOffice and Google Sheets (OWASP, "CSV Injection"), so a patient name,
a cocktail name or a narrative typed as ``=HYPERLINK(...)`` could run on a statistician's
machine. Such a cell is written with a leading apostrophe, which the spreadsheets show as
text. A plain number keeps its sign: ``-2.5`` is a change, not a formula.
"""

import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def rows(lines: Iterable[Iterable[object]]) -> list[list[str]]:
    return [[cell(value) for value in line] for line in lines]
