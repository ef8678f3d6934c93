"""Matching recorded allergies to a cocktail's ingredients and excipients, never to products.

reference.md (Screening) makes a known allergy to a component an absolute contraindication,
"for PC/DC: soy, benzyl alcohol": so the match goes through each component's name, synonyms
and allergen classes, because a patient records "soy", not "phosphatidylcholine".

The matching rules work on whole words, never on substrings:

1. Text is normalised: accents dropped, lower case, punctuation read as spaces, British
   "anaesth-" spelt "anesth-", "soya" read as "soy", and each word made singular ("amides",
   "anaesthetics", "allergies").
2. An allergy is cut into phrases at commas, semicolons, slashes, "&", "+", and the words
   "and", "or", "with"; filler words ("allergy", "allergic", "to", "reaction", …) are dropped.
3. A phrase matches a component's name, synonym or allergen class (a "term") when every word
   of the phrase is a word of the term (the allergy is as broad as the term or broader:
   "amide anaesthetics" → class "amide local anaesthetic"), or when the term's words occur in
   a row inside the phrase (the term is named in a longer text: "soy lecithin" → class "soy").

Whole words only, so "caine" matches neither "lidocaine" nor "caffeine"; such allergies are
recorded by drug or by class. A broad allergy ("anaesthetics", "alcohol") flags every
component of that class on purpose: a false alarm costs a look, a miss costs an anaphylaxis.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Allergy:
    substance: str
    reaction: str = ""
    severity: str = ""


@dataclass(frozen=True)
class Substance:
    """An ingredient or excipient, with the fields of `dose.Ingredient` that screening reads.

    Allergen classes name what an allergy may be recorded as: lidocaine → ("amide local
    anaesthetic", "local anaesthetic"), phosphatidylcholine of soy origin → ("soy",).
    """

    slug: str
    name: str
    synonyms: tuple[str, ...] = ()
    allergen_classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class AllergyMatch:
    allergy: Allergy
    component: Substance
    role: str  # "ingredient" or "excipient"
    via: str  # "name", "synonym 'lignocaine'", "allergen class 'soy'"

    def describe(self) -> str:
        detail = ", ".join(part for part in (self.allergy.severity, self.allergy.reaction) if part)
        detail = f" ({detail})" if detail else ""
        return (
            f"allergy '{self.allergy.substance}'{detail} → {self.component.name} "
            f"({self.role}) via {self.via}"
        )


_SEPARATORS = re.compile(r"[,;/&+\n]")
_CONNECTIVES = frozenset({"and", "or", "with"})
_FILLER = frozenset(
    {"allergy", "allergic", "to", "intolerance", "intolerant", "sensitivity", "reaction", "known"}
)
_SPELLINGS = {"soya": "soy"}


def match_allergies(
    allergies: Iterable[Allergy], components: Iterable[tuple[str, Substance]]
) -> tuple[AllergyMatch, ...]:
    """Every matching (allergy, component) pair; ``components`` are (role, component) pairs.

    Allergies that read the same once normalised count once; the result is sorted, so the
    order of allergies or of components never changes it.
    """
    components = tuple(components)
    unique: dict[tuple[str, ...], Allergy] = {}
    # The same allergy may come from the record and from the questionnaire text: keep the
    # entry that says most (severity, reaction); ties go by text, never by input order.
    for allergy in sorted(allergies, key=_detail_first):
        if words := _words(allergy.substance):
            unique.setdefault(words, allergy)
    matches = [
        AllergyMatch(allergy, component, role, via)
        for allergy in unique.values()
        for role, component in components
        if (via := _match_via(_phrases(allergy.substance), component))
    ]
    return tuple(sorted(matches, key=lambda m: (m.component.slug, _words(m.allergy.substance))))


def _detail_first(allergy: Allergy) -> tuple[tuple[str, ...], bool, bool, str, str, str]:
    return (
        _words(allergy.substance),
        not allergy.severity,
        not allergy.reaction,
        allergy.substance,
        allergy.severity,
        allergy.reaction,
    )


def allergies_in_text(text: str) -> tuple[Allergy, ...]:
    """The allergies a free-text answer lists, one per comma- or semicolon-separated part."""
    return tuple(Allergy(part.strip()) for part in _SEPARATORS.split(text) if part.strip())


def mentions(text: str, term: str) -> bool:
    """``term`` occurs as whole, normalised words in ``text`` ("Type 2 diabetes" mentions
    "diabetes"; "keloid scars" mentions "keloid")."""
    return _contains(_words(text), _words(term))


def _match_via(phrases: Sequence[tuple[str, ...]], component: Substance) -> str | None:
    """How the component matched, preferring a term the allergy names exactly, then a term the
    allergy is broader than, then a term named inside the allergy text."""
    terms = [
        ("name", component.name),
        *(("synonym", synonym) for synonym in component.synonyms),
        *(("allergen class", cls) for cls in sorted(component.allergen_classes)),
    ]
    tests = (
        lambda phrase, words: phrase == words,
        lambda phrase, words: set(phrase) <= set(words),
        lambda phrase, words: _contains(phrase, words),
    )
    for test in tests:
        for label, term in terms:
            words = _words(term)
            if words and any(test(phrase, words) for phrase in phrases):
                return label if label == "name" else f"{label} '{term}'"
    return None


def _phrases(text: str) -> tuple[tuple[str, ...], ...]:
    phrases: list[tuple[str, ...]] = []
    for chunk in _SEPARATORS.split(text):
        current: list[str] = []
        for word in _words(chunk):
            if word in _CONNECTIVES:
                phrases.append(tuple(current))
                current = []
            elif word not in _FILLER:
                current.append(word)
        phrases.append(tuple(current))
    return tuple(phrase for phrase in phrases if phrase)


def _words(text: str) -> tuple[str, ...]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return tuple(_canonical(word) for word in re.findall(r"[a-z0-9]+", plain))


def _canonical(word: str) -> str:
    word = _SPELLINGS.get(word, word)
    if word.startswith("anaesth"):
        word = "anesth" + word.removeprefix("anaesth")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _contains(words: tuple[str, ...], run: tuple[str, ...]) -> bool:
    """``run`` occurs as consecutive words in ``words``."""
    n = len(run)
    return bool(run) and any(words[i : i + n] == run for i in range(len(words) - n + 1))
