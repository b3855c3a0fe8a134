"""The Service Civique badge class exists as soon as the database is migrated.

Same definition as ``setup_programme`` (``insigne.badges.programme``); a class
already there (created by that command, edited by staff) is left alone.
"""

from django.db import migrations

from insigne.badges.programme import SLUG, programme_fields


def create_programme(apps, schema_editor):
    BadgeClass = apps.get_model("credentials", "BadgeClass")
    BadgeClass.objects.using(schema_editor.connection.alias).get_or_create(
        slug=SLUG, defaults=programme_fields()
    )


class Migration(migrations.Migration):

    dependencies = [
        ("credentials", "0003_remove_credential_invitation"),
    ]

    operations = [
        migrations.RunPython(create_programme, migrations.RunPython.noop),
    ]
