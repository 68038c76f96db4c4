"""The three spaces in one journey, in French, in Chromium, through the pages only.

A provider signs up, registers an organisation and submits an offer; staff approve it from
the review queue and find it in the catalogue; an entrepreneur describes a project, finds
the offer among its matches, keeps it and writes to the provider with the project; the
provider reads and answers; the entrepreneur reads the answer. axe-core checks each page
of the journey that no other browser test checks.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.helpers import add_staff, axe_check, log_in, sign_up, urlpath

TITLE = "Subvention Terres de la diaspora"
ORGANISATION = "Fonds Teranga Agri"
PROJECT = "Ferme maraîchère à Thiès"
MESSAGE = "Bonjour, ma ferme maraîchère à Thiès peut-elle bénéficier de la subvention ?"
REPLY = "Oui : envoyez-nous votre plan d'affaires avant la fin du mois."
STAFF_EMAIL = "validation@example.org"
STAFF_PASSWORD = "staff password 2026"


@pytest.fixture
def staff_account(engine, catalogue_ids) -> None:
    """The first staff account is made by the command line; here, straight in the database
    (emptied with the module's catalogue)."""
    add_staff(engine, STAFF_EMAIL, STAFF_PASSWORD, display_name="Mariama", locale="fr")


def notice(page) -> str:
    return page.locator(".notice").inner_text()


def provider_submits_an_offer(provider, axe_source) -> None:
    axe_check(provider, axe_source)  # the sign-up form
    sign_up(provider, "Ousmane Ndiaye", "ousmane.journey@example.org", provider=True,
            locale="fr")  # fmt: skip
    assert provider.get_by_role("heading", level=1).inner_text() == "Mes organisations"
    axe_check(provider, axe_source)

    provider.get_by_role("link", name="Enregistrer une organisation").click()
    provider.wait_for_url(re.compile(r"/provider/organizations/new$"))
    axe_check(provider, axe_source)
    provider.get_by_label("Nom de l'organisation").fill(ORGANISATION)
    provider.select_option("#type", "investor")
    provider.select_option("#countries", ["SN"])
    provider.get_by_role("button", name="Enregistrer l'organisation").click()
    provider.wait_for_url(re.compile(r"/provider/organizations/\d+$"))
    assert "Votre organisation est enregistrée" in notice(provider)
    assert provider.get_by_role("heading", level=1).inner_text() == f"Offres de {ORGANISATION}"

    provider.get_by_role("link", name="Ajouter une offre").click()
    provider.wait_for_url(re.compile(r"/offers/new$"))
    axe_check(provider, axe_source)
    provider.get_by_label("Titre", exact=True).fill(TITLE)
    provider.fill("#description", "Une subvention pour les exploitations agricoles créées "
                  "au Sénégal par des entrepreneurs de la diaspora vivant en France.")  # fmt: skip
    provider.fill(
        "#summary_fr", "Subvention aux exploitations agricoles de la diaspora au Sénégal."
    )
    provider.fill("#url", "https://example.org/terres")
    provider.select_option("#kind", "financing")
    provider.select_option("#primary_category", "grant")
    provider.check("#sectors-agriculture")
    provider.select_option("#countries", ["SN"])
    provider.select_option("#residence_countries", ["FR"])
    provider.check("#stages-startup")
    provider.fill("#min_project_eur", "10 000")
    provider.fill("#max_project_eur", "200 000")
    provider.fill("#ticket_min_eur", "5 000")
    provider.fill("#ticket_max_eur", "50 000")
    provider.fill("#deadline", "2099-06-30")
    provider.get_by_role("button", name="Enregistrer et envoyer pour validation").click()
    provider.wait_for_url(re.compile(r"/provider/organizations/\d+$"))
    assert notice(provider) == "L'offre a été envoyée pour validation."
    card = provider.locator("li.card", has_text=TITLE)
    assert card.locator(".badge").inner_text() == "En attente de validation"


def staff_approve_the_offer(staff, axe_source) -> int:
    axe_check(staff, axe_source)  # the login form
    log_in(staff, STAFF_EMAIL, STAFF_PASSWORD)
    staff.get_by_role("navigation", name="Compte").get_by_role("link", name="Espace équipe").click()
    staff.get_by_role("navigation", name="Espace équipe").get_by_role(
        "link", name="File de relecture"
    ).click()
    staff.wait_for_url(re.compile(r"/staff/review$"))
    item = staff.locator("li.review-item", has_text=TITLE)
    assert ORGANISATION in item.locator(".card-provider").inner_text()
    item.get_by_role("button", name=re.compile("^Approuver")).click()
    staff.wait_for_url(re.compile(r"/staff/review$"))
    assert notice(staff) == "Approuvée : l'offre est publiée telle qu'affichée."
    assert staff.locator("li.review-item", has_text=TITLE).count() == 0

    staff.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Offres"
    ).click()
    staff.fill("#q", TITLE)
    staff.keyboard.press("Enter")
    staff.wait_for_url(re.compile(r"/offers\?q="))
    axe_check(staff, axe_source)  # results of a search
    staff.get_by_role("link", name=TITLE, exact=True).click()
    staff.wait_for_url(re.compile(r"/offers/\d+$"))
    assert staff.get_by_role("heading", level=1).inner_text() == TITLE
    assert staff.get_by_text(f"Proposé par {ORGANISATION}").is_visible()
    return int(staff.url.rsplit("/", 1)[1])


