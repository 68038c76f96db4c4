"""A provider's form made from an older version of the offer is refused, never saved over
a newer one: the form comes back with the latest version and says why."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from services_catalog.models import Offer
from tests.forms import page_form

from .conftest import link_to
from .test_provider_pages import OFFER, new_offer


def offer_of(session) -> Offer:
    session.expire_all()
    return session.scalar(select(Offer))


def test_two_tabs_on_one_offer_the_second_save_is_refused(provider, organization_id, session):
    assert new_offer(provider, organization_id).status_code == 303
    listing = provider.client.get(f"/provider/organizations/{organization_id}")
    edit_page = link_to(listing, "Edit")
    first_tab = page_form(provider.client.get(edit_page), edit_page)
    second_tab = page_form(provider.client.get(edit_page), edit_page)

    saved = first_tab.fill(title="Prêt d'honneur agricole 2027").submit(
        provider.client, button="save"
    )
    assert saved.status_code == 303
    refused = second_tab.fill(description="Un texte écrit dans l'autre onglet.").submit(
        provider.client, button="save", headers={"Accept-Language": "en"}
    )
    assert refused.status_code == 409
    assert "Someone changed this offer after you opened the form" in refused.text
    shown = page_form(httpx.Response(200, text=refused.text, request=refused.request), edit_page)
    assert shown.value("title") == "Prêt d'honneur agricole 2027"
    offer = offer_of(session)
    assert offer.title == "Prêt d'honneur agricole 2027"
    assert offer.description == OFFER["description"]


def test_a_step_from_an_older_listing_is_refused(provider, organization_id, session):
    assert new_offer(provider, organization_id).status_code == 303
    listing_url = f"/provider/organizations/{organization_id}"
    listing = provider.client.get(listing_url)
    submit = page_form(listing, f"/provider/offers/{offer_of(session).id}/submit")
    archive = page_form(listing, f"/provider/offers/{offer_of(session).id}/archive")
    assert submit.submit(provider.client).status_code == 303
    told = archive.submit(provider.client, follow_redirects=True, headers={"Accept-Language": "en"})
    assert "Nothing was done: this offer changed after the page was loaded" in told.text
    assert offer_of(session).status == "pending"
