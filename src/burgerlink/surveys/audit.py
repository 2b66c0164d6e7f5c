"""The labels of the surveys' audit actions (``core.audit``): what the audit log shows."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str | Promise] = {
    "survey.settings.change": _("Instellingen van de resultaten gewijzigd"),
    "survey.paper_entry": _("Papieren vragenlijst ingevoerd"),
    "survey.questionnaire.start": _("Vragenlijst begonnen"),
    "survey.question.add": _("Vraag toegevoegd"),
    "survey.question.update": _("Vraag gewijzigd"),
    "survey.question.remove": _("Vraag verwijderd"),
    "survey.question.move": _("Vraag verplaatst"),
    "survey.page.move": _("Pagina verplaatst"),
    "survey.version.new": _("Nieuwe versie van de vragenlijst begonnen"),
    "survey.version.field": _("Versie van de vragenlijst in gebruik genomen"),
    "survey.version.discard": _("Concept van de vragenlijst weggegooid"),
    "surveys.survey.create": _("Onderzoek aangemaakt"),
    "surveys.wave.create": _("Meting aangemaakt"),
    "surveys.wave.open_link": _("Open link van een meting gemaakt"),
    "surveys.wave.close": _("Meting gesloten"),
    "surveys.sample.import": _("Steekproef ingelezen"),
    "surveys.sample.purge": _("Steekproef gewist (bewaartermijn)"),
    "surveys.invitee.bounce": _("Uitnodiging kwam niet aan"),
    "surveys.letters.sent": _("Brieven als gepost gemarkeerd"),
    "surveys.letters.export": _("Brieven gemaakt"),
    "surveys.invitations.send": _("Uitnodigingen verstuurd"),
    "surveys.reminders.send": _("Herinneringen verstuurd"),
    "surveys.responses.import": _("Responsen ingelezen"),
}
