"""Comparing kept offers: the bookmarks page's "Compare" boxes, as the page renders them."""

from __future__ import annotations

from sqlalchemy import update

from services_catalog.models import Offer
from tests.forms import page_form

EN = {"Accept-Language": "en-GB,en;q=0.9"}


def test_bookmarks_compare_the_ticked_offers_and_offer_no_box_for_a_withdrawn_one(
    browser, client, session, site_catalogue
):
    browser.signup()
    kept = [site_catalogue["acc-honour-loan"], site_catalogue["acc-growth-fund"]]
    for offer_id in kept:
        browser.submit(f"/offers/{offer_id}", {}, action=f"/me/bookmarks/{offer_id}")
    form = page_form(client.get("/me/bookmarks", headers=EN), action="/compare")
    assert {c.value for c in form.fields if c.name == "offer"} == {str(i) for i in kept}
    answer = form.fill(offer=[str(i) for i in kept]).submit(client, headers=EN)
    assert answer.status_code == 200
    assert answer.text.count('<th scope="col">') == 2
    assert "Growth fund for Senegalese SMEs" in answer.text

    # A kept offer that is withdrawn stays listed, without a box to compare it.
    session.execute(update(Offer).where(Offer.id == kept[1]).values(status="archived"))
    session.commit()
    form = page_form(client.get("/me/bookmarks", headers=EN), action="/compare")
    assert [c.value for c in form.fields if c.name == "offer"] == [str(kept[0])]
