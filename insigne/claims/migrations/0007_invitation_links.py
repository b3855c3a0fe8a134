"""Several live personal links per invitation: the hashes move to ``InvitationLink``.

Each invitation's current hash becomes its first link, so every link already in a
mailbox keeps working; then the column goes. Going back keeps the newest link of
each invitation (an invitation without one gets a hash no token has).
"""

import secrets

import django.db.models.deletion
from django.db import migrations, models


def copy_hashes(apps, schema_editor):
    Invitation = apps.get_model("claims", "Invitation")
    InvitationLink = apps.get_model("claims", "InvitationLink")
    hashes = Invitation.objects.values_list("pk", "token_hash").iterator()
    links = [InvitationLink(invitation_id=pk, token_hash=token_hash) for pk, token_hash in hashes]
    InvitationLink.objects.bulk_create(links, batch_size=1000)


def restore_hashes(apps, schema_editor):
    Invitation = apps.get_model("claims", "Invitation")
    InvitationLink = apps.get_model("claims", "InvitationLink")
    for invitation in Invitation.objects.all().iterator():
        newest = InvitationLink.objects.filter(invitation_id=invitation.pk).order_by("-pk").first()
        invitation.token_hash = newest.token_hash if newest else secrets.token_hex(32)
        invitation.save(update_fields=["token_hash"])


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0006_credential_reverse_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='InvitationLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_hash', models.CharField(max_length=64, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('invitation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='links', to='claims.invitation')),
            ],
            options={
                'verbose_name': 'lien personnel',
            },
        ),
        migrations.AlterField(
            model_name='invitation',
            name='token_hash',
            field=models.CharField(max_length=64, null=True, unique=True),
        ),
        migrations.RunPython(copy_hashes, restore_hashes),
        migrations.RemoveField(
            model_name='invitation',
            name='token_hash',
        ),
    ]
