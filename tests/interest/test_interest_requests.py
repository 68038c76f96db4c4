"""Interest requests: sent with a project, read and answered in the inbox, mailed, guarded."""

from __future__ import annotations

from sqlalchemy import select

from passerelle.accounts import ratelimit
from passerelle.interest.models import InterestRequest
from tests.accounts.conftest import text_part
from tests.forms import page_form

from ..provider.conftest import register_organization, sign_up_provider


def send(entrepreneur, offer_id, message="Bonjour, mon projet vous intéresse-t-il ?"):
    page = f"/offers/{offer_id}/interest"
    return entrepreneur.submit(page, {"project_id": project_id_of(entrepreneur, offer_id),
                                      "message": message})  # fmt: skip


def project_id_of(entrepreneur, offer_id) -> str:
    import re

    form = entrepreneur.client.get(f"/offers/{offer_id}/interest").text
    return re.search(r'<option value="(\d+)" selected>', form).group(1)


def test_the_whole_exchange(entrepreneur, provider, published_offer, session, inbox):
    inbox.messages.clear()  # the sign-ups' welcomes
    offer_page = entrepreneur.client.get(f"/offers/{published_offer}")
    assert "Contact the provider" in offer_page.text
    project_id = project_id_of(entrepreneur, published_offer)
    sent = entrepreneur.submit(
        f"/offers/{published_offer}/interest",
        {"project_id": project_id, "message": "Bonjour, mon projet vous intéresse-t-il ?"},
    )
    assert sent.status_code == 303, sent.text
    request = session.scalar(select(InterestRequest))
    assert request.status == "sent" and request.project_summary["name"] == "Ferme avicole à Thiès"
    assert request.project_summary["project_eur"] == 40_000
    [notice] = inbox.messages
    assert notice["To"] == "moussa@example.org"
    assert f"/provider/requests/{request.id}" in text_part(notice)

    listing = provider.client.get(f"/provider/organizations/{request.organization_id}/inbox")
    assert "From Awa Diop" in listing.text and "Sent" in listing.text
    opened = provider.client.get(f"/provider/requests/{request.id}")
    assert "Ferme avicole à Thiès" in opened.text and "Agriculture" in opened.text
    session.expire_all()
    assert session.get(InterestRequest, request.id).status == "read"
    assert session.get(InterestRequest, request.id).read_at is not None

    answer = "Oui, envoyez-nous votre plan d'affaires."
    reply_form = page_form(opened, action=f"/provider/requests/{request.id}/reply")
    replied = reply_form.fill(reply=answer).submit(provider.client)
    assert replied.status_code == 303
    session.expire_all()
    stored = session.get(InterestRequest, request.id)
    assert stored.status == "answered" and stored.reply == answer and stored.answered_at
    assert stored.replied_by_id is not None
    assert inbox.messages[-1]["To"] == "awa@example.org"
    assert "answered your request" in inbox.messages[-1]["Subject"]

    mine = entrepreneur.client.get(f"/me/requests/{request.id}")
    assert "plan d&#39;affaires" in mine.text and "Answered" in mine.text
    assert "Answered" in entrepreneur.client.get("/me/requests").text
    closed = entrepreneur.submit(f"/me/requests/{request.id}", {},
                                 action=f"/me/requests/{request.id}/close")  # fmt: skip
    assert closed.status_code == 303
    session.expire_all()
    assert session.get(InterestRequest, request.id).status == "closed"
    # The reply form the provider still has open, sent after the request was closed.
    late = reply_form.fill(reply="Encore ?").submit(provider.client)
    assert late.status_code == 409


def test_the_provider_closes_a_request_from_its_page(entrepreneur, provider, published_offer,
                                                     session):  # fmt: skip
    assert send(entrepreneur, published_offer).status_code == 303
    request = session.scalar(select(InterestRequest))
    page = f"/provider/requests/{request.id}"
    closed = provider.submit(page, {}, action=f"{page}/close")
    assert closed.status_code == 303
    session.expire_all()
    assert session.get(InterestRequest, request.id).status == "closed"
    assert "This request is closed." in provider.client.get(page).text
    assert "Closed" in entrepreneur.client.get(f"/me/requests/{request.id}").text


def test_french_request_pages_elide_before_a_vowel(entrepreneur, provider, published_offer,
                                                   session):  # fmt: skip
    assert send(entrepreneur, published_offer).status_code == 303
    request = session.scalar(select(InterestRequest))
    provider.client.cookies.set("lang", "fr")
    listing = provider.client.get(f"/provider/organizations/{request.organization_id}/inbox")
    assert "D'Awa Diop" in listing.text and "De Awa" not in listing.text
    opened = provider.client.get(f"/provider/requests/{request.id}").text
    assert "<h1>Demande d'Awa Diop</h1>" in opened and "Demande de Awa" not in opened


