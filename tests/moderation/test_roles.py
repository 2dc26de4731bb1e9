"""The Moderator role: exactly the permissions to moderate, the create_moderator command, and no escalation."""

from importlib import import_module

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import NoReverseMatch, reverse

from catalog.models import Product
from moderation.roles import MODERATOR_GROUP, MODERATOR_PERMISSIONS, moderator_group_sync

pytestmark = pytest.mark.django_db


def _perms(group: Group) -> set[tuple[str, str]]:
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def test_the_migration_creates_the_group_with_exactly_the_listed_permissions() -> None:
    group = Group.objects.get(name=MODERATOR_GROUP)
    assert _perms(group) == set(MODERATOR_PERMISSIONS)
    frozen = import_module("moderation.migrations.0003_moderator_group").PERMISSIONS
    assert set(frozen) == set(MODERATOR_PERMISSIONS), "changing the role needs a new data migration"


def test_the_role_never_touches_accounts_groups_or_permissions() -> None:
    apps = {app for app, _ in MODERATOR_PERMISSIONS}
    assert apps.isdisjoint({"auth", "accounts", "contenttypes", "sessions", "admin", "account", "mfa"})


def test_sync_restores_a_deleted_group_and_removes_extra_permissions() -> None:
    Group.objects.filter(name=MODERATOR_GROUP).delete()
    group = moderator_group_sync()
    group.permissions.add(Permission.objects.get(codename="change_user"))
    group = moderator_group_sync()
    assert _perms(group) == set(MODERATOR_PERMISSIONS)


# --- create_moderator ------------------------------------------------------------------------


def test_create_moderator_makes_a_staff_account_without_a_password_and_mails_a_link(
    client, settings, django_user_model
) -> None:
    settings.SITE_URL = "https://galeri.example"
    out = _call("create_moderator", "Rina@LampungProv.test", "--name", "Rina Wati")
    user = django_user_model.objects.get(email="rina@lampungprov.test")
    assert user.is_staff and not user.is_superuser and user.is_active
    assert not user.has_usable_password()
    assert user.full_name == "Rina Wati"
    assert list(user.groups.values_list("name", flat=True)) == [MODERATOR_GROUP]
    assert EmailAddress.objects.get(user=user).verified
    [message] = mail.outbox
    assert message.to == ["rina@lampungprov.test"]
    link = next(word for word in message.body.split() if word.startswith("https://galeri.example/akun/"))
    assert link in out
    # The link is allauth's own "set a new password" link, and it works.
    response = client.get(link.removeprefix("https://galeri.example"))
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 200 and b'name="password1"' in response.content


def test_create_moderator_promotes_an_existing_account_and_keeps_its_password(make_user, password) -> None:
    user = make_user("budi@lampungprov.test")
    _call("create_moderator", "budi@lampungprov.test", "--no-email")
    user.refresh_from_db()
    assert user.is_staff and not user.is_superuser
    assert user.check_password(password)
    assert user.groups.filter(name=MODERATOR_GROUP).exists()
    assert mail.outbox == []


