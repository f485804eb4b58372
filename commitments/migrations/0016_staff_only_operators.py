"""Only operators are staff: every account that is not a superuser loses `is_staff`.

Issue 17: the admin is the operators' tool. Coordinators set up promises in the staff area's
workspace (/personal/loften/) and administer their people there (/personal/personal/), so no
coordinator, approver or other staff member needs the admin any more; `is_staff` is what lets
a user into it. The demo seed gave its coordinators `is_staff`, and so did accounts made before
the staff area had these pages. From now on `User.clean` refuses staff status without superuser
status (the admin's user form), so this runs once. Not undone: who was staff is not kept.
"""

from django.db import migrations


def only_operators_are_staff(apps, schema_editor):
    User = apps.get_model("commitments", "User")
    User.objects.using(schema_editor.connection.alias).filter(
        is_staff=True, is_superuser=False
    ).update(is_staff=False)


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0015_promise_history_source_links"),
    ]

    operations = [
        migrations.RunPython(only_operators_are_staff, migrations.RunPython.noop, elidable=True),
    ]
