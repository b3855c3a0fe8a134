"""The console's permissions and the three staff roles (``insigne.platform.roles``)."""

from django.db import migrations, models

from insigne.platform.roles import ensure_roles, remove_roles


def create_roles(apps, schema_editor):
    ensure_roles(apps)


def delete_roles(apps, schema_editor):
    remove_roles(apps)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='ConsoleRights',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ],
            options={
                'verbose_name': 'droit de la console',
                'verbose_name_plural': 'droits de la console',
                'permissions': [('view_support', 'Rechercher et consulter les volontaires'), ('resend_mail', 'Renvoyer une invitation ou un badge'), ('fix_address', "Corriger l'adresse d'un volontaire"), ('reopen_claim', 'Rouvrir une demande refusée'), ('manage_imports', 'Importer des missions'), ('manage_campaigns', 'Gérer les campagnes de rattrapage'), ('view_figures', 'Consulter les chiffres du programme'), ('revoke_credential', 'Révoquer un badge'), ('reissue_credential', 'Corriger un badge (révoquer et réémettre)'), ('manage_api_tokens', "Gérer les jetons d'API")],
                'managed': False,
                'default_permissions': (),
            },
        ),
        migrations.RunPython(create_roles, delete_roles),
    ]
