"""Contact ids handed out a thousand at a time per connection on PostgreSQL.

A first import takes an id per row from the sequence during its COPY; with a cache of 1,000 the
connection takes them from memory instead of locking and logging the sequence every few rows.
Ids stay unique; they are no longer in insertion order across connections (nothing relies on
that), and a connection that closes leaves a gap.
"""

from django.db import migrations


def cache(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE charters_contact ALTER COLUMN id SET CACHE 1000")


def no_cache(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE charters_contact ALTER COLUMN id SET CACHE 1")


class Migration(migrations.Migration):
    dependencies = [("charters", "0007_contact_source_id_first")]

    operations = [migrations.RunPython(cache, no_cache)]