def test_create_moderator_asks_for_a_password_when_told(monkeypatch, django_user_model) -> None:
    answers = iter(["kopi-robusta-lampung-2026", "kopi-robusta-lampung-2026"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    _call("create_moderator", "sari@lampungprov.test", "--password")
    user = django_user_model.objects.get(email="sari@lampungprov.test")
    assert user.check_password("kopi-robusta-lampung-2026")
    assert mail.outbox == []


def test_create_moderator_refuses_an_ikm_owner_and_a_bad_address(owner_ikm, owner) -> None:
    with pytest.raises(CommandError, match=owner.email):
        _call("create_moderator", owner.email)
    owner.refresh_from_db()
    assert not owner.is_staff
    with pytest.raises(CommandError, match="not a valid email"):
        _call("create_moderator", "bukan-email")


def test_create_moderator_recreates_a_missing_group(django_user_model) -> None:
    Group.objects.all().delete()  # as a flushed test database or a restore without it
    _call("create_moderator", "dewi@lampungprov.test", "--no-email")
    group = Group.objects.get(name=MODERATOR_GROUP)
    assert _perms(group) == set(MODERATOR_PERMISSIONS)


def _call(*args: str) -> str:
    import io

    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


# --- The moderator does the work -------------------------------------------------------------


def _registered(model_label: str) -> bool:
    from django.apps import apps

    return apps.get_model(model_label) in admin.site._registry


MODERATED_CHANGELISTS = [
    "ikm.IKM",
    "catalog.Product",
    "catalog.Certification",
    "catalog.Category",
    "exhibitions.Event",
    "exhibitions.ExhibitorApplication",
    "inquiries.Inquiry",
    "inquiries.ContactClick",
    "moderation.Report",
    "moderation.Decision",
    "moderation.CertificationReminder",
]


@pytest.mark.parametrize("model_label", MODERATED_CHANGELISTS)
def test_the_moderator_opens_every_moderation_list(moderator_client, model_label: str) -> None:
    if not _registered(model_label):
        pytest.skip(f"{model_label} has no admin yet")
    app_label, model = model_label.lower().split(".")
    response = moderator_client.get(reverse(f"admin:{app_label}_{model}_changelist"))
    assert response.status_code == 200


def test_the_moderator_sees_the_admin_index_with_its_apps(moderator_client) -> None:
    response = moderator_client.get(reverse("admin:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="galeri-queues-title"' in html
    assert "/admin/accounts/" not in html and "/admin/auth/" not in html


def test_the_moderator_approves_a_product_with_the_catalog_action(
    moderator_client, owner_ikm, make_product, django_capture_on_commit_callbacks
) -> None:
    product = make_product(owner_ikm, status=Product.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            reverse("admin:catalog_product_changelist"),
            {"action": "approve", ACTION_CHECKBOX_NAME: [product.pk]},
        )
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.status == Product.Status.PUBLISHED


def test_the_moderator_edits_an_event(moderator_client) -> None:
    assert moderator_client.get(reverse("admin:exhibitions_event_add")).status_code == 200


# --- ... and cannot escalate ------------------------------------------------------------------


def test_the_moderator_cannot_open_users_groups_or_permissions(moderator_client, moderator, staff_user) -> None:
    urls = [
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_add"),
        reverse("admin:accounts_user_change", args=[moderator.pk]),
        reverse("admin:accounts_user_change", args=[staff_user.pk]),
        reverse("admin:auth_group_changelist"),
        reverse("admin:auth_group_add"),
        reverse("admin:auth_group_change", args=[Group.objects.get(name=MODERATOR_GROUP).pk]),
    ]
    try:
        urls.append(reverse("admin:auth_user_password_change", args=[moderator.pk]))
    except NoReverseMatch:
        urls.append(reverse("admin:accounts_user_password_change", args=[moderator.pk]))
    for url in urls:
        assert moderator_client.get(url).status_code == 403, url


def test_the_moderator_cannot_make_itself_superuser(moderator_client, moderator) -> None:
    url = reverse("admin:accounts_user_change", args=[moderator.pk])
    data = {
        "email": moderator.email,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "user_permissions": [p.pk for p in Permission.objects.all()[:5]],
        "groups": [Group.objects.get(name=MODERATOR_GROUP).pk],
    }
    assert moderator_client.post(url, data).status_code == 403
    group = Group.objects.get(name=MODERATOR_GROUP)
    response = moderator_client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": MODERATOR_GROUP, "permissions": [p.pk for p in Permission.objects.all()]},
    )
    assert response.status_code == 403
    moderator.refresh_from_db()
    assert not moderator.is_superuser
    assert not moderator.user_permissions.exists()
    assert _perms(group) == set(MODERATOR_PERMISSIONS)


def test_no_admin_the_moderator_may_change_edits_accounts_or_permissions(rf, moderator) -> None:
    """Every model admin the moderator may change or add in: none is about users, groups or permissions."""
    request = rf.get("/admin/")
    request.user = moderator
    forbidden = {"accounts", "auth", "account", "mfa", "contenttypes", "admin", "sessions"}
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in forbidden:
            assert not model_admin.has_change_permission(request), model
            assert not model_admin.has_add_permission(request), model
            assert not model_admin.has_delete_permission(request), model


def test_the_moderator_decides_with_each_app_s_actions(
    moderator_client, moderator, owner_ikm, make_ikm, make_product, make_certification, make_report
) -> None:
    """Verify an IKM, verify a certificate, accept an application, resolve a report: all as a moderator."""
    from django.utils import timezone

    from catalog.models import Certification
    from exhibitions.models import Event, ExhibitorApplication
    from ikm.models import IKM
    from moderation.models import Report

    submitted = make_ikm(status=IKM.Status.SUBMITTED, submitted_at=timezone.now())
    certification = make_certification(owner_ikm)
    now = timezone.now()
    event = Event.objects.create(
        kind=Event.Kind.PAMERAN,
        title="Lampung Craft",
        slug="lampung-craft",
        starts_at=now + timezone.timedelta(days=30),
        ends_at=now + timezone.timedelta(days=31),
        venue_name="Graha Wangsa",
        region_id="18.71",
        organiser="Dekranasda",
        status=Event.Status.PUBLISHED,
        published_at=now,
    )
    application = ExhibitorApplication.objects.create(event=event, ikm=owner_ikm)
    report = make_report(ikm=owner_ikm)
    steps = [
        ("admin:ikm_ikm_changelist", "verify", submitted, {}),
        ("admin:catalog_certification_changelist", "verify", certification, {}),
        ("admin:exhibitions_exhibitorapplication_changelist", "accept_applications", application, {}),
        ("admin:moderation_report_changelist", "resolve_reports", report, {"apply": "1", "reason": "Sudah dicek."}),
    ]
    for url_name, action, obj, extra in steps:
        if url_name.startswith("admin:ikm") and not _registered("ikm.IKM"):
            continue
        response = moderator_client.post(reverse(url_name), {"action": action, ACTION_CHECKBOX_NAME: [obj.pk], **extra})
        assert response.status_code == 302, (url_name, action)
    if _registered("ikm.IKM"):
        submitted.refresh_from_db()
        assert submitted.status == IKM.Status.VERIFIED and submitted.verified_by == moderator
    certification.refresh_from_db()
    application.refresh_from_db()
    report.refresh_from_db()
    assert certification.status == Certification.Status.VERIFIED and certification.verified_by == moderator
    assert application.status == ExhibitorApplication.Status.ACCEPTED
    assert report.status == Report.Status.RESOLVED and report.resolved_by == moderator
