"""Indexes an import of 900,000 missions pays for on every row, and no query uses.

* ``email``: looked up as ``LOWER(email)`` only (the resend page, the Passport's
  Synchroniser), which ``mission_email_lower_idx`` serves; its plain index and, on
  PostgreSQL, its ``varchar_pattern_ops`` twin go.
* ``external_id``: PostgreSQL gives a unique text column a second
  ``varchar_pattern_ops`` index for ``LIKE 'x%'``; ids are looked up whole (the
  unique index serves that), so it goes too. Django drops such an index with
  ``IF EXISTS`` when it alters the column, so a later migration is not hindered.
"""

from django.db import migrations, models


def drop_external_id_like_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    mission = apps.get_model("missions", "Mission")
    field = mission._meta.get_field("external_id")
    name = schema_editor._create_index_name(mission._meta.db_table, [field.column], suffix="_like")
    schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def restore_external_id_like_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    mission = apps.get_model("missions", "Mission")
    field = mission._meta.get_field("external_id")
    statement = schema_editor._create_like_index_sql(mission, field)
    if statement is not None:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("missions", "0006_mission_import_trace"),
    ]

    operations = [
        migrations.AlterField(
            model_name="mission",
            name="email",
            field=models.EmailField(max_length=254, verbose_name="adresse électronique"),
        ),
        migrations.RunPython(drop_external_id_like_index, restore_external_id_like_index),
    ]
