"""``credential.invitation`` again, now as the reverse side of ``Invitation.credential``."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0005_copy_credential_link'),
        ('credentials', '0003_remove_credential_invitation'),
    ]

    operations = [
        migrations.AlterField(
            model_name='invitation',
            name='credential',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='invitation', to='credentials.credential'),
        ),
    ]
