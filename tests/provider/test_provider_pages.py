"""The provider space: sign-up, organisation, offers through review, permissions."""

from __future__ import annotations

from sqlalchemy import select

from passerelle.accounts.models import UserAccount
from passerelle.provider import membership
from passerelle.provider.models import OrganizationMember
from services_catalog import workflow
from services_catalog.models import AuditEntry, Offer, OfferRevision, Organization
from tests.forms import page_form

from .conftest import (
    ORGANIZATION,
    form_action,
    link_to,
    register_organization,
    sign_up_provider,
)

OFFER = {
    "title": "Prêt d'honneur agricole",
    "description": "Un prêt sans intérêt pour les projets agricoles au Sénégal.",
    "lang": "fr",
    "summary_fr": "Prêt sans intérêt pour lancer un projet agricole au Sénégal.",
    "url": "https://teranga.example.org/pret",
    "kind": "financing",
    "primary_category": "honour_loan",
    "categories": ["mentoring"],
    "sectors": ["agriculture"],
    "countries": ["SN"],
    "residence_countries": ["FR", "BE"],
    "stages": ["startup"],
    "min_project_eur": "5 000 000",
    "min_project_currency": "XOF",
    "max_project_eur": "100k",
    "max_project_currency": "EUR",
    "ticket_max_eur": "30 000",
    "deadline": "2099-06-30",
}


def new_offer(person, organization_id, action="save", **changes):
    page = f"/provider/organizations/{organization_id}/offers/new"
    return person.submit(page, {**OFFER, **changes, "action": action})


def test_provider_sign_up_and_organisation(provider, organization_id, session):
    user = session.scalar(select(UserAccount).where(UserAccount.email == "moussa@example.org"))
    assert user.role == "provider"
    organization = session.get(Organization, organization_id)
    assert organization.verified is False
    assert organization.countries == ["SN", "ML"]
    assert session.get(OrganizationMember, (organization_id, user.id)) is not None
    audit = session.scalars(select(AuditEntry).where(AuditEntry.entity == "organization"))
    assert [entry.action for entry in audit] == ["create"]
    home = provider.client.get("/provider")
    assert "Teranga Invest" in home.text and "My offers" in home.text


def test_logging_in_goes_to_the_provider_space(browser):
    response = sign_up_provider(browser)
    assert response.headers["location"] == "/provider"


def test_profile_is_editable_but_not_verified(provider, organization_id, session):
    page = f"/provider/organizations/{organization_id}/profile"
    data = {**ORGANIZATION, "name": "Teranga Invest SA", "countries": ["CI"]}
    assert provider.submit(page, data).status_code == 303
    session.expire_all()
    organization = session.get(Organization, organization_id)
    assert organization.name == "Teranga Invest SA" and organization.countries == ["CI"]
    # The form has no such field; a hand-made one changes nothing.
    assert provider.forge(page, {**data, "verified": "1"}, action=page).status_code == 303
    session.expire_all()
    assert session.get(Organization, organization_id).verified is False


def test_profile_errors_name_the_field(provider, organization_id):
    page = f"/provider/organizations/{organization_id}/profile"
    response = provider.submit(page, {**ORGANIZATION, "website": "teranga"})
    assert response.status_code == 400
    assert "Enter a web address starting with http:// or https://." in response.text
    made_up = {**ORGANIZATION, "countries": ["Atlantis"]}  # no such option: sent by hand
    response = provider.forge(page, made_up, action=page)
    assert response.status_code == 400 and "Choose countries from the list." in response.text


def test_optional_fields_may_stay_empty(provider, session):
    data = {
        "name": "Petit Réseau",
        "type": "network",
        "website": "",
        "email": "",
        "description": "",
    }
    organization_id = register_organization(provider, **data, countries=[])
    organization = session.get(Organization, organization_id)
    assert organization.website is None and organization.email is None
    assert organization.countries == []


def test_a_taken_name_is_refused(provider, organization_id, other_browser):
    sign_up_provider(other_browser, email="fatou@example.org")
    response = other_browser.submit(
        "/provider/organizations/new", {**ORGANIZATION, "name": "TERANGA invest"}
    )
    assert response.status_code == 400
    assert "already on Passerelle" in response.text


def test_create_submit_and_list_an_offer(provider, organization_id, session):
    response = new_offer(provider, organization_id, action="submit")
    assert response.status_code == 303, response.text
    offer = session.scalar(select(Offer))
    assert offer.status == "pending"
    assert offer.codes("categories") == ["honour_loan", "mentoring"]
    assert offer.codes("residence_countries") == ["FR", "BE"]
    assert offer.min_project_eur == 7622  # 5 000 000 XOF at the fixed parity
    assert offer.max_project_eur == 100_000
    listing = provider.client.get(f"/provider/organizations/{organization_id}")
    assert "Pending review" in listing.text and OFFER["title"].replace("'", "&#39;") in listing.text


