"""Byte-order collation for source ids on PostgreSQL, and the model-norm library seed."""

from django.db import migrations

COLLATE_SQL = [
    'ALTER TABLE charters_contact ALTER COLUMN source_id TYPE varchar(64) COLLATE "C"',
    'ALTER TABLE charters_case ALTER COLUMN source_id TYPE varchar(64) COLLATE "C"',
]


def collate_source_ids(apps, schema_editor):
    # Source ids are opaque keys: byte-order comparison makes the unique index several times
    # cheaper to maintain during a million-row import than a linguistic collation.
    if schema_editor.connection.vendor == "postgresql":
        for statement in COLLATE_SQL:
            schema_editor.execute(statement)


def seed(apps, schema_editor):
    from burgerlink.charters.seed import seed_model_norms

    seed_model_norms(apps)


class Migration(migrations.Migration):
    dependencies = [("charters", "0001_initial"), ("core", "0002_seed_reference_data")]

    operations = [
        migrations.RunPython(collate_source_ids, migrations.RunPython.noop),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
