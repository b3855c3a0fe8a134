"""First step of pointing the invitation at its credential (claims 0005 copies the link).

The old link is made nullable, so that going back can add it again empty and fill it
before it turns NOT NULL, and its reverse accessor is hidden, so that the new
``Invitation.credential`` does not clash with it while both exist.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0003_drop_mail_fields_kept_on_outgoing_mail'),
        ('credentials', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='credential',
            name='invitation',
            field=models.OneToOneField(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='claims.invitation'),
        ),
    ]
