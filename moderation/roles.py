"""The Moderator role: exactly the permissions to moderate, and nothing over accounts, groups or permissions.

The group is created by migration 0003 (with a frozen copy of this list) and kept current by
``moderator_group_sync()``, which ``create_moderator`` calls, so a database flushed by tests or restored
without the group gets it back. A test checks that the migration and this list agree.
"""

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db import transaction

MODERATOR_GROUP = "Moderator"

# (app_label, codename). Moderators decide on what owners submit and run events; they never touch
# accounts (passwords, staff or superuser flags), groups or permissions: no auth.* and no accounts.*.
MODERATOR_PERMISSIONS: tuple[tuple[str, str], ...] = (
    # IKM: verify, request changes, suspend (status changes go through the IKM admin's actions).
    ("ikm", "view_ikm"),
    ("ikm", "change_ikm"),
    ("ikm", "view_ikmlink"),
    # Catalog: review products and their photos, verify certificates; categories are read-only.
    ("catalog", "view_product"),
    ("catalog", "change_product"),
    ("catalog", "view_productphoto"),
    ("catalog", "change_productphoto"),
    ("catalog", "view_certification"),
    ("catalog", "change_certification"),
    ("catalog", "view_category"),
    # Events: staff run them end to end, with their programme and awards.
    ("exhibitions", "view_event"),
    ("exhibitions", "add_event"),
    ("exhibitions", "change_event"),
    ("exhibitions", "delete_event"),
    ("exhibitions", "view_programmeitem"),
    ("exhibitions", "add_programmeitem"),
    ("exhibitions", "change_programmeitem"),
    ("exhibitions", "delete_programmeitem"),
    ("exhibitions", "view_award"),
    ("exhibitions", "add_award"),
    ("exhibitions", "change_award"),
    ("exhibitions", "delete_award"),
    ("exhibitions", "view_exhibitorapplication"),
    ("exhibitions", "change_exhibitorapplication"),
    # Buyer inquiries: read, mark as spam; WhatsApp click counters are read-only.
    ("inquiries", "view_inquiry"),
    ("inquiries", "change_inquiry"),
    ("inquiries", "view_contactclick"),
    # Reports from the public and the decision log.
    ("moderation", "view_report"),
    ("moderation", "change_report"),
    ("moderation", "view_decision"),
    ("moderation", "view_certificationreminder"),
)

MODERATOR_APPS = ("ikm", "catalog", "exhibitions", "inquiries", "moderation")


def moderator_group_sync(
    apps: Apps = global_apps, permissions: tuple[tuple[str, str], ...] = MODERATOR_PERMISSIONS
) -> object:
    """Create the Moderator group if needed and give it exactly ``permissions`` (extra ones are removed).

    Works with the historical ``apps`` of a migration as well as the live registry. Permissions that do
    not exist yet are created first (a fresh database runs this before the post_migrate signal does).
    """
    from django.contrib.auth.management import create_permissions

    for label in MODERATOR_APPS:
        create_permissions(global_apps.get_app_config(label), verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = set(permissions)
    found = [
        perm
        for perm in Permission.objects.filter(
            content_type__app_label__in={app for app, _ in wanted}, codename__in={code for _, code in wanted}
        ).select_related("content_type")
        if (perm.content_type.app_label, perm.codename) in wanted
    ]
    missing = wanted - {(perm.content_type.app_label, perm.codename) for perm in found}
    if missing:
        raise LookupError(f"Permissions missing for the Moderator group: {sorted(missing)}")
    with transaction.atomic():
        group, _created = Group.objects.get_or_create(name=MODERATOR_GROUP)
        group.permissions.set(found)
    return group
