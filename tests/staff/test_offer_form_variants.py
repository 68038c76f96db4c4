"""The staff offer form reads countries as a programme officer types them."""

from __future__ import annotations

import html

from sqlalchemy import select

from services_catalog.models import Offer
from tests.staff.page_forms import page_form


def test_typed_country_variants_are_saved_as_codes(staff, session, queue):
    offer_id = queue["acc-honour-loan"]
    form = page_form(staff.client.get(f"/staff/offers/{offer_id}/edit").text, "/edit")
    assert form.method == "post" and "csrf_token" in form.fields
    fields = form.fields | {
        "countries": "Burkina; Rép. dém. du Congo; la Gambie; São Tomé",
        "residence_countries": "Royaume-Uni; Etats Unis",
    }
    response = staff.client.post(form.action, data=fields, follow_redirects=False)
    assert response.status_code == 303, response.text
    saved = session.scalar(select(Offer).where(Offer.id == offer_id))
    session.refresh(saved)
    assert saved.codes("countries") == ["BF", "CD", "GM", "ST"]
    assert saved.codes("residence_countries") == ["GB", "US"]


def test_a_bare_congo_is_refused_on_the_form(staff, session, queue):
    offer_id = queue["acc-honour-loan"]
    form = page_form(staff.client.get(f"/staff/offers/{offer_id}/edit").text, "/edit")
    response = staff.client.post(form.action, data=form.fields | {"countries": "Congo"})
    assert response.status_code == 400
    expected = (
        "“Congo” can mean several countries: write CD (Democratic Republic of the Congo) "
        "or CG (Republic of the Congo)."
    )
    assert expected in html.unescape(response.text)
