"""The credential no longer points at the journey (claims 0005 copied the link)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0005_copy_credential_link'),
        ('credentials', '0002_credential_invitation_nullable'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='credential',
            name='invitation',
        ),
    ]
