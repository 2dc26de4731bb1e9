"""Every form sent back with errors says so the same accessible way (templates/includes/error_summary.html):
a summary at the top, announced, listing each error as a link to its field; each field labelled, marked
aria-invalid and described by its own error text; the script that moves the focus to the summary loaded.
The browser side (the focus really moves) is tests/browser/test_keyboard.py.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
CONTROLS = ("input", "select", "textarea")


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: "Node | None" = None
    children: list["Node | str"] = field(default_factory=list)

    def text(self) -> str:
        return " ".join(" ".join((c if isinstance(c, str) else c.text()).split()) for c in self.children if c).strip()

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class Tree(HTMLParser):
    """Just enough of a DOM to follow ids, labels and ancestors in a rendered page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag: str) -> None:
        for node in [self.current, *self.current.ancestors()]:
            if node.tag == tag:
                self.current = node.parent or self.root
                return

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)

    def by_id(self, element_id: str) -> Node | None:
        return next((n for n in self.root.iter() if n.attrs.get("id") == element_id), None)

    def find_all(self, tag: str, cls: str | None = None) -> list[Node]:
        return [n for n in self.root.iter() if n.tag == tag and (cls is None or cls in n.classes())]


def assert_accessible_errors(html: str, form_class: str | None = None) -> Tree:
    """The page's error summary and the invalid fields of its form follow the pattern (see the module doc)."""
    tree = Tree(html)
    summaries = [n for n in tree.root.iter() if "error-summary" in n.classes()]
    assert len(summaries) == 1, f"expected one error summary, found {len(summaries)}"
    summary = summaries[0]
    assert summary.attrs.get("role") == "alert" and summary.attrs.get("tabindex") == "-1"
    assert "data-error-summary" in summary.attrs
    assert any(n.tag == "h2" for n in summary.iter()), "the summary has a heading"
    assert re.search(r'<script src="[^"]*/js/forms\.js" defer></script>', html), "the focus script is loaded"

    forms = [f for f in tree.find_all("form") if form_class is None or form_class in f.classes()]
    assert forms, f"no form {form_class or ''} on the page"
    invalid = [n for f in forms for n in f.iter() if n.tag in CONTROLS and n.attrs.get("aria-invalid") == "true"]
    assert invalid, "no field is marked aria-invalid"
    links = [a for a in summary.iter() if a.tag == "a"]
    assert links, "the summary links to the fields"
    for link in links:
        target = tree.by_id(link.attrs["href"].removeprefix("#"))
        assert target is not None and target.tag in CONTROLS, f"{link.attrs['href']} points at no field"
        assert target.attrs.get("aria-invalid") == "true", f"{link.attrs['href']} is not marked invalid"

    for control in invalid:
        name = control.attrs.get("id", control.attrs.get("name"))
        # Radio and checkbox groups are described on their fieldset (Django's field template).
        group = next((a for a in control.ancestors() if a.tag == "fieldset" and "aria-describedby" in a.attrs), None)
        described_by = (group or control).attrs.get("aria-describedby", "").split()
        errors = [tree.by_id(i) for i in described_by if i.endswith("_error")]
        assert errors and all(errors), f"{name}: aria-describedby {described_by} names no error text"
        assert all("errorlist" in e.classes() and e.text() for e in errors), f"{name}: its error text is empty"
        for message in (li.text() for e in errors for li in e.iter() if li.tag == "li"):
            assert message in summary.text(), f"{name}: its error {message!r} is missing from the summary"

    for form in forms:
        for control in form.iter():
            if control.tag in CONTROLS and control.attrs.get("type") not in ("hidden", "submit", "button"):
                assert has_label(tree, control), f"{control.attrs.get('name')} has no label"
    return tree


def has_label(tree: Tree, control: Node) -> bool:
    if control.attrs.get("aria-label") or control.attrs.get("aria-labelledby"):
        return True
    if any(a.tag == "label" for a in control.ancestors()):
        return True
    element_id = control.attrs.get("id")
    return bool(element_id) and any(
        label.attrs.get("for") == element_id and label.text() for label in tree.find_all("label")
    )


# --- The forms ----------------------------------------------------------------------------------------------


def test_sign_up(visitor) -> None:
    response = visitor.post("/en/akun/signup/", {"email": "bukan-email", "password1": "a", "password2": "b"})
    tree = assert_accessible_errors(response.content.decode(), "account-form")
    assert tree.by_id("id_email").attrs["aria-describedby"] == "id_email_error"


def test_login(visitor) -> None:
    response = visitor.post("/akun/login/", {"login": "", "password": ""})
    assert_accessible_errors(response.content.decode(), "account-form")


