"""A source as people read it: by its title, never a file name or a tag.

The shipped data keeps each citation as the reference file gives it ("[LABEL] Lidocaine
(Xylocaine MPF)", "[SEC] reference.md › Screening: absolute — pregnancy") so a developer can
find it in ../shared/domain/reference.md; pages print `cite(source)`: "Lidocaine (Xylocaine
MPF) label", "mesochart clinical reference, Screening: absolute — pregnancy (secondary
summary)". The API keeps the citation as stored.
"""

import re

REFERENCE_TITLE = "mesochart clinical reference"
_TAG = re.compile(r"^\[(LABEL|REF|PEER|SEC|MKT|SEC/MKT)\]\s*")
# A tag inside a citation ("… Hexsel 2009 [PEER]") marks the kind of one paper in it.
_INNER_TAG = re.compile(r"\s*\[(?:LABEL|REF|PEER|SEC|MKT|SEC/MKT)\]\s*")
_SECTION = re.compile(r"reference\.md(?:\s*›\s*|,\s*)([A-Z][^:;,()]*?)\s*(?=[:;,)]|$)")
_KIND = {
    "SEC": " (secondary summary)",
    "MKT": " (clinic or training page)",
    "SEC/MKT": " (secondary summary and clinic pages)",
}


def cite(source: str) -> str:
    """``source`` by title: tags become words, ``reference.md › X`` the reference's title;
    several sources joined by "; " are each cited."""
    return "; ".join(_one(part) for part in (source or "").split("; ") if part.strip())


def _one(source: str) -> str:
    text = _SECTION.sub(lambda m: f"{REFERENCE_TITLE}, {m[1]}", source.strip())
    text = text.replace("reference.md", REFERENCE_TITLE)
    tag = _TAG.match(text)
    if tag is None:
        return _INNER_TAG.sub(" ", text).strip()
    body = _INNER_TAG.sub(" ", text[tag.end() :]).strip()
    if tag[1] == "LABEL":
        head, colon, rest = body.partition(":")
        body = f"{head} label{colon}{rest}"
    return body + _KIND.get(tag[1], "")
