"""A reader of gettext catalogues (.po), enough for the checks of the French translation:
every entry with its context, plural, translations and flags."""

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values()) and not self.fuzzy

    def mo_items(self):
        """The keys and values ``gettext.GNUTranslations`` holds for this entry."""
        prefix = "" if self.msgctxt is None else self.msgctxt + "\x04"
        if self.msgid_plural:
            for index, text in self.msgstr.items():
                yield (prefix + self.msgid, index), text
        else:
            yield prefix + self.msgid, self.msgstr[0]


def _text(line: str) -> str:
    return ast.literal_eval(line)


def read(path: Path) -> list[Entry]:
    """The catalogue's entries without its header and without obsolete (``#~``) ones."""
    entries, entry, target = [], Entry(), None
    flags: set[str] = set()

    def close():
        nonlocal entry, flags
        if target is not None:
            entry.fuzzy = "fuzzy" in flags
            entries.append(entry)
        entry, flags = Entry(), set()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            close()
            target = None
        elif line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if target[0] == "msgstr":
                entry.msgstr[target[1]] += _text(line)
            else:
                setattr(entry, target[0], getattr(entry, target[0]) + _text(line))
        else:
            keyword, _, value = line.partition(" ")
            if keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if "[" in keyword else 0
                entry.msgstr[index] = _text(value)
                target = ("msgstr", index)
            else:
                setattr(entry, keyword, _text(value))
                target = (keyword, 0)
    close()
    return [e for e in entries if e.msgid or e.msgctxt is not None]
