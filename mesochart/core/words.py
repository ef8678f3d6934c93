"""Words the core holds for people to read, in English, marked for the catalogue.

`gettext_noop` marks a word (makemessages reads calls of this name wherever they are) and
returns it as it is: the core stays English and Django-free, and the word is translated where
it is shown (`gettext(word)` in Python, ``{% translate word %}`` in a template).
"""


def gettext_noop(message: str) -> str:
    return message
