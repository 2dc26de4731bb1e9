"""Who may do what: every URL pattern × five actors × GET and POST, each with its expected answer.

The patterns come from the URL resolver, so a URL that nobody classified fails
``test_every_url_pattern_is_classified`` (and each of its cases fails with what it answered).
docs/permissions.md explains the table and how to classify a new URL.

Every object in the URLs belongs to ``owner``; ``other_owner`` has an IKM of its own and must get a
404 on the owner's objects (never a 403 that tells them the object exists). POSTs carry no data (CSRF
is not enforced by the test client): what matters is who gets in, not what a valid form does.
"""

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from tests.security.urlwalk import Pattern, fill, resolves_to, url_patterns
from tests.security.world import ACTORS, World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> World:
    """The shared data (tests/security/world.py), built once inside a transaction rolled back at the end.

    Each test runs in a savepoint inside it (pytest-django's ``db``), so a test that archives a product or
    logs out changes nothing for the next one. On-commit work (emails, file deletions) never runs.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


PATTERNS: dict[str, Pattern] = {pattern.key: pattern for pattern in url_patterns()}
METHODS = ("GET", "POST")

# --- Answers ---------------------------------------------------------------------------------------

OK = 200
BAD = 400  # the form's errors, shown again
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405
LOGIN = "login"  # 302 to allauth's login page
ADMIN_LOGIN = "admin-login"  # 302 to the admin's login (which hands over to allauth)
REDIRECT = "redirect"  # 302 anywhere else: a success, or "go and create your IKM first"

Answer = int | str
Row = dict[str, tuple[Answer, Answer]]  # actor -> (GET, POST)


def _pair(answer: Answer | tuple[Answer, Answer]) -> tuple[Answer, Answer]:
    return answer if isinstance(answer, tuple) else (answer, answer)


def row(anonymous: object, owner: object, other_owner: object, moderator: object, superuser: object) -> Row:
    """One answer per actor: a single answer for GET and POST, or a (GET, POST) pair."""
    return dict(zip(ACTORS, map(_pair, (anonymous, owner, other_owner, moderator, superuser)), strict=True))


def everyone(answer: object) -> Row:
    return row(answer, answer, answer, answer, answer)


def staff(answer: object) -> Row:
    """An admin page: staff get ``answer``; everyone else is sent to the admin's login."""
    return row(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, answer, answer)


def get_only(answer: Answer) -> tuple[Answer, Answer]:
    return answer, NOT_ALLOWED


def post_only(answer: Answer) -> tuple[Answer, Answer]:
    return NOT_ALLOWED, answer


SEEN = get_only(OK)  # a page that only reads
HIDDEN = get_only(NOT_FOUND)  # ... that this actor may not know exists
PAGE = everyone(SEEN)  # a public page
FORM = everyone((OK, OK))  # a public page with a form (an empty POST shows its errors again)
# A button on the owner's object (POST only): staff, who have no IKM, are sent to create one.
OWNED_ACTION = row(
    post_only(LOGIN), post_only(REDIRECT), post_only(NOT_FOUND), post_only(REDIRECT), post_only(REDIRECT)
)

# --- The site's own URLs ---------------------------------------------------------------------------
# Staff have no IKM: the owner pages send them on (to create one, or to the admin).

