"""Each user's whole name in first_name, Vietnamese order; last_name emptied.

The admin labelled last_name "Họ" and first_name "Tên": a clerk who typed
Họ = Hoàng, Tên = Văn Chính gets "Hoàng Văn Chính".
"""

from django.db import migrations

from people.names import merge_names


def forwards(apps, schema_editor):
    User = apps.get_model("auth", "User")
    users = User.objects.exclude(last_name="").only("id", "first_name", "last_name")
    User.objects.bulk_update(merge_names(users.iterator()), ["first_name", "last_name"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_profile"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
