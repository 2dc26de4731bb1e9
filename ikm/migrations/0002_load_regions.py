from django.db import migrations

from ikm.regions import REGIONS


def load_regions(apps, schema_editor):
    Region = apps.get_model("ikm", "Region")
    for code, bps_code, name, kind, seat, slug in REGIONS:
        Region.objects.update_or_create(
            code=code, defaults={"bps_code": bps_code, "name": name, "kind": kind, "seat": seat, "slug": slug}
        )


class Migration(migrations.Migration):
    dependencies = [("ikm", "0001_initial")]
    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]