EXPECTED: dict[str, Row] = {
    # Machines and language.
    "healthz": PAGE,
    "set_language": everyone(REDIRECT),
    "robots-txt": PAGE,
    "sitemap-index": everyone(OK),  # read-only whatever the method
    "sitemap-section": everyone(OK),
    # Django serves media only in development; the test asks for a file outside the media folder.
    "^media/(?P<path>.*)$": everyone(BAD),
    "bench-floor": PAGE,
    # Public pages.
    "home": PAGE,
    "ikm:ikm-list": PAGE,
    "ikm:ikm-detail": PAGE,
    "catalog:product-list": PAGE,
    "catalog:product-detail": PAGE,
    "catalog:product-detail[draft]": row(HIDDEN, SEEN, HIDDEN, SEEN, SEEN),  # a preview
    "exhibitions:event-list": PAGE,
    "exhibitions:calendar-feed": PAGE,
    "exhibitions:event-ics": PAGE,
    "exhibitions:event-ics[draft]": row(HIDDEN, HIDDEN, HIDDEN, SEEN, SEEN),
    "exhibitions:event-detail": PAGE,
    "exhibitions:event-detail[draft]": row(HIDDEN, HIDDEN, HIDDEN, SEEN, SEEN),  # a preview for staff
    # Buyers ask and report without an account.
    "inquiries:ask-product": FORM,
    "inquiries:ask-product[draft]": everyone(NOT_FOUND),
    "inquiries:sent-product": PAGE,
    "inquiries:ask-ikm": FORM,
    "inquiries:sent-ikm": PAGE,
    "inquiries:whatsapp-product": everyone(get_only(REDIRECT)),  # to wa.me
    "inquiries:whatsapp-product[draft]": everyone(HIDDEN),
    "inquiries:whatsapp-ikm": everyone(get_only(REDIRECT)),
    "moderation:report-product": everyone((OK, BAD)),
    "moderation:report-product[draft]": everyone(NOT_FOUND),
    "moderation:report-ikm": everyone((OK, BAD)),
    # The owner's IKM profile and dashboard: always the signed-in user's own, never named in the URL.
    "ikm:dashboard": row(LOGIN, SEEN, SEEN, REDIRECT, REDIRECT),
    # Those who have an IKM go to it; staff may not own one (they would verify it themselves).
    "ikm:profile-create": row(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "ikm:profile-edit": row(LOGIN, OK, OK, REDIRECT, REDIRECT),
    "ikm:profile-submit": row(LOGIN, post_only(REDIRECT), post_only(REDIRECT), REDIRECT, REDIRECT),
    # The owner's products, photos and certificates (objects in the URL: the other owner gets a 404).
    "catalog:owner-product-list": row(get_only(LOGIN), SEEN, SEEN, get_only(REDIRECT), get_only(REDIRECT)),
    "catalog:owner-product-create": row(LOGIN, OK, OK, REDIRECT, REDIRECT),
    "catalog:owner-product-update": row(LOGIN, OK, NOT_FOUND, REDIRECT, REDIRECT),
    "catalog:owner-product-photos": row(LOGIN, OK, NOT_FOUND, REDIRECT, REDIRECT),
    "catalog:owner-photo-remove": OWNED_ACTION,
    "catalog:owner-photo-move": OWNED_ACTION,
    "catalog:owner-product-submit": OWNED_ACTION,
    "catalog:owner-product-archive": OWNED_ACTION,
    "catalog:owner-product-unarchive": OWNED_ACTION,
    "catalog:owner-certification-list": row(get_only(LOGIN), SEEN, SEEN, get_only(REDIRECT), get_only(REDIRECT)),
    "catalog:owner-certification-create": row(LOGIN, OK, OK, REDIRECT, REDIRECT),
    "catalog:owner-certification-update": row(LOGIN, OK, NOT_FOUND, REDIRECT, REDIRECT),
    # The private scan: its owner and staff who verify certificates; a 404 for everyone else, even signed out.
    "catalog:owner-certification-document": row(HIDDEN, SEEN, HIDDEN, SEEN, SEEN),
    # Events: the owner already applied (sent back to the event page); the other owner may apply.
    "exhibitions:event-apply": row(LOGIN, REDIRECT, OK, REDIRECT, REDIRECT),
    "exhibitions:event-apply[draft]": row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "exhibitions:application-withdraw": row(
        LOGIN, post_only(REDIRECT), post_only(NOT_FOUND), post_only(NOT_FOUND), post_only(NOT_FOUND)
    ),
    # The inbox: staff read inquiries in the admin, not here.
    "inquiries:inbox": row(LOGIN, SEEN, SEEN, get_only(REDIRECT), get_only(REDIRECT)),
    "inquiries:inbox-detail": row(LOGIN, SEEN, HIDDEN, HIDDEN, HIDDEN),
    "inquiries:inbox-action": row(
        LOGIN, post_only(REDIRECT), post_only(NOT_FOUND), post_only(NOT_FOUND), post_only(NOT_FOUND)
    ),
    # Accounts (allauth). Signed-in users are sent on from the login and sign-up pages; the session of
    # force_login is not "recently authenticated", so sensitive steps ask to reauthenticate (a redirect).
    "account_login": row(OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "account_signup": row(OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "account_logout": row(REDIRECT, (OK, REDIRECT), (OK, REDIRECT), (OK, REDIRECT), (OK, REDIRECT)),
    "account_inactive": PAGE,
    "account_reauthenticate": row(LOGIN, OK, OK, OK, OK),
    "account_request_reauthentication_code": row(LOGIN, OK, OK, OK, OK),
    "account_confirm_reauthentication_code": row(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "account_email": row(LOGIN, (OK, REDIRECT), (OK, REDIRECT), (OK, REDIRECT), (OK, REDIRECT)),
    "account_email_verification_sent": PAGE,
    "account_change_password": row(LOGIN, OK, OK, OK, OK),
    "account_set_password": row(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT),  # they have a password
    "account_reset_password": FORM,
    "account_reset_password_done": PAGE,
    "account_reset_password_from_key": FORM,  # a wrong key: the page says so
    "account_reset_password_from_key_done": PAGE,
    "account_confirm_login_code": row(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "account_confirm_email": everyone((OK, NOT_FOUND)),  # a wrong key
    # Two-factor authentication: only the superuser has recovery codes in this world.
    "mfa_index": row(LOGIN, SEEN, SEEN, SEEN, SEEN),
    "mfa_authenticate": row(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "mfa_reauthenticate": row(LOGIN, REDIRECT, REDIRECT, REDIRECT, OK),
    "mfa_activate_totp": row(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "mfa_deactivate_totp": row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "mfa_view_recovery_codes": row(
        LOGIN, (NOT_FOUND, NOT_ALLOWED), (NOT_FOUND, NOT_ALLOWED), (NOT_FOUND, NOT_ALLOWED), (REDIRECT, NOT_ALLOWED)
    ),
    "mfa_generate_recovery_codes": row(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "mfa_download_recovery_codes": row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, REDIRECT),
    # The admin site's own pages. Signed-in non-staff get a 403 from its login, not a form.
    "admin:login": row(LOGIN, FORBIDDEN, FORBIDDEN, (REDIRECT, OK), (REDIRECT, OK)),
    "admin:logout": row(REDIRECT, REDIRECT, REDIRECT, post_only(OK), post_only(OK)),
    "admin:index": staff(OK),
    "admin:app_list": staff(OK),
    "admin:app_list[accounts]": row(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, NOT_FOUND, OK),
    "admin:password_change": staff(OK),
    "admin:password_change_done": staff(SEEN),
    "admin:autocomplete": staff(SEEN),
    "admin:jsi18n": staff(SEEN),
    "admin:view_on_site": staff(REDIRECT),
    "admin/(?P<url>.*)$": staff(NOT_FOUND),
    "admin:moderation-statistics": staff(SEEN),
    "admin:moderation-export-ikm": staff(SEEN),
    "admin:moderation-export-products": staff(SEEN),
    "admin:inquiries_inquiry_figures": staff(OK),
    "admin:auth_user_password_change": row(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, FORBIDDEN, OK),
}

# --- The admin's model pages -----------------------------------------------------------------------
# What each model's admin allows at all (the superuser's rights) and what the Moderator group may do
# (moderation/roles.py). "view" is implied by "change". Accounts, groups and 2FA are the superuser's.

ADMIN_RIGHTS: dict[str, tuple[str, str]] = {
    # model: (superuser, moderator)
    "auth.group": ("view add change delete", ""),
    "account.emailaddress": ("view add change delete", ""),
    "mfa.authenticator": ("view add change delete", ""),
    "accounts.user": ("view add change delete", ""),
    "moderation.decision": ("view", "view"),  # the audit trail is read-only, even for superusers
    "moderation.certificationreminder": ("view", "view"),
    "moderation.report": ("view change", "view change"),  # reports come from the public form
    "ikm.ikm": ("view add change delete", "view change"),
    "ikm.region": ("view", ""),  # the 15 kabupaten/kota come from a migration
    "catalog.category": ("view change", "view"),
    "catalog.product": ("view add change delete", "view change"),
    "catalog.certification": ("view add change delete", "view change"),
    "exhibitions.event": ("view add change delete", "view add change delete"),
    "exhibitions.exhibitorapplication": ("view change delete", "view change"),  # owners apply
    "inquiries.inquiry": ("view change delete", "view change"),  # buyers write them
    "inquiries.contactclick": ("view delete", "view"),  # counters
}
# Change forms whose every editable field is optional: an empty POST saves (and redirects).
EMPTY_FORM_SAVES = {"moderation.report", "exhibitions.exhibitorapplication"}


def _admin_page(view: str, model: str, rights: str) -> tuple[Answer, Answer]:
    can = set(rights.split())
    can_view = bool(can & {"view", "change"})
    if view in ("changelist", "history"):
        return (OK, OK) if can_view else (FORBIDDEN, FORBIDDEN)
    if view in ("add", "delete"):  # an empty POST to delete shows the confirmation again
        return (OK, OK) if view in can else (FORBIDDEN, FORBIDDEN)
    if view == "change":
        if "change" in can:
            return OK, (REDIRECT if model in EMPTY_FORM_SAVES else OK)
        return (OK, FORBIDDEN) if can_view else (FORBIDDEN, FORBIDDEN)
    if view == "redirect":  # admin/<app>/<model>/<id>/ → its change page
        return REDIRECT, REDIRECT
    raise AssertionError(view)


for _model, (_superuser, _moderator) in ADMIN_RIGHTS.items():
    _app, _name = _model.split(".")
    for _view in ("changelist", "add", "history", "delete", "change", "redirect"):
        _key = f"admin/{_app}/{_name}/<path:object_id>/" if _view == "redirect" else f"admin:{_app}_{_name}_{_view}"
        EXPECTED[_key] = row(
            ADMIN_LOGIN,
            ADMIN_LOGIN,
            ADMIN_LOGIN,
            _admin_page(_view, _model, _moderator),
            _admin_page(_view, _model, _superuser),
        )

# Patterns that exist only with a setting: SERVE_MEDIA (development), BENCH_FLOOR (benchmarks).
OPTIONAL = {"^media/(?P<path>.*)$", "bench-floor"}

# --- URL arguments: which object each pattern is asked about (always the owner's) ------------------

Kwargs = Callable[[World], dict[str, object]]
PRODUCT: Kwargs = lambda w: {"slug": w.product.slug}  # noqa: E731
DRAFT: Kwargs = lambda w: {"slug": w.draft.slug}  # noqa: E731
IKM_SLUG: Kwargs = lambda w: {"slug": w.ikm.slug}  # noqa: E731
EVENT: Kwargs = lambda w: {"slug": w.event.slug}  # noqa: E731
DRAFT_EVENT: Kwargs = lambda w: {"slug": w.draft_event.slug}  # noqa: E731

KWARGS: dict[str, Kwargs] = {
    "sitemap-section": lambda w: {"section": "products"},
    "^media/(?P<path>.*)$": lambda w: {"path": "../galeri.sqlite3"},
    "ikm:ikm-detail": IKM_SLUG,
    "catalog:product-detail": PRODUCT,
    "catalog:product-detail[draft]": DRAFT,
    "catalog:owner-product-update": lambda w: {"pk": w.product.pk},
    "catalog:owner-product-photos": lambda w: {"pk": w.product.pk},
    "catalog:owner-photo-remove": lambda w: {"pk": w.product.pk, "photo_pk": w.photo.pk},
    "catalog:owner-photo-move": lambda w: {"pk": w.product.pk, "photo_pk": w.photo.pk},
    "catalog:owner-product-submit": lambda w: {"pk": w.draft.pk},
    "catalog:owner-product-archive": lambda w: {"pk": w.product.pk},
    "catalog:owner-product-unarchive": lambda w: {"pk": w.draft.pk},
    "catalog:owner-certification-update": lambda w: {"pk": w.certification.pk},
    "catalog:owner-certification-document": lambda w: {"pk": w.certification.pk},
    "exhibitions:event-ics": EVENT,
    "exhibitions:event-ics[draft]": DRAFT_EVENT,
    "exhibitions:event-detail": EVENT,
    "exhibitions:event-detail[draft]": DRAFT_EVENT,
    "exhibitions:event-apply": EVENT,
    "exhibitions:event-apply[draft]": DRAFT_EVENT,
    "exhibitions:application-withdraw": EVENT,
    "inquiries:ask-product": PRODUCT,
    "inquiries:ask-product[draft]": DRAFT,
    "inquiries:sent-product": PRODUCT,
    "inquiries:ask-ikm": IKM_SLUG,
    "inquiries:sent-ikm": IKM_SLUG,
    "inquiries:whatsapp-product": PRODUCT,
    "inquiries:whatsapp-product[draft]": DRAFT,
    "inquiries:whatsapp-ikm": IKM_SLUG,
    "inquiries:inbox-detail": lambda w: {"pk": w.inquiry.pk},
    "inquiries:inbox-action": lambda w: {"pk": w.inquiry.pk},
    "moderation:report-product": PRODUCT,
    "moderation:report-product[draft]": DRAFT,
    "moderation:report-ikm": IKM_SLUG,
    "account_confirm_email": lambda w: {"key": "not-a-real-key"},
    "account_reset_password_from_key": lambda w: {"uidb36": "1", "key": "not-a-real-key"},
    "admin:view_on_site": lambda w: {"content_type_id": _content_type_id(w.product), "object_id": w.product.pk},
    "admin:auth_user_password_change": lambda w: {"id": w.users["owner"].pk},
    "admin:app_list": lambda w: {"app_label": "catalog"},
    "admin:app_list[accounts]": lambda w: {"app_label": "accounts"},  # nothing a moderator may see
    "admin/(?P<url>.*)$": lambda w: {"url": "tidak-ada/"},
}

# Query strings some views need to do their real work.
QUERY: dict[str, str] = {
    "admin:autocomplete": "app_label=catalog&model_name=product&field_name=ikm&term=keripik",
}


def _content_type_id(obj: object) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


# The object each admin model's change, delete and history pages are asked about.
ADMIN_OBJECTS: dict[str, Callable[[World], object]] = {
    "auth.group": lambda w: w.users["moderator"].groups.get(),
    "account.emailaddress": lambda w: w.users["owner"].emailaddress_set.get(),
    "mfa.authenticator": lambda w: w.authenticator,
    "accounts.user": lambda w: w.users["owner"],
    "moderation.decision": lambda w: w.decision,
    "moderation.certificationreminder": lambda w: w.reminder,
    "moderation.report": lambda w: w.report,
    "ikm.ikm": lambda w: w.ikm,
    "ikm.region": lambda w: w.ikm.region,
    "catalog.category": lambda w: w.product.category,
    "catalog.product": lambda w: w.product,
    "catalog.certification": lambda w: w.certification,
    "exhibitions.event": lambda w: w.event,
    "exhibitions.exhibitorapplication": lambda w: w.application,
    "inquiries.inquiry": lambda w: w.inquiry,
    "inquiries.contactclick": lambda w: w.click,
}


def _pattern_of(case: str) -> Pattern:
    """``catalog:product-detail[draft]`` is a second case of the pattern ``catalog:product-detail``."""
    return PATTERNS[case.split("[", 1)[0]]


def build_url(case: str, world: World, *, english: bool = False) -> str:
    pattern = _pattern_of(case)
    if case in KWARGS:
        kwargs = KWARGS[case](world)
    elif "object_id" in pattern.route:
        model = ".".join(pattern.route.split("/")[1:3])  # admin/<app_label>/<model_name>/<path:object_id>/...
        kwargs = {"object_id": ADMIN_OBJECTS[model](world).pk}
    else:
        kwargs = {}
    path = fill(pattern.route, kwargs)
    assert resolves_to(path, pattern.route), f"{path} does not resolve to {pattern.route}"
    if english:
        path = "/en" + path
    query = QUERY.get(case)
    return f"{path}?{query}" if query else path


def observe(response: object) -> Answer:
    """The answer's class: a status code, or where a redirect goes (in either language)."""
    if response.status_code in (301, 302, 303, 307, 308):
        path = urlsplit(response["Location"]).path.removeprefix("/en")
        with translation.override(settings.LANGUAGE_CODE):
            if path == reverse("account_login"):
                return LOGIN
            if path == reverse("admin:login"):
                return ADMIN_LOGIN
        return REDIRECT
    return response.status_code


def ask(world: World, url: str, actor: str, method: str) -> Answer:
    client = world.client(actor)
    response = client.get(url) if method == "GET" else client.post(url)
    if getattr(response, "streaming", False):
        # Reading it to the end closes it the test client's way; response.close() here would fire
        # request_finished, whose close_old_connections drops a PostgreSQL connection in mid-transaction.
        b"".join(response.streaming_content)
    assert response.status_code < 500, f"{method} {url} as {actor}: {response.status_code}"
    return observe(response)


# Every pattern (classified or not, so a new one fails by name), plus the extra cases of some.
CASE_KEYS = list(PATTERNS) + [key for key in EXPECTED if "[" in key and key.split("[", 1)[0] in PATTERNS]
CASES = [(case, actor, method) for case in CASE_KEYS for actor in ACTORS for method in METHODS]


def test_every_url_pattern_is_classified() -> None:
    unclassified = sorted(key for key in PATTERNS if key not in EXPECTED)
    assert not unclassified, (
        "URL patterns with no expected answers in tests/security/test_permission_matrix.py "
        f"(see docs/permissions.md, 'Classifying a new URL'): {unclassified}"
    )


def test_no_expectation_for_a_pattern_that_is_gone() -> None:
    stale = sorted(
        key for key in EXPECTED if key.split("[", 1)[0] not in PATTERNS and key.split("[", 1)[0] not in OPTIONAL
    )
    assert not stale, f"Expected answers for URL patterns that no longer exist: {stale}"


def test_every_admin_model_is_in_the_rights_table() -> None:
    from django.contrib import admin

    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(ADMIN_RIGHTS) == set(ADMIN_OBJECTS)


@pytest.mark.parametrize(("case", "actor", "method"), CASES)
def test_permission(world: World, case: str, actor: str, method: str) -> None:
    url = build_url(case, world)
    answer = ask(world, url, actor, method)
    assert case in EXPECTED, f"{case} is not classified; {method} {url} as {actor} answered {answer!r}"
    expected = EXPECTED[case][actor][0 if method == "GET" else 1]
    assert answer == expected, f"{method} {url} as {actor}: expected {expected!r}, got {answer!r}"


# The language prefix changes the words, not who may do what: the two most restricted actors again, in English.
ENGLISH_CASES = [
    (case, actor)
    for case in CASE_KEYS
    if _pattern_of(case).localized and case in EXPECTED
    for actor in ("anonymous", "other_owner")
]


@pytest.mark.parametrize(("case", "actor"), ENGLISH_CASES)
def test_permission_in_english(world: World, case: str, actor: str) -> None:
    url = build_url(case, world, english=True)
    assert ask(world, url, actor, "GET") == EXPECTED[case][actor][0]


@pytest.mark.parametrize("actor", ["moderator", "superuser"])
def test_staff_cannot_give_themselves_an_ikm_to_verify(world: World, actor: str) -> None:
    """A valid profile from a staff account creates nothing: staff would verify their own IKM."""
    from ikm.models import IKM

    data = {"name": "Kopi Sendiri", "sector": "pangan", "region": "18.71", "whatsapp": "0812 3456 7890"}
    response = world.client(actor).post(reverse("ikm:profile-create"), data)
    assert (response.status_code, response["Location"]) == (302, reverse("admin:index"))
    assert not IKM.objects.filter(owner=world.users[actor]).exists()
