"""The (organisation, period) index of contacts: BRIN on PostgreSQL, a plain index elsewhere.

Contacts arrive roughly in time order, so a BRIN index finds a month's rows for a few kilobytes
and costs next to nothing during a million-row COPY, where a B-tree costs seconds.
"""

from django.db import migrations

NAME = "contact_org_period"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {NAME} ON charters_contact USING brin (organisation_id, period)"
        )
    else:
        schema_editor.execute(f"CREATE INDEX {NAME} ON charters_contact (organisation_id, period)")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX {NAME}")


class Migration(migrations.Migration):
    dependencies = [("charters", "0004_lean_record_indexes")]

    operations = [migrations.RunPython(create, drop)]
