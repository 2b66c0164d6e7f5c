"""Install the platform's questionnaire templates (life events, after a contact, Burgerpeiling).

Each becomes a Questionnaire without organisation with version 1 fielded (templates are
immutable), built from the catalogue present now: the life events with their chains, the current
BurgerServiceCode norms and the channels (read through ``apps.get_model``).
"""

from django.db import migrations


def install(apps, schema_editor):
    from burgerlink.surveys.questionnaires.install import install_platform_templates

    install_platform_templates(apps)


def uninstall(apps, schema_editor):
    from burgerlink.surveys.questionnaires.install import BURGERPEILING, CONTACT, LIFE_EVENT

    questionnaire = apps.get_model("surveys", "Questionnaire")
    questionnaire.objects.filter(
        organisation__isnull=True, code__in=[LIFE_EVENT, CONTACT, BURGERPEILING]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
        ("core", "0002_seed_reference_data"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
