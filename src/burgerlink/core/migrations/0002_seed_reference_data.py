"""Seed the BurgerServiceCode, the catalogues and the decree days (Atw art. 3 lid 3)."""

from django.db import migrations


def seed(apps, schema_editor):
    from burgerlink.core.seed import seed_all

    seed_all(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
