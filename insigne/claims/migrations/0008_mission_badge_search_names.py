"""Missions already issued become findable by the names signed on their badge."""

from django.db import migrations

from insigne.missions.models import BADGE_NAMES
from insigne.platform.text import fold


def fill(apps, schema_editor):
    Mission = apps.get_model("missions", "Mission")
    Invitation = apps.get_model("claims", "Invitation")
    signed = Invitation.objects.filter(credential__isnull=False).values_list(
        "mission_id", "credential__given_name", "credential__family_name"
    )
    for mission_id, given, family in signed.iterator(chunk_size=2000):
        mission = Mission.objects.only("search_name").get(pk=mission_id)
        record = mission.search_name.partition(BADGE_NAMES)[0]
        Mission.objects.filter(pk=mission_id).update(
            search_name=record + BADGE_NAMES + fold(f"{given} {family}")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_invitation_links"),
        ("missions", "0004_folded_search_columns"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name='invitation',
            options={'verbose_name': 'invitation', 'verbose_name_plural': 'invitations'},
        ),
        migrations.AlterModelOptions(
            name='invitationlink',
            options={'verbose_name': 'lien personnel', 'verbose_name_plural': 'liens personnels'},
        ),
    ]
