"""The JSON API (contract section 5). Errors are `{"detail": ...}` with a 4xx status."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from passerelle.analytics import service as analytics
from passerelle.deps import ReadCacheDep, RecommenderDep, SearchLogDep, SessionDep
from passerelle.offer_versions import etag
from passerelle.schemas import (
    ErrorMessage,
    MatchRequest,
    MatchResponse,
    OfferPage,
    OfferPublic,
    OrganizationDetail,
    OrganizationPublic,
    Taxonomy,
    Term,
)
from passerelle.security import StrictJsonRoute
from passerelle.web.read_cache import KeptAnswer, anonymous_key
from services_catalog import service
from services_catalog.countries import country_choices, country_name
from services_catalog.search import OfferFilters, search_offers
from services_catalog.taxonomy import VOCABULARIES

router = APIRouter()
# API route names start with `api_`: pages find a route by its name alone, and a page
# route of the same name would otherwise be shadowed (or shadow this one).
v1 = APIRouter(prefix="/api/v1", tags=["catalogue"], route_class=StrictJsonRoute)

NOT_FOUND = {404: {"model": ErrorMessage, "description": "No such published item."}}
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


@cache
def _taxonomy() -> Taxonomy:
    def terms(vocabulary: str) -> list[Term]:
        return [
            Term(
                code=t.code, en=t.en, fr=t.fr, kind=t.kind, isic=t.note if t.kind is None else None
            )
            for t in VOCABULARIES[vocabulary].values()
        ]

    countries = [
        Term(code=code, en=name, fr=country_name(code, "fr"))
        for code, name in country_choices("en")
    ]
    return Taxonomy(
        kinds=terms("kind"),
        categories=terms("category"),
        sectors=terms("sector"),
        stages=terms("stage"),
        applicant_types=terms("applicant_type"),
        target_groups=terms("target_group"),
        organization_types=terms("organization_type"),
        offer_statuses=terms("offer_status"),
        countries=countries,
    )


@v1.get("/taxonomy", name="api_taxonomy")
def taxonomy() -> Taxonomy:
    """Every vocabulary, with English and French labels, and the ISO countries."""
    return _taxonomy()


@v1.get("/offers", name="api_list_offers")
def list_offers(
    request: Request,
    session: SessionDep,
    search_log: SearchLogDep,
    cache: ReadCacheDep,
    filters: Annotated[OfferFilters, Query()],
) -> OfferPage:
    """Published offers matching the filters; an unrestricted offer matches every value."""
    key = anonymous_key(request, session, "")  # the same in every language
    if kept := cache.get(key):
        analytics.log_search(search_log, filters, kept.total)
        return Response(kept.body, media_type="application/json")
    result = search_offers(session, filters, with_facets=False)
    analytics.log_search(search_log, filters, result.total)
    page = OfferPage(
        items=[OfferPublic.of(offer) for offer in result.offers],
        total=result.total,
        page=filters.page,
        per_page=filters.per_page,
        pages=result.pages,
    )
    if key is None or key[0] != result.version:
        return page
    body = page.model_dump_json().encode()
    cache.put(key, KeptAnswer(body, result.total))
    return Response(body, media_type="application/json")


@v1.get("/offers/{offer_id}", responses=NOT_FOUND, name="api_get_offer")
def get_offer(session: SessionDep, offer_id: Id, response: Response) -> OfferPublic:
    """One published offer; its `ETag` names its version, for `If-Match` on a write."""
    offer = service.get_offer(session, offer_id)
    response.headers["ETag"] = etag(offer)
    return OfferPublic.of(offer)


@v1.get("/organizations", name="api_list_organizations")
def list_organizations(session: SessionDep) -> list[OrganizationPublic]:
    """Every provider with its count of published offers."""
    return [OrganizationPublic.of(org, n) for org, n in service.list_organizations(session)]


@v1.get("/organizations/{organization_id}", responses=NOT_FOUND, name="api_get_organization")
def get_organization(session: SessionDep, organization_id: Id) -> OrganizationDetail:
    """One provider and its published offers."""
    organization = service.get_organization(session, organization_id)
    offers = service.organization_offers(session, organization_id)
    return OrganizationDetail(
        **OrganizationPublic.of(organization, len(offers)).model_dump(),
        offers=[OfferPublic.of(offer) for offer in offers],
    )


@v1.post("/match", tags=["matching"], name="api_match")
def match(
    request: MatchRequest, recommender: RecommenderDep, search_log: SearchLogDep
) -> MatchResponse:
    """Eligible offers for a profile, best first, each with the reasons it fits.

    Anonymous use is allowed. When `needs` is empty they are inferred from
    `description` and returned as `inferred_needs`; `near_misses` lists offers that
    fail exactly one criterion, with what is missing. Reasons are in `lang`.
    """
    profile = request.to_profile()
    as_of = request.as_of or date.today()
    result = recommender.recommend(profile, as_of=as_of, top=request.top, lang=request.lang)
    analytics.log_match(search_log, profile, result.eligible_count)
    return MatchResponse.of(result)


# Auto-classification (issue 6): appended to this module, hence the imports here.
from passerelle.deps import ClassifierDep  # noqa: E402
from passerelle.schemas import ClassifyRequest, ClassifyResponse  # noqa: E402


@v1.post("/classify", tags=["classification"], name="api_classify")
def classify(request: ClassifyRequest, classifier: ClassifierDep) -> ClassifyResponse:
    """The proposed kind, categories and sectors of an offer's text (fr or en), with confidences.

    The first category is the primary one, of the proposed kind; no sector means the offer
    reads as open to all sectors. The classifier is loaded once, at start-up.
    """
    return ClassifyResponse.of(classifier.suggest(request.text))


router.include_router(v1)
