from django.db import migrations


def install(apps, schema_editor):
    from tumaini.core.audit import GENESIS_HASH, install_append_only_guard

    apps.get_model("core", "AuditChainHead").objects.get_or_create(
        pk=1, defaults={"last_hash": GENESIS_HASH}
    )
    install_append_only_guard(schema_editor)


def remove(apps, schema_editor):
    from tumaini.core.audit import remove_append_only_guard

    remove_append_only_guard(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
