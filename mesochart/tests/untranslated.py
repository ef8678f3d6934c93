"""Finds user-visible text that is not inside the translation functions (issue 18).

Templates: the text between tags, and the ``title``, ``aria-label``, ``placeholder`` and
``alt`` attributes, outside ``{% translate %}`` / ``{% blocktranslate %}``. Python: the
strings people read (messages, ``ValidationError``, ``add_error``, ``PermissionDenied``,
form labels and help texts, choices' labels) given as a literal or an f-string instead of
through ``gettext``. A heuristic, as the issue asks for: a word of two letters or more
that is not a unit, code or name counts."""

import ast
import re
from pathlib import Path

from django.template.base import Lexer, TokenType

WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’]+")
# Words that read the same in every language: the product, units, formats and codes.
NEUTRAL = {
    "mesochart",
    "mL",
    "mg",
    "cm",
    "mm",
    "kg",
    "µg",
    "IU",
    "PDF",
    "CSV",
    "JSON",
    "FHIR",
    "SHA",
    "HL",
    "NDJSON",
    "ics",
    "TOTP",
    "GS",
    "ID",
    "OK",
    "QR",
    "GAIS",
    "CSS",
    "MASI",
    "mMASI",
    "BMI",
    "SD",
    "IQR",
    "ArUco",
    "px",
    "nbsp",
    "middot",
    "mdash",
    "ndash",
    "times",
    "hellip",
    "amp",
    "rarr",
    "larr",
    "uarr",
    "darr",
    "lt",
    "gt",
    "minus",
    "plusmn",
    "deg",
}
ATTRIBUTES = re.compile(r"""\b(?:title|aria-label|placeholder|alt)\s*=\s*(["'])(.*?)\1""", re.S)
HIDDEN = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->", re.S | re.I)
TAG = re.compile(r"<[^>]*>", re.S)
ENTITY = re.compile(r"&#?\w+;")


def _words(text: str) -> list[str]:
    return [w for w in WORD.findall(ENTITY.sub(" ", text)) if w not in NEUTRAL]


def template_strings(path: Path) -> list[str]:
    """The untranslated pieces of text of one template."""
    found, skipping = [], None
    tokens = Lexer(path.read_text(encoding="utf-8")).tokenize()
    texts = []
    for token in tokens:
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if skipping is None and name in {"blocktranslate", "blocktrans", "comment", "verbatim"}:
                skipping = "end" + name
            elif name == skipping or (skipping == "endblocktranslate" and name == "endblocktrans"):
                skipping = None
            elif skipping in {"endblocktranslate", "endblocktrans"} and name == "plural":
                pass
            texts.append(" \0 ")  # a tag separates two pieces of text
        elif token.token_type == TokenType.TEXT and skipping is None:
            texts.append(token.contents)
        elif token.token_type == TokenType.VAR:
            texts.append(" \0 ")
    html = HIDDEN.sub(" ", "".join(texts))
    for _, value in ATTRIBUTES.findall(html):
        if _words(value):
            found.append(value.strip())
    for piece in TAG.sub("\0", html).split("\0"):
        if _words(piece):
            found.append(" ".join(piece.split()))
    return found


MESSAGE_CALLS = {"success", "info", "warning", "error", "debug", "add_message"}
EXCEPTIONS = {"ValidationError", "PermissionDenied"}
TEXT_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label"}
TRANSLATED = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
    "gettext_noop",
}


def _literal(node) -> str | None:
    """The text of a string literal or f-string with words in it; None otherwise."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    else:
        return None
    return text if _words(text) else None


def _messages_in(node) -> list[str]:
    """Literals in an exception's argument: a string, or a dict/list of strings."""
    if isinstance(node, ast.Dict):
        return [t for v in node.values for t in _messages_in(v)]
    if isinstance(node, ast.List | ast.Tuple):
        return [t for v in node.elts for t in _messages_in(v)]
    text = _literal(node)
    return [text] if text else []


def _name(func) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _choice_labels(cls: ast.ClassDef) -> list[str]:
    bases = {_name(b) for b in cls.bases}
    if not bases & {"TextChoices", "IntegerChoices", "Choices"}:
        return []
    found = []
    for statement in cls.body:
        if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Tuple):
            label = statement.value.elts[-1]
            text = _literal(label)
            if text and len(statement.value.elts) > 1:
                found.append(text)
    return found


def python_strings(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ClassDef):
            found += _choice_labels(node)
        elif isinstance(node, ast.Call):
            name = _name(node.func)
            if name in TRANSLATED:
                continue
            if name in EXCEPTIONS and node.args:
                found += _messages_in(node.args[0])
            elif name in MESSAGE_CALLS and _name(getattr(node.func, "value", None)) == "messages":
                found += _messages_in(node.args[1]) if len(node.args) > 1 else []
            elif name == "add_error" and len(node.args) > 1:
                found += _messages_in(node.args[1])
            for keyword in node.keywords:
                if keyword.arg in TEXT_KEYWORDS:
                    found += _messages_in(keyword.value)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr in TEXT_KEYWORDS:
                    found += _messages_in(node.value)
    return found
