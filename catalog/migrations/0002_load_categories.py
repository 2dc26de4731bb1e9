from django.db import migrations

from catalog.categories import CATEGORIES


def load_categories(apps, schema_editor):
    Category = apps.get_model("catalog", "Category")
    for position, (slug, name, name_en, children) in enumerate(CATEGORIES):
        parent, _ = Category.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "position": position, "parent": None}
        )
        for child_position, (child_slug, child_name, child_name_en) in enumerate(children):
            Category.objects.update_or_create(
                slug=child_slug,
                defaults={"name": child_name, "name_en": child_name_en, "position": child_position, "parent": parent},
            )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(load_categories, migrations.RunPython.noop)]
