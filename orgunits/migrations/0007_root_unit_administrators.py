"""The national/province administrators: the group "Quản trị hệ thống" holds
``orgunits.add_root_unit``, the right to add a top of the tree (a province),
which the import and the admin check (``orgunits.add_top_unit``)."""

from django.db import migrations

GROUP = "Quản trị hệ thống"
CODENAME = "add_root_unit"


def create_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _created = ContentType.objects.get_or_create(
        app_label="orgunits", model="orgunit"
    )
    # Permissions are made after migrations (post_migrate): make this one now.
    permission, _created = Permission.objects.get_or_create(
        codename=CODENAME,
        content_type=content_type,
        defaults={"name": "Can add a top-level unit (a province)"},
    )
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(permission)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orgunits", "0006_unit_search_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="orgunit",
            options={
                "permissions": [("add_root_unit", "Can add a top-level unit (a province)")],
                "verbose_name": "organisation unit",
                "verbose_name_plural": "organisation units",
            },
        ),
        migrations.RunPython(create_group, remove_group),
    ]