def test_inquiry(visitor, make_ikm, make_product) -> None:
    product = make_product(make_ikm())
    response = visitor.post(f"/en/tanya/produk/{product.slug}/", {"email": "not an address"})
    assert response.status_code == 200
    tree = assert_accessible_errors(response.content.decode(), "inquiry-form")
    summary = tree.find_all("div", "error-summary")[0]
    assert summary.text().startswith("Your inquiry was not sent yet")
    hrefs = [a.attrs["href"] for a in summary.iter() if a.tag == "a"]
    # In the form's order; the radio group's link goes to its first option.
    assert hrefs == ["#inquiry_name", "#inquiry_email", "#inquiry_buyer_type_0", "#inquiry_message"]


def test_report(visitor, make_ikm, make_product) -> None:
    product = make_product(make_ikm())
    response = visitor.post(reverse("moderation:report-product", args=[product.slug]), {"details": ""})
    assert response.status_code == 400
    assert_accessible_errors(response.content.decode(), "report-form")


def test_product_form(owner_client, owner_ikm) -> None:
    response = owner_client.post(reverse("catalog:owner-product-create"), {"name": ""})
    assert response.status_code == 200
    assert_accessible_errors(response.content.decode(), "owner-form")


def test_certificate_form(owner_client, owner_ikm) -> None:
    response = owner_client.post(reverse("catalog:owner-certification-create"), {"issued_on": "kemarin"})
    assert response.status_code == 200
    assert_accessible_errors(response.content.decode(), "owner-form")


def test_ikm_profile_creation(owner_client) -> None:
    response = owner_client.post(reverse("ikm:profile-create"), {"name": ""})
    assert response.status_code == 200
    assert_accessible_errors(response.content.decode(), "ikm-form")


def test_ikm_profile_with_a_bad_shop_link(owner_client, owner_ikm) -> None:
    """A formset row's error is summarised with the row's number and links to that row's field."""
    data = {
        "name": owner_ikm.name,
        "slug": owner_ikm.slug,
        "sector": owner_ikm.sector,
        "region": owner_ikm.region_id,
        "whatsapp": "0812-3456-7890",
        "workers_women": "3",
        "workers_men": "1",
        "links-TOTAL_FORMS": "2",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "9",
        "links-0-platform": "",
        "links-0-url": "",
        "links-1-platform": "shopee",
        "links-1-url": "https://www.tokopedia.com/makijah",
    }
    response = owner_client.post("/en" + reverse("ikm:profile-edit"), data)
    assert response.status_code == 200
    assert "url" in response.context["links"].forms[1].errors
    tree = assert_accessible_errors(response.content.decode(), "ikm-form")
    link = next(a for a in tree.find_all("a") if a.attrs.get("href") == "#id_links-1-url")
    assert link.text().startswith("Shop link 2, ")


def test_event_application(owner_client, owner_ikm, make_product) -> None:
    """A checkbox group's error: aria-invalid on each box, the description on the group's fieldset."""
    from exhibitions.models import Event

    make_product(owner_ikm)
    now = timezone.now()
    event = Event.objects.create(
        kind=Event.Kind.PAMERAN,
        title="Lampung Craft 2026",
        slug="lampung-craft-2026",
        summary="Pameran produk IKM Lampung.",
        starts_at=now + dt.timedelta(days=30),
        ends_at=now + dt.timedelta(days=30, hours=7),
        venue_name="Graha Wangsa",
        venue_address="Jl. Wolter Monginsidi No. 1",
        region_id="18.71",
        organiser="Dekranasda Provinsi Lampung",
        status=Event.Status.PUBLISHED,
        published_at=now,
        applications_open_at=now - dt.timedelta(days=1),
        applications_close_at=now + dt.timedelta(days=7),
        places=3,
    )
    response = owner_client.post(reverse("exhibitions:event-apply", args=[event.slug]), {"products": ["999999"]})
    assert response.status_code == 200
    tree = assert_accessible_errors(response.content.decode(), "apply-form")
    boxes = [n for n in tree.find_all("input") if n.attrs.get("name") == "products"]
    assert boxes and all(box.attrs.get("aria-invalid") == "true" for box in boxes)


def test_a_form_without_errors_has_no_summary_and_no_script(owner_client, owner_ikm) -> None:
    html = owner_client.get(reverse("catalog:owner-product-create")).content.decode()
    assert "error-summary" not in html and "js/forms.js" not in html
    assert 'aria-invalid="true"' not in html


def test_the_checker_notices_an_error_without_its_description() -> None:
    """assert_accessible_errors fails on a field marked invalid whose error text is not tied to it."""
    html = """<div class="error-summary" role="alert" tabindex="-1" data-error-summary><h2>Fix</h2>
        <ul><li><a href="#id_name">Name: Required.</a></li></ul></div>
        <script src="/static/js/forms.js" defer></script>
        <form class="f"><label for="id_name">Name</label>
        <ul class="errorlist" id="id_name_error"><li>Required.</li></ul>
        <input id="id_name" name="name" aria-invalid="true"></form>"""
    with pytest.raises(AssertionError, match="names no error text"):
        assert_accessible_errors(html, "f")
    assert_accessible_errors(
        html.replace('aria-invalid="true"', 'aria-invalid="true" aria-describedby="id_name_error"')
    )
