"""French elision before a value: “Offres d'Initiative”, “Demande d'Aïssatou”."""

from __future__ import annotations

import pytest

from passerelle.i18n import elide, starts_with_vowel_sound
from passerelle.web.templating import template_environment


@pytest.mark.parametrize(
    ("text", "elides"),
    [
        ("Initiative Diaspora", True),
        ("Aïssatou", True),
        ("Élodie", True),
        ("œuvre", True),
        ("ADIE", True),
        ("awa@example.org", True),
        ("Hélène", True),
        ("Haïti", True),
        ("Hongrie", False),
        ("Hub Dakar", False),
        ("Yves", True),
        ("Yaoundé", False),
        ("Teranga Invest", False),
        ("5 000 €", False),
        ("« Awa »", False),
        ("", False),
    ],
)
def test_vowel_sounds(text, elides):
    assert starts_with_vowel_sound(text) is elides


@pytest.mark.parametrize(
    ("message", "value", "elided"),
    [
        ("Offres de %(name)s", "Initiative", "Offres d'%(name)s"),
        ("De %(name)s", "Aïssatou", "D'%(name)s"),
        ("Connecté en tant que %(name)s.", "awa@example.org", "Connecté en tant qu'%(name)s."),
        ("Offres de %(name)s", "Teranga", "Offres de %(name)s"),
        ("Projets de %(name)s à 9 €", "80 000 €", "Projets de %(name)s à 9 €"),
        ("Madame de la %(name)s", "Ouest", "Madame de l'%(name)s"),
    ],
)
def test_elision_in_french(message, value, elided):
    assert elide(message, {"name": value}, "fr") == elided


def test_no_elision_in_english():
    assert elide("Request de %(name)s", {"name": "Awa"}, "en") == "Request de %(name)s"


@pytest.mark.parametrize(
    ("locale", "name", "shown"),
    [
        ("fr", "Initiative <Diaspora>", "<h1>Offres d'Initiative &lt;Diaspora&gt;</h1>"),
        ("fr", "Teranga", "<h1>Offres de Teranga</h1>"),
        ("en", "Initiative", "<h1>Offers of Initiative</h1>"),
    ],
)
def test_templates_elide_and_still_escape(locale, name, shown):
    template = template_environment().from_string(
        "<h1>{% trans name=name %}Offers of {{ name }}{% endtrans %}</h1>"
    )
    assert template.render(locale=locale, name=name) == shown