def test_message_is_required(entrepreneur, published_offer, session):
    response = send(entrepreneur, published_offer, message="  ")
    assert response.status_code == 400 and "Please fill in this field." in response.text
    assert session.scalar(select(InterestRequest)) is None


def test_another_entrepreneur_cannot_read_a_request(entrepreneur, provider, published_offer,
                                                    third_browser, session):  # fmt: skip
    assert send(entrepreneur, published_offer).status_code == 303
    request = session.scalar(select(InterestRequest))
    intruder, client = third_browser, third_browser.client
    intruder.signup(email="intrus@example.org")
    assert client.get(f"/me/requests/{request.id}").status_code == 404
    close = intruder.forge("/me", {}, action=f"/me/requests/{request.id}/close")
    assert close.status_code == 404
    assert client.get(f"/provider/requests/{request.id}").status_code == 403
    session.expire_all()
    assert session.get(InterestRequest, request.id).status == "sent"


def test_another_organisation_cannot_read_the_inbox(entrepreneur, provider, published_offer,
                                                    third_browser, session):  # fmt: skip
    assert send(entrepreneur, published_offer).status_code == 303
    request = session.scalar(select(InterestRequest))
    rival, client = third_browser, third_browser.client
    sign_up_provider(rival, email="rival@example.org")
    register_organization(rival, name="Fonds Rival")
    assert client.get(f"/provider/organizations/{request.organization_id}/inbox").status_code == 403
    assert client.get(f"/provider/requests/{request.id}").status_code == 403
    reply = rival.forge("/provider", {"reply": "Pris !"},
                        action=f"/provider/requests/{request.id}/reply")  # fmt: skip
    assert reply.status_code == 403
    session.expire_all()
    assert session.get(InterestRequest, request.id).status == "sent"


def test_visitors_are_sent_to_log_in(client, published_offer):
    for path in (f"/offers/{published_offer}/interest", "/me/requests", "/provider/inbox"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith(
            "/account/login"
        )
    assert (
        "Log in to contact the provider"
        in client.get(f"/offers/{published_offer}", headers={"Accept-Language": "en"}).text
    )


def test_forged_request_changes_nothing(entrepreneur, published_offer, session):
    response = entrepreneur.client.post(
        f"/offers/{published_offer}/interest", data={"message": "Hello", "csrf_token": "forged"}
    )
    assert response.status_code == 403
    assert session.scalar(select(InterestRequest)) is None


def test_no_contact_without_members(entrepreneur, session):
    from services_catalog.importing import import_offers
    from services_catalog.models import Offer

    record = {"title": "Sans membre", "description": "Offre importée.", "organization": "Seule",
              "kind": "service", "categories": ["training"]}  # fmt: skip
    assert import_offers(session, [(1, record)]).applied
    session.commit()
    offer = session.scalar(select(Offer))
    assert "Contact the provider" not in entrepreneur.client.get(f"/offers/{offer.id}").text
    assert entrepreneur.client.get(f"/offers/{offer.id}/interest").status_code == 404


def test_provider_nav_and_entrepreneur_space(entrepreneur, provider):
    assert "My requests" in entrepreneur.client.get("/me").text
    page = provider.client.get("/provider").text
    assert 'href="/provider/inbox"' in page


def test_the_data_download_has_the_requests_and_the_replies(entrepreneur, provider,
                                                            published_offer, session):  # fmt: skip
    assert send(entrepreneur, published_offer, message="Mon projet avicole").status_code == 303
    request = session.scalar(select(InterestRequest))
    provider.submit(f"/provider/requests/{request.id}", {"reply": "Envoyez le plan."},
                    action=f"/provider/requests/{request.id}/reply")  # fmt: skip
    mine = entrepreneur.client.get("/me/data.json").json()
    (sent,) = mine["interest_requests"]
    assert sent["message"] == "Mon projet avicole" and sent["reply"] == "Envoyez le plan."
    assert sent["project"]["name"] == "Ferme avicole à Thiès" and sent["status"] == "answered"
    theirs = provider.client.get("/me/data.json").json()
    assert [reply["reply"] for reply in theirs["replies"]] == ["Envoyez le plan."]
    assert [org["id"] for org in theirs["organizations"]] == [request.organization_id]


def test_requests_to_one_organisation_are_limited(entrepreneur, published_offer, inbox):
    limit = ratelimit.INTEREST_PER_SENDER_AND_ORGANIZATION.limit
    inbox.messages.clear()  # the sign-ups' welcomes
    answers = [send(entrepreneur, published_offer).status_code for _ in range(limit + 2)]
    assert answers[:limit] == [303] * limit and set(answers[limit:]) == {429}
    assert len(inbox.messages) == limit
