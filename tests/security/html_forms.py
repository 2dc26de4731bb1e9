"""What a browser would submit from a form on a page: for tests that post a page's own form back, changed."""

from collections.abc import Callable
from html.parser import HTMLParser


class FormValues(HTMLParser):
    """The values a browser would submit from one form (inputs, checked boxes, textareas, selected options)."""

    def __init__(self, is_the_form: Callable[[dict[str, str]], bool]) -> None:
        super().__init__(convert_charrefs=True)
        self.is_the_form = is_the_form
        self.inside = False
        self.values: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._option: str | None = None

    def _add(self, name: str, value: str) -> None:
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = self.is_the_form(a)
        if not self.inside or "name" not in a and tag != "option":
            return
        if tag == "input" and a.get("type") not in ("submit", "button", "file", "image"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self._add(a["name"], a.get("value", "on" if a.get("type") == "checkbox" else ""))
        elif tag == "textarea":
            self._textarea = a["name"]
            self._add(a["name"], "")
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea][-1] += data


def form_values(html: str, *, form_id: str = "", css_class: str = "") -> dict[str, list[str]]:
    parser = FormValues(lambda a: a.get("id") == form_id if form_id else css_class in a.get("class", "").split())
    parser.feed(html)
    assert parser.values, f"no form #{form_id or css_class}"
    return parser.values


def post_data(values: dict[str, list[str]]) -> dict[str, list[str] | str]:
    """The values as the test client's ``post()`` takes them: one value, or a list for repeated names."""
    return {name: (v if len(v) > 1 else v[0]) for name, v in values.items()}
