"""E-mails about accounts: the password reset in the asker's language, a colleague's invitation in Dutch."""

from __future__ import annotations

from django.core import mail
from django.test import Client

from burgerlink.core.models import Organisation, Role, User
from tests.conftest import client_for


def test_a_password_reset_mail_is_in_the_language_of_the_page_it_was_asked_on(
    anna_admin: User,
) -> None:
    User.objects.filter(pk=anna_admin.pk).update(email="anna@amstelstad.nl")
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert english.post("/wachtwoord-vergeten/", {"email": "anna@amstelstad.nl"}).status_code == 302
    Client().post("/wachtwoord-vergeten/", {"email": "anna@amstelstad.nl"})
    first, second = mail.outbox
    assert first.subject == "New password for Burgerlink"
    assert "http://testserver/wachtwoord-kiezen/" in first.body
    assert '<html lang="en">' in first.alternatives[0][0]
    assert second.subject == "Nieuw wachtwoord voor Burgerlink"
    assert "Kies dan via deze link een nieuw wachtwoord" in second.body


def test_an_unknown_address_gets_no_mail_and_the_same_answer(db: None) -> None:
    response = Client().post("/wachtwoord-vergeten/", {"email": "niemand@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_an_invitation_is_dutch_even_when_the_administrator_works_in_english(
    amstelstad: Organisation, anna_admin: User
) -> None:
    admin = client_for(anna_admin)
    admin.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert '<html lang="en"' in admin.get("/medewerkers/amstelstad/collega-s/").content.decode()
    admin.post(
        "/medewerkers/amstelstad/collega-s/",
        {"email": "nina@amstelstad.nl", "first_name": "Nina", "role": Role.RESEARCHER},
    )
    [invitation] = mail.outbox
    assert invitation.subject == "Uitnodiging voor Burgerlink van Gemeente Amstelstad"
    assert "in de rol Onderzoeker." in invitation.body
    assert "Zonder uw akkoord verandert er niets." in invitation.body
    link = next(line for line in invitation.body.splitlines() if "/uitnodiging/" in line)
    assert f'<a href="{link}">' in invitation.alternatives[0][0]
