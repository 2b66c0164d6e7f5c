"""What audit actions are called: the label people read for each stored action code.

The audit log stores a stable code per action (``charter.version.publish``): the API and exports
hand that code out. Pages show a label in the page's language instead ("Handvestversie
gepubliceerd"). Core labels its own actions here; every app registers the labels of its actions
in its ``AppConfig.ready`` with ``register_actions``; an export kind's request and download are
labelled by the export kit. ``tests/web/test_labels_not_codes.py`` fails when a page shows a code.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, str | Promise] = {}


def register_actions(labels: Mapping[str, str | Promise]) -> None:
    """Add (or replace) the labels of audit action codes."""
    _LABELS.update(labels)


def action_label(action: str) -> str:
    """The label of an audit action in the active language; the code when none is registered."""
    label = _LABELS.get(action)
    return str(label) if label is not None else action


def labelled_actions() -> frozenset[str]:
    """Every action code that has a label (for tests)."""
    return frozenset(_LABELS)


register_actions(
    {
        "auth.login": _("Aangemeld"),
        "auth.logout": _("Afgemeld"),
        "auth.totp.enable": _("Authenticator-app ingesteld"),
        "auth.totp.replace": _("Authenticator-app vervangen"),
        "auth.totp.remove": _("Authenticator-app uitgezet"),
        "member.grant": _("Rol gegeven"),
        "member.revoke": _("Rol ingetrokken"),
        "member.invite": _("Collega uitgenodigd"),
        "member.accept": _("Uitnodiging aangenomen"),
        "member.invite.withdraw": _("Uitnodiging ingetrokken"),
        "api_token.issue": _("API-sleutel gemaakt"),
        "api_token.revoke": _("API-sleutel ingetrokken"),
        "calendar.closing_days.add": _("Sluitingsdag toegevoegd"),
        "calendar.closing_days.remove": _("Sluitingsdag verwijderd"),
        "calendar.opening_hours.set": _("Openingstijden gewijzigd"),
        "bsc.publish": _("BurgerServiceCode gepubliceerd"),
        "bsc.draft": _("Nieuwe versie van de BurgerServiceCode begonnen"),
        "bsc.assessment.start": _("Zelfevaluatie begonnen"),
        "bsc.assessment.save": _("Zelfevaluatie bewaard"),
        "bsc.assessment.publish": _("Zelfevaluatie gepubliceerd"),
        "privacy.export": _("Persoonsgegevens opgevraagd (inzageverzoek)"),
        "privacy.erase": _("Persoonsgegevens gewist (verzoek)"),
        "privacy.retention.accounts": _("Ongebruikte accounts gewist (bewaartermijn)"),
        "admin.add": _("Toegevoegd in het beheer"),
        "admin.change": _("Gewijzigd in het beheer"),
        "admin.delete": _("Verwijderd in het beheer"),
        "moderation.publish": _("Bericht gepubliceerd (moderatie)"),
        "moderation.reject": _("Bericht afgewezen (moderatie)"),
        "moderation.hide": _("Bericht verborgen (moderatie)"),
        "moderation.restore": _("Bericht teruggezet (moderatie)"),
        "moderation.dismiss_flags": _("Meldingen afgehandeld (moderatie)"),
    }
)
