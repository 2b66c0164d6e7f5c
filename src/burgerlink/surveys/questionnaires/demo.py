"""Demo data of the questionnaires area: the platform templates and one draft of Amstelstad.

Idempotent: templates are installed only when missing, the draft only when Amstelstad has none
with that code.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.db import transaction

from burgerlink.core.models import Organisation
from burgerlink.surveys.models import Questionnaire, QuestionnaireVersion, VersionStatus
from burgerlink.surveys.questionnaires import services
from burgerlink.surveys.questionnaires.install import CONTACT, install_platform_templates

DEMO_ORGANISATION = "amstelstad"
DEMO_TITLE = "Tevredenheid na een contact"
DEMO_CODE = "tevredenheid-na-een-contact"


@transaction.atomic
def load_demo(write: Callable[[str], None] = lambda _line: None) -> None:
    """Make sure the templates exist; give Amstelstad a draft based on the contact template."""
    installed = install_platform_templates(apps)
    if installed:
        write(f"Sjablonen geïnstalleerd: {', '.join(installed)}.")
    organisation = Organisation.objects.filter(slug=DEMO_ORGANISATION).first()
    template = QuestionnaireVersion.objects.filter(
        questionnaire__organisation__isnull=True,
        questionnaire__code=CONTACT,
        status=VersionStatus.FIELDED,
    ).first()
    if organisation is None or template is None:
        return
    if Questionnaire.objects.filter(organisation=organisation, code=DEMO_CODE).exists():
        return
    questionnaire = services.start_from_template(
        organisation, template, title=DEMO_TITLE, title_en="Satisfaction after a contact", by=None
    )
    version = questionnaire.versions.get()
    channel = next(
        (
            option["code"]
            for page in version.definition["pages"]
            for question in page["questions"]
            if question["code"] == "CONTACT_CHANNEL"
            for option in question["options"]
            if option.get("key") == "counter"
        ),
        None,
    )
    if channel is None:
        return
    services.add_question(
        version,
        {
            "code": "AMS_APPOINTMENT",
            "type": "yesno",
            "text": {
                "nl": "Had u vooraf een afspraak gemaakt?",
                "en": "Had you made an appointment beforehand?",
            },
            "condition": {"var": "CONTACT_CHANNEL", "op": "eq", "value": channel},
        },
        page_key="contact",
        by=None,
    )
    write(f"{organisation.name}: conceptvragenlijst '{DEMO_TITLE}'.")
