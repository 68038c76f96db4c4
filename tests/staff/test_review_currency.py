"""Amounts written in another currency reach the review queue, the offer page and the
comparison as written, beside their euros, through the same formatter."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from services_catalog.importing import import_offers
from services_catalog.models import Offer
from tests.accounts.conftest import HONOUR_LOAN
from tests.staff.page_forms import page_form as staff_page_form
from tests.staff.test_review_queue import item_of

EN = {"Accept-Language": "en"}
FR = {"Accept-Language": "fr"}
IN_FCFA = {
    **HONOUR_LOAN,
    "id": "cfa-loan",
    "title": "Prêt en francs CFA",
    "ticket_min_eur": "1 000 000 FCFA",
    "ticket_max_eur": "5 000 000 XOF",
    "min_project_eur": "2000",
}


def plain(text: str) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", html.unescape(text))


def import_pending(session, row: dict) -> Offer:
    assert import_offers(session, [(1, row)], status="pending").applied
    session.commit()
    return session.scalar(select(Offer).where(Offer.external_id == row["id"]))


def test_an_import_keeps_amounts_as_written_with_their_euros(session):
    offer = import_pending(session, IN_FCFA)
    assert offer.ticket_max_eur == 7622
    assert offer.written_amounts == {
        "ticket_min_eur": {"quantity": "1000000", "currency": "FCFA", "eur": 1524},
        "ticket_max_eur": {"quantity": "5000000", "currency": "XOF", "eur": 7622},
    }
    # Written in euros, a row replaces what an earlier import kept.
    assert import_offers(session, [(1, {**IN_FCFA, "ticket_max_eur": 8000})]).applied
    assert set(offer.written_amounts) == {"ticket_min_eur"}


def test_the_queue_shows_the_original_currency_in_both_languages(staff, session):
    import_pending(session, IN_FCFA)
    english = plain(item_of(staff.client.get("/staff/review", headers=EN).text, IN_FCFA["title"]))
    assert "From 1,000,000 FCFA (about €1,524) to 5,000,000 FCFA (about €7,622)" in english
    staff.client.cookies.set("lang", "fr")
    french = plain(item_of(staff.client.get("/staff/review").text, IN_FCFA["title"]))
    assert "De 1 000 000 FCFA (environ 1 524 €) à 5 000 000 FCFA (environ 7 622 €)" in french


def test_the_public_pages_say_the_amount_as_the_queue_does(client, session):
    offer = import_pending(session, IN_FCFA)
    offer.status = "published"
    session.commit()
    expected = "From 1,000,000 FCFA (about €1,524) to 5,000,000 FCFA (about €7,622)"
    assert expected in plain(client.get(f"/offers/{offer.id}", headers=EN).text)
    assert expected in plain(client.get(f"/compare?offer={offer.id}", headers=EN).text)


def test_an_amount_changed_since_is_shown_in_euros_alone(staff, session):
    offer = import_pending(session, IN_FCFA)
    offer.ticket_max_eur = 9000  # changed in euros: what was written no longer says it
    session.commit()
    english = plain(item_of(staff.client.get("/staff/review", headers=EN).text, IN_FCFA["title"]))
    assert "From 1,000,000 FCFA (about €1,524) to €9,000" in english
    assert "5,000,000" not in english


def test_an_amount_staff_type_in_dirhams_is_kept_as_written(staff, session, queue):
    offer_id = queue["acc-honour-loan"]  # pending: the staff's form changes it in place
    form = staff_page_form(staff.client.get(f"/staff/offers/{offer_id}/edit").text, "/edit")
    fields = form.fields | {"ticket_max_eur": "100 000 MAD"}
    response = staff.client.post(form.action, data=fields, follow_redirects=False)
    assert response.status_code == 303, response.text
    session.expire_all()
    offer = session.get(Offer, offer_id)
    assert offer.written_amounts["ticket_max_eur"]["currency"] == "MAD"
    english = plain(item_of(staff.client.get("/staff/review", headers=EN).text, offer.title))
    assert f"Up to 100,000 MAD (about €{offer.ticket_max_eur:,})" in english