def entrepreneur_writes_about_a_match(entrepreneur, offer_id, axe_source) -> str:
    sign_up(entrepreneur, "Awa Diop", "awa.journey@example.org", provider=False, locale="fr")
    assert entrepreneur.get_by_text("Bonjour Awa Diop.").is_visible()
    axe_check(entrepreneur, axe_source)

    entrepreneur.get_by_role("link", name="Ajouter un projet").click()
    entrepreneur.wait_for_url(re.compile(r"/me/projects/new$"))
    axe_check(entrepreneur, axe_source)
    entrepreneur.get_by_label("Nom du projet").fill(PROJECT)
    entrepreneur.select_option("#residence_country", "FR")
    entrepreneur.select_option("#target_country", "SN")
    entrepreneur.select_option("#sector", "agriculture")
    entrepreneur.select_option("#stage", "startup")
    entrepreneur.fill("#project_eur", "40 000")
    entrepreneur.fill("#funding_need_eur", "20 000")
    entrepreneur.check("#needs-grant")
    entrepreneur.get_by_role(
        "button", name="Enregistrer et voir les offres qui me correspondent"
    ).click()
    entrepreneur.wait_for_url(re.compile(r"/me/projects/\d+$"))
    assert entrepreneur.get_by_role("heading", level=1).inner_text() == PROJECT
    matches = entrepreneur.locator(".match-card")
    match = matches.filter(has=entrepreneur.get_by_role("link", name=TITLE, exact=True))
    assert ORGANISATION in match.locator(".card-provider").inner_text()
    reasons = [r.strip() for r in match.locator(".checklist li").all_text_contents()]
    for expected in ("Ouvert aux projets au Sénégal", "Ouvert aux personnes résidant en France"):
        assert expected in reasons, reasons
    # When to apply is information, shown apart from the reasons.
    assert match.locator(".timing").inner_text() == "Date limite : 30 juin 2099"
    for start in ("Répond à votre besoin : ", "Dédié à votre secteur : ", "Finance de "):
        assert any(reason.startswith(start) for reason in reasons), reasons
    axe_check(entrepreneur, axe_source)

    match.get_by_role("link", name=TITLE, exact=True).click()
    entrepreneur.wait_for_url(re.compile(rf"/offers/{offer_id}$"))
    entrepreneur.get_by_role("button", name="Garder cette offre").click()
    entrepreneur.wait_for_url(re.compile(rf"/offers/{offer_id}$"))
    assert entrepreneur.get_by_role("status").inner_text() == "Cette offre est dans vos favoris."
    axe_check(entrepreneur, axe_source)  # an offer seen by an entrepreneur

    entrepreneur.get_by_role("navigation", name="Compte").get_by_role(
        "link", name="Mon espace"
    ).click()
    entrepreneur.get_by_role("link", name="Voir mes favoris").click()
    entrepreneur.wait_for_url(re.compile(r"/me/bookmarks$"))
    axe_check(entrepreneur, axe_source)
    kept = entrepreneur.locator("li.card", has_text=TITLE)
    assert ORGANISATION in kept.inner_text() and "Gardée le" in kept.inner_text()
    kept.get_by_role("link", name=TITLE, exact=True).click()

    entrepreneur.get_by_role("link", name="Contacter l'organisme").click()
    entrepreneur.wait_for_url(re.compile(rf"/offers/{offer_id}/interest$"))
    chosen = entrepreneur.get_by_label("Projet à envoyer").locator("option:checked")
    assert chosen.inner_text() == PROJECT
    entrepreneur.get_by_label("Votre message").fill(MESSAGE)
    entrepreneur.get_by_role("button", name="Envoyer ma demande").click()
    entrepreneur.wait_for_url(re.compile(r"/me/requests/\d+$"))
    assert notice(entrepreneur).startswith("Votre demande a été envoyée.")
    assert entrepreneur.locator(".badge.status").inner_text() == "Envoyée"
    assert entrepreneur.get_by_text("Pas encore de réponse.").is_visible()
    return urlpath(entrepreneur.url)


