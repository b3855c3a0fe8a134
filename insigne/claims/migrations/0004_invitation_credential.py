"""The invitation points at its credential (claims 0005 copies the link over).

The new field hides its reverse accessor until credentials 0003 has dropped the old
link (claims 0006 then names it ``invitation``).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0003_drop_mail_fields_kept_on_outgoing_mail'),
        ('credentials', '0002_credential_invitation_nullable'),
    ]

    operations = [
        migrations.AddField(
            model_name='invitation',
            name='credential',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='credentials.credential'),
        ),
    ]
