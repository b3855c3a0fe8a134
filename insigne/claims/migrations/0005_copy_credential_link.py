"""Copy the link from ``Credential.invitation`` to ``Invitation.credential``, in one statement.

A migration of its own: PostgreSQL refuses to alter a table that has pending
constraint checks, so the data step does not share a transaction with a schema change.
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def copy_link_to_invitation(apps, schema_editor):
    Credential = apps.get_model('credentials', 'Credential')
    Invitation = apps.get_model('claims', 'Invitation')
    issued = Credential.objects.filter(invitation_id=OuterRef('pk')).values('pk')[:1]
    Invitation.objects.filter(pk__in=Credential.objects.values('invitation_id')).update(
        credential=Subquery(issued)
    )


def copy_link_to_credential(apps, schema_editor):
    Credential = apps.get_model('credentials', 'Credential')
    Invitation = apps.get_model('claims', 'Invitation')
    holder = Invitation.objects.filter(credential_id=OuterRef('pk')).values('pk')[:1]
    linked = Invitation.objects.filter(credential__isnull=False).values('credential_id')
    Credential.objects.filter(pk__in=linked).update(invitation=Subquery(holder))


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0004_invitation_credential'),
    ]

    operations = [
        migrations.RunPython(copy_link_to_invitation, copy_link_to_credential),
    ]