def provider_reads_and_answers(provider, axe_source) -> None:
    provider.get_by_role("navigation", name="Compte").get_by_role("link", name="Messagerie").click()
    provider.wait_for_url(re.compile(r"/provider/inbox$"))
    inbox = provider.locator("li.card", has_text=ORGANISATION)
    assert "1 nouvelle demande" in inbox.inner_text()
    axe_check(provider, axe_source)
    inbox.get_by_role("link", name=ORGANISATION).click()
    request = provider.locator("li.card", has_text="D'Awa Diop")
    assert request.locator(".badge").inner_text() == "Envoyée"
    assert TITLE in request.inner_text()
    request.get_by_role("link", name="D'Awa Diop").click()
    provider.wait_for_url(re.compile(r"/provider/requests/\d+$"))
    assert provider.get_by_role("heading", level=1).inner_text() == "Demande d'Awa Diop"
    assert provider.locator(".badge.status").inner_text() == "Lue"
    assert provider.get_by_text(MESSAGE).is_visible()
    project = provider.locator("section", has=provider.get_by_role("heading", name="Le projet"))
    assert PROJECT in project.inner_text() and "Sénégal" in project.inner_text()
    provider.get_by_label("Votre réponse").fill(REPLY)
    provider.get_by_role("button", name="Envoyer la réponse").click()
    provider.wait_for_url(re.compile(r"/provider/requests/\d+$"))
    assert notice(provider) == "Votre réponse a été envoyée."
    assert provider.locator(".badge.status").inner_text() == "Répondue"


def test_an_offer_goes_from_provider_through_staff_to_an_entrepreneur_and_back(
    new_page, axe_source, staff_account
):
    provider = new_page("/account/signup", lang="fr")
    provider_submits_an_offer(provider, axe_source)

    staff = new_page("/account/login", lang="fr")
    offer_id = staff_approve_the_offer(staff, axe_source)

    entrepreneur = new_page("/", lang="fr")
    request_path = entrepreneur_writes_about_a_match(entrepreneur, offer_id, axe_source)

    provider_reads_and_answers(provider, axe_source)

    entrepreneur.get_by_role("navigation", name="Compte").get_by_role(
        "link", name="Mon espace"
    ).click()
    entrepreneur.get_by_role(
        "link", name="Messages envoyés aux organismes et leurs réponses"
    ).click()
    entrepreneur.wait_for_url(re.compile(r"/me/requests$"))
    sent = entrepreneur.locator("li.card", has_text=TITLE)
    assert sent.locator(".badge").inner_text() == "Répondue"
    sent.get_by_role("link", name=TITLE).click()
    entrepreneur.wait_for_url(re.compile(rf"{request_path}$"))
    assert entrepreneur.get_by_role("heading", level=1).inner_text() == (
        f"Ma demande à {ORGANISATION}"
    )
    answer = entrepreneur.locator(
        "section", has=entrepreneur.get_by_role("heading", name="Réponse")
    )
    assert REPLY in answer.inner_text()
    assert "Répondu le" in answer.inner_text()