def test_form_errors_are_per_field_and_nothing_is_stored(provider, organization_id, session):
    response = new_offer(
        provider, organization_id, action="submit", title="", primary_category="training",
        max_project_eur="1 000", min_project_eur="5 000", min_project_currency="EUR",
        deadline="31 février",
    )  # fmt: skip
    assert response.status_code == 400
    assert "Please fill in this field." in response.text
    assert "The largest project size is below the smallest one." in response.text
    assert "is not a date" in response.text
    assert session.scalar(select(Offer)) is None


def test_primary_category_must_fit_the_kind(provider, organization_id, session):
    response = new_offer(provider, organization_id, primary_category="training")
    assert response.status_code == 400
    assert "The main category must be one of the kind of offer chosen above." in response.text


def test_errors_in_french(provider, organization_id):
    provider.client.cookies.set("lang", "fr")
    response = new_offer(provider, organization_id, ticket_max_eur="beaucoup")
    assert response.status_code == 400
    assert "n&#39;est pas un montant" in response.text or "pas un montant" in response.text


def test_suggestions_without_javascript(provider, organization_id):
    page = f"/provider/organizations/{organization_id}/offers/new"
    data = {"title": "Subvention pour les projets agricoles", "description": "Une subvention pour "
            "financer les exploitations agricoles et l'agroalimentaire au Sénégal."}  # fmt: skip
    shown = provider.submit(page, data, button="suggest")
    assert shown.status_code == 200 and "Suggestions" in shown.text
    assert 'name="accept" value="category:grant"' in shown.text
    accepted = page_form(shown, action=page).submit(provider.client, button="all")
    assert '<option value="financing" selected>' in accepted.text
    assert '<option value="grant" selected>' in accepted.text
    assert 'value="agriculture" checked' in accepted.text


def test_editing_a_published_offer_waits_for_review(provider, organization_id, session):
    new_offer(provider, organization_id, action="submit")
    offer = session.scalar(select(Offer))
    workflow.approve(session, offer, actor_id=None)
    session.commit()
    response = provider.submit(
        f"/provider/offers/{offer.id}/edit", {**OFFER, "title": "Nouveau titre", "action": "save"}
    )
    assert response.status_code == 303, response.text
    session.expire_all()
    assert session.get(Offer, offer.id).title == OFFER["title"]
    revision = session.scalar(select(OfferRevision))
    assert revision.record["title"] == "Nouveau titre"
    listing = provider.client.get(f"/provider/organizations/{organization_id}")
    assert "Change awaiting review" in listing.text
    form = provider.client.get(f"/provider/offers/{offer.id}/edit")
    assert "Nouveau titre" in form.text and "keep seeing the published version" in form.text


def test_edit_and_submit_a_draft_through_the_links(provider, organization_id, session):
    assert new_offer(provider, organization_id).status_code == 303
    listing = provider.client.get(f"/provider/organizations/{organization_id}")
    form_page = provider.client.get(link_to(listing, "Edit"))
    assert form_page.status_code == 200 and 'class="card form-card offer-form"' in form_page.text
    action = form_action(form_page, "Save as draft")
    corrected = {**OFFER, "title": "Titre corrigé", "action": "save"}
    saved = provider.submit(form_page.request.url.path, corrected, action=action)
    assert saved.status_code == 303, saved.text
    listing = provider.client.get(saved.headers["location"])
    submitted = provider.submit(
        listing.request.url.path, {}, action=form_action(listing, "Submit for review")
    )
    assert submitted.status_code == 303, submitted.text
    session.expire_all()
    offer = session.scalar(select(Offer))
    assert (offer.title, offer.status) == ("Titre corrigé", "pending")


