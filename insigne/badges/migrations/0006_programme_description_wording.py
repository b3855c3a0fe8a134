"""The programme's description template, reworded for new badges only.

The former text glued a preposition to the host's name ("au sein de Les Restos du
cœur", "au sein de Mairie de Lyon"); the new one names the host structure and quotes
its name. A template staff have edited is left alone; badges already signed keep
their text (they are stored as signed).
"""

from django.db import migrations

SLUG = "service-civique"
FORMER = (
    "{given_name} {family_name} a accompli une mission de Service Civique de {months} mois, "
    "du {start_date} au {end_date}, au sein de {host_name}, dans le domaine « {domain} » : "
    "{title}. Par cet engagement volontaire au service de l'intérêt général, reconnu par "
    "l'Agence du Service Civique, {given_name} a mis en œuvre et développé les compétences "
    "décrites dans ce badge."
)
REWORDED = (
    "{given_name} {family_name} a accompli une mission de Service Civique de {months} mois, "
    "« {title} », du {start_date} au {end_date}, auprès de la structure d'accueil "
    "« {host_name} », dans le domaine « {domain} ». Par cet engagement volontaire au "
    "service de l'intérêt général, reconnu par l'Agence du Service Civique, {given_name} "
    "a mis en œuvre et développé les compétences décrites dans ce badge."
)


def _replace(apps, schema_editor, old, new):
    BadgeClass = apps.get_model("credentials", "BadgeClass")
    BadgeClass.objects.using(schema_editor.connection.alias).filter(
        slug=SLUG, description_template=old
    ).update(description_template=new)


def reword(apps, schema_editor):
    _replace(apps, schema_editor, FORMER, REWORDED)


def restore(apps, schema_editor):
    _replace(apps, schema_editor, REWORDED, FORMER)


class Migration(migrations.Migration):

    dependencies = [
        ("credentials", "0005_credential_page_visibility"),
    ]

    operations = [
        migrations.RunPython(reword, restore),
    ]
