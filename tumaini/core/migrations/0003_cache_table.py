from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # Sign-in lockout counts live in the database cache: `migrate` alone must leave a working site.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
