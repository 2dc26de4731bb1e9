"""Create the Moderator group with exactly the permissions to moderate (see moderation/roles.py).

The list is frozen here, as a migration must be; moderation.roles.MODERATOR_PERMISSIONS is the current one and
tests/moderation/test_roles.py checks that they agree (a change to the role needs a new migration).
"""

from django.apps import apps as global_apps
from django.db import migrations

GROUP = "Moderator"
APPS = ("ikm", "catalog", "exhibitions", "inquiries", "moderation")
PERMISSIONS = (
    ("ikm", "view_ikm"),
    ("ikm", "change_ikm"),
    ("ikm", "view_ikmlink"),
    ("catalog", "view_product"),
    ("catalog", "change_product"),
    ("catalog", "view_productphoto"),
    ("catalog", "change_productphoto"),
    ("catalog", "view_certification"),
    ("catalog", "change_certification"),
    ("catalog", "view_category"),
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
    ("inquiries", "view_inquiry"),
    ("inquiries", "change_inquiry"),
    ("inquiries", "view_contactclick"),
    ("moderation", "view_report"),
    ("moderation", "change_report"),
    ("moderation", "view_decision"),
    ("moderation", "view_certificationreminder"),
)


def create_moderator_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations (post_migrate): create those we need now.
    for label in APPS:
        create_permissions(global_apps.get_app_config(label), verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = set(PERMISSIONS)
    perms = [
        perm
        for perm in Permission.objects.filter(content_type__app_label__in=APPS).select_related("content_type")
        if (perm.content_type.app_label, perm.codename) in wanted
    ]
    if len(perms) != len(wanted):
        found = {(perm.content_type.app_label, perm.codename) for perm in perms}
        raise LookupError(f"Permissions missing for the Moderator group: {sorted(wanted - found)}")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(perms)


def delete_moderator_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("ikm", "0003_identifier_validators"),
        ("catalog", "0004_search_typo_threshold"),
        ("exhibitions", "0001_initial"),
        ("inquiries", "0001_initial"),
        ("moderation", "0002_report_certificationreminder"),
    ]

    operations = [migrations.RunPython(create_moderator_group, delete_moderator_group)]