def test_rejection_note_confirm_and_archive(provider, organization_id, session):
    new_offer(provider, organization_id, action="submit")
    offer = session.scalar(select(Offer))
    workflow.reject(session, offer, actor_id=None, reason="Précisez les pays de résidence.")
    session.commit()
    listing = provider.client.get(f"/provider/organizations/{organization_id}")
    assert "Précisez les pays de résidence." in listing.text
    assert (
        provider.submit(
            listing.request.url.path, {}, action=f"/provider/offers/{offer.id}/submit"
        ).status_code
        == 303
    )
    session.expire_all()
    workflow.approve(session, session.get(Offer, offer.id), actor_id=None)
    session.commit()
    page = f"/provider/organizations/{organization_id}"
    assert (
        provider.submit(page, {}, action=f"/provider/offers/{offer.id}/confirm").status_code == 303
    )
    assert (
        provider.submit(page, {}, action=f"/provider/offers/{offer.id}/archive").status_code == 303
    )
    session.expire_all()
    assert session.get(Offer, offer.id).status == "archived"
    actions = [
        e.action for e in session.scalars(select(AuditEntry).where(AuditEntry.entity == "offer"))
    ]
    assert {"create", "submit", "reject", "approve", "confirm_accurate", "archive"} <= set(actions)


def test_another_provider_cannot_see_or_change(provider, organization_id, other_browser, session):
    new_offer(provider, organization_id)
    offer = session.scalar(select(Offer))
    sign_up_provider(other_browser, email="fatou@example.org")
    register_organization(other_browser, name="Autre Fonds")
    client = other_browser.client
    assert client.get(f"/provider/organizations/{organization_id}").status_code == 403
    assert client.get(f"/provider/offers/{offer.id}/edit").status_code == 403
    assert client.get("/provider/offers/999999/edit").status_code == 404
    response = other_browser.forge("/provider", {"title": "Volé", "action": "save"},
                                   action=f"/provider/offers/{offer.id}/edit")  # fmt: skip
    assert response.status_code == 403
    archive = other_browser.forge("/provider", {}, action=f"/provider/offers/{offer.id}/archive")
    assert archive.status_code == 403
    session.expire_all()
    assert session.get(Offer, offer.id).status == "draft"


def test_entrepreneurs_and_visitors_are_kept_out(provider, organization_id, other_browser):
    other_browser.signup(email="awa2@example.org")
    assert other_browser.client.get("/provider").status_code == 403
    assert other_browser.client.get(f"/provider/organizations/{organization_id}").status_code == 403
    other_browser.logout()
    visitor = other_browser.client.get("/provider", follow_redirects=False)
    assert visitor.status_code == 303 and visitor.headers["location"].startswith("/account/login")


def test_staff_may_use_the_pages(provider, organization_id, other_browser, session):
    other_browser.signup(email="staff@example.org")
    user = session.scalar(select(UserAccount).where(UserAccount.email == "staff@example.org"))
    user.role = "staff"
    session.commit()
    other_browser.logout()
    other_browser.login(email="staff@example.org")
    assert other_browser.client.get(f"/provider/organizations/{organization_id}").status_code == 200


def test_csrf_is_required(provider, organization_id, session):
    data = {**OFFER, "action": "save", "csrf_token": "forged"}
    response = provider.client.post(
        f"/provider/organizations/{organization_id}/offers/new", data=data
    )
    assert response.status_code == 403
    assert session.scalar(select(Offer)) is None


def test_add_member_service(provider, organization_id, other_browser, session):
    other_browser.signup(email="ibrahima@example.org")
    user = session.scalar(select(UserAccount).where(UserAccount.email == "ibrahima@example.org"))
    organization = session.get(Organization, organization_id)
    membership.add_member(session, organization, user)
    membership.add_member(session, organization, user)  # twice changes nothing
    session.commit()
    assert user.role == "provider"
    assert [m.email for m in membership.active_members(session, organization_id)] == [
        "moussa@example.org",
        "ibrahima@example.org",
    ]


def test_french_pages_elide_before_a_vowel(provider, session):
    organization_id = register_organization(provider, name="Initiative Diaspora")
    provider.client.cookies.set("lang", "fr")
    page = provider.client.get(f"/provider/organizations/{organization_id}").text
    assert "<h1>Offres d'Initiative Diaspora</h1>" in page
    assert "Offres de Initiative" not in page


def test_an_amount_typed_in_cfa_francs_is_kept_as_written(provider, organization_id, session):
    assert new_offer(provider, organization_id, action="submit").status_code == 303
    offer = session.scalar(select(Offer).where(Offer.title == OFFER["title"]))
    assert offer.min_project_eur == 7622
    assert offer.written_amounts == {
        "min_project_eur": {"quantity": "5000000", "currency": "XOF", "eur": 7622}
    }
    offer.status = "published"
    session.commit()
    page = provider.client.get(f"/offers/{offer.id}", headers={"Accept-Language": "en"})
    shown = page.text.replace("\u00a0", " ").replace("\u202f", " ")
    assert "Projects from 5,000,000 FCFA (about €7,622) to €100,000" in shown
