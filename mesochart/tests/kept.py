"""What a re-rendered page shows in its form fields, for the tests that a refused form keeps
every value that was entered (issue 12, defect 3)."""

from html.parser import HTMLParser


class _Fields(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def _add(self, name: str, value: str) -> None:
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value") or "on")
            elif kind not in ("submit", "button"):
                self._add(name, a.get("value") or "")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][-1] += data


def shown(body: str) -> dict[str, list[str]]:
    """Every named field of the page with the values it shows (ticked, selected, typed)."""
    parser = _Fields()
    parser.feed(body)
    return parser.values


def assert_kept(body: str, typed: dict, except_: tuple[str, ...] = ()) -> None:
    """Each of ``typed`` (name → value or list of values) is shown again in its field."""
    fields = shown(body)
    for name, value in typed.items():
        if name in except_ or name == "csrfmiddlewaretoken":
            continue
        wanted = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
        got = [v.strip() for v in fields.get(name, [])]
        for one in (w for w in wanted if w.strip()):  # nothing typed: nothing to keep
            assert one.strip() in got, f"{name}: typed {one!r}, the page shows {got!r}"
