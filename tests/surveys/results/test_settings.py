"""The organisation's analysis settings: who may change them, what is refused, what they do."""

from __future__ import annotations

from burgerlink.core.models import AuditEvent, Organisation, User
from burgerlink.surveys.models import AnalysisSettings, Wave
from tests.conftest import client_for

BASE = "/medewerkers/amstelstad/onderzoek/resultaten/"
SETTINGS = BASE + "instellingen/"


def test_defaults_are_shown_and_a_researcher_may_change_them(
    amstelstad: Organisation, bram_researcher: User
) -> None:
    client = client_for(bram_researcher)
    index = client.get(BASE).content.decode()
    assert "minder dan 30 antwoorden worden verborgen" in index
    assert f'href="{SETTINGS}"' in index
    page = client.get(SETTINGS)
    assert page.status_code == 200
    assert 'value="30"' in page.content.decode()
    saved = client.post(SETTINGS, {"hide_below": "50", "flag_below": "150", "alpha": "0,01"})
    assert saved.status_code == 302 and saved["Location"] == SETTINGS
    stored = AnalysisSettings.objects.get(organisation=amstelstad)
    assert (stored.hide_below, stored.flag_below, stored.alpha) == (50, 150, 0.01)
    event = AuditEvent.objects.get(action="survey.settings.change")
    assert event.actor == bram_researcher and "30/100/0.05 -> 50/150/0.01" in event.summary
    assert "minder dan 50 antwoorden worden verborgen" in client.get(BASE).content.decode()


def test_impossible_settings_are_refused_in_plain_dutch_and_nothing_changes(
    amstelstad: Organisation, bram_researcher: User
) -> None:
    AnalysisSettings.objects.create(organisation=amstelstad, hide_below=40, flag_below=120)
    client = client_for(bram_researcher)
    for data, message in (
        ({"hide_below": "5", "flag_below": "100", "alpha": "0,05"}, "Kies minimaal 10."),
        (
            {"hide_below": "60", "flag_below": "50", "alpha": "0,05"},
            "Markeren moet bij minstens zoveel antwoorden beginnen als verbergen.",
        ),
        ({"hide_below": "30", "flag_below": "100", "alpha": "0,5"}, "tussen 0,001 en 0,2"),
        ({"hide_below": "dertig", "flag_below": "100", "alpha": "0,05"}, "geheel getal"),
    ):
        page = client.post(SETTINGS, data)
        assert page.status_code == 400
        html = page.content.decode()
        assert message in html, data
        assert 'id="form-errors"' in html
    stored = AnalysisSettings.objects.get(organisation=amstelstad)
    assert (stored.hide_below, stored.flag_below, stored.alpha) == (40, 120, 0.05)
    assert not AuditEvent.objects.filter(action="survey.settings.change").exists()


def test_only_those_who_manage_surveys_may_change_settings(
    amstelstad: Organisation, kees_quality: User
) -> None:
    client = client_for(kees_quality)  # may read results, not manage surveys
    assert f'href="{SETTINGS}"' not in client.get(BASE).content.decode()
    assert client.get(SETTINGS).status_code in (403, 404)
    refused = client.post(SETTINGS, {"hide_below": "10", "flag_below": "10", "alpha": "0,05"})
    assert refused.status_code in (403, 404)
    assert not AnalysisSettings.objects.filter(organisation=amstelstad).exists()


def test_new_thresholds_change_what_the_results_hide(
    life_event_wave: Wave, bram_researcher: User
) -> None:
    client = client_for(bram_researcher)
    wave_page = f"{BASE}{life_event_wave.pk}/"
    assert "te weinig antwoorden (n &lt; 1000)" not in client.get(wave_page).content.decode()
    client.post(SETTINGS, {"hide_below": "1000", "flag_below": "2000", "alpha": "0,05"})
    assert "te weinig antwoorden (n &lt; 1000)" in client.get(wave_page).content.decode()
