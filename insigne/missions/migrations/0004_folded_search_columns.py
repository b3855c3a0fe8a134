"""Folded search columns on missions, filled for the missions already there.

On PostgreSQL a trigram index (``pg_trgm``) serves the search's ``LIKE '%…%'``;
SQLite scans the column, which is still a plain comparison of folded text.
"""

from django.db import migrations, models

from insigne.missions.models import search_columns


def fill(apps, schema_editor):
    """The record's columns; the names signed on badges come with ``claims.0008``."""
    Mission = apps.get_model("missions", "Mission")
    batch = []
    for mission in Mission.objects.order_by("pk").iterator(chunk_size=2000):
        columns = search_columns(
            mission.given_name, mission.family_name, mission.host_name,
            mission.commune, mission.departement,
        )
        mission.search_name = columns["search_name"]
        mission.search_place = columns["search_place"]
        batch.append(mission)
        if len(batch) == 2000:
            Mission.objects.bulk_update(batch, ["search_name", "search_place"])
            batch = []
    Mission.objects.bulk_update(batch, ["search_name", "search_place"])


INDEXES = ("search_name", "search_place")


def trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS mission_{column}_trgm "
            f"ON missions_mission USING gin ({column} gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS mission_{column}_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ('missions', '0003_mission_mission_email_lower_idx'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='mission',
            options={'verbose_name': 'mission', 'verbose_name_plural': 'missions'},
        ),
        migrations.AddField(
            model_name='mission',
            name='search_name',
            field=models.TextField(blank=True, editable=False, verbose_name='nom (recherche)'),
        ),
        migrations.AddField(
            model_name='mission',
            name='search_place',
            field=models.TextField(blank=True, editable=False, verbose_name='lieu (recherche)'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(trigram_indexes, drop_trigram_indexes),
        migrations.AlterModelOptions(
            name='missionimport',
            options={'ordering': ['-created_at'], 'verbose_name': 'import de missions', 'verbose_name_plural': 'imports de missions'},
        ),
    ]
