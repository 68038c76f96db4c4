""" "Find support for my project": the profile form and the offers it is eligible for.

Open to visitors without an account. The form is a GET form, so a search is a shareable
address and works without JavaScript; the matcher ranks the eligible offers, explains
them in the page's language, and lists apart the offers that miss one condition.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from matching import AmountRead, MatchResult, written_amount
from passerelle.accounts import kept_project
from passerelle.accounts.sessions import session_data
from passerelle.analytics import service as analytics
from passerelle.db import release_connection
from passerelle.deps import LocaleDep, RecommenderDep, SearchLogDep, SessionDep, SettingsDep
from passerelle.recommender import CatalogueLabels
from passerelle.web import offer_view
from passerelle.web.browse import BadParameterError
from passerelle.web.offer_view import OfferCard
from passerelle.web.profile_form import ProfileForm, form_choices, read_amount, read_profile_form
from passerelle.web.templating import render
from services_catalog import service
from services_catalog.taxonomy import label

router = APIRouter(include_in_schema=False)

TOP = 20  # eligible offers shown, best first
# Window states (offer_view.Window) in which applications are accepted today.
OPEN_STATES = frozenset({"open", "rolling"})


@dataclass(frozen=True)
class RecommendedOffer:
    """An eligible offer as a result: its card, why it fits, what to check, when to apply."""

    card: OfferCard
    reasons: list[str]
    cautions: list[str]
    timing: str


@dataclass(frozen=True)
class AlmostEligible:
    """An offer that misses one condition, and what that condition asks for."""

    card: OfferCard
    missing: str


@dataclass(frozen=True)
class Matches:
    """What the results part of the page shows."""

    results: list[RecommendedOffer]
    near_misses: list[AlmostEligible]
    inferred_needs: list[str] | None  # labels of the needs read from the description
    suggestions: list[str]  # answers that would open more offers, as sentences
    amount_read: str | None  # the amount sought read from the description, as written


def matches_view(
    session: Session, result: MatchResult, locale: str, today: date, *, open_only: bool = False
) -> Matches:
    """The matcher's answer as cards with their reasons, and the near misses apart;
    `open_only` also leaves out the near misses whose window is not open today (eligible
    offers always are)."""
    ids = [found.offer_id for found in (*result.results, *result.near_misses)]
    # The matcher's index may lag a change by a moment: an offer gone since is skipped.
    cards = {
        offer.id: offer_view.offer_card(offer, locale, today)
        for offer in service.listed_offers(session, ids, statuses=("published",))
    }
    results = [
        RecommendedOffer(cards[found.offer_id], found.reasons, found.cautions, found.timing)
        for found in result.results
        if found.offer_id in cards
    ]
    near_misses = [
        AlmostEligible(cards[near.offer_id], near.missing)
        for near in result.near_misses
        if near.offer_id in cards
        and (not open_only or cards[near.offer_id].window.state in OPEN_STATES)
    ]
    inferred = result.inferred_needs
    return Matches(
        results=results,
        near_misses=near_misses,
        inferred_needs=None
        if inferred is None
        else [label("category", c, locale) for c in inferred],
        suggestions=[suggestion.text for suggestion in result.suggestions],
        amount_read=None
        if result.amount_read is None
        else written_amount(result.amount_read, locale, CatalogueLabels()),
    )


def with_inferred_needs(form: ProfileForm, result: MatchResult) -> ProfileForm:
    """The form with the needs read from the description ticked, ready to be corrected."""
    if form.needs or not result.inferred_needs:
        return form
    return replace(form, needs=tuple(result.inferred_needs))


def funding_as_typed(form: ProfileForm) -> AmountRead | None:
    """The amount sought as typed in another currency, for sentences to show it as typed."""
    if form.profile is None or form.profile.funding_need_eur is None:
        return None
    amount = read_amount(form.values["funding_need_eur"], form.values["funding_need_currency"])
    return AmountRead(amount.eur, amount.original, amount.currency)


def read_open_only(params) -> bool:
    """The "open now" box of find-support: `true` when ticked, absent (or empty) when not."""
    value = (params.get("open") or "").strip()
    if value not in ("", "true"):
        raise BadParameterError("open", value)
    return value == "true"


@router.get("/find-support", name="find_support")
def find_support(
    request: Request,
    session: SessionDep,
    recommender: RecommenderDep,
    search_log: SearchLogDep,
    settings: SettingsDep,
    locale: LocaleDep,
) -> HTMLResponse:
    form = read_profile_form(request.query_params, locale)
    open_only = read_open_only(request.query_params)
    matches = keep_token = None
    if form.profile is not None:
        today = date.today()
        profile = form.profile.to_profile()
        result = recommender.recommend(
            profile, as_of=today, top=TOP, lang=locale, funding_as_typed=funding_as_typed(form)
        )
        analytics.log_match(search_log, profile, result.eligible_count)
        matches = matches_view(session, result, locale, today, open_only=open_only)
        release_connection(session)
        form = with_inferred_needs(form, result)
        if not session_data(request).get("uid"):
            # Visitors without an account may keep these answers as their first project.
            keep_token = kept_project.seal(form.profile, settings)
    context = {
        "form": form,
        "choices": form_choices(form, locale),
        "matches": matches,
        "open_only": open_only,
        "keep_token": keep_token,
    }
    status = 422 if form.errors else 200
    return render(request, "matching/find_support.html", context, locale=locale, status_code=status)
