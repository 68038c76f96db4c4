"""Response shapes of the JSON API."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from matching import MatchResult, Profile
from services_catalog.classify import Suggestion
from services_catalog.models import Offer, Organization
from services_catalog.schemas import Code, CodeList, CountryCode, OfferRecord
from services_catalog.service import SCALAR_FIELDS, ListedOffer
from services_catalog.taxonomy import VOCABULARIES


class OrganizationRef(BaseModel):
    id: int
    name: str


class OfferPublic(OfferRecord):
    """An offer as the API shows it: the exchange format plus catalogue metadata."""

    id: int  # the platform's id; the exchange format's id is `external_id` here
    external_id: str | None
    organization_id: int
    status: str
    last_verified_on: date | None
    updated_at: datetime

    @classmethod
    def of(cls, offer: Offer | ListedOffer) -> OfferPublic:
        return cls.model_construct(
            id=offer.id,
            external_id=offer.external_id,
            organization=offer.organization.name,
            organization_id=offer.organization_id,
            status=offer.status,
            last_verified_on=offer.last_verified_on,
            updated_at=offer.updated_at,
            **{name: getattr(offer, name) for name in SCALAR_FIELDS},
            **offer.lists(),
        )


class OfferPage(BaseModel):
    items: list[OfferPublic]
    total: int
    page: int
    per_page: int
    pages: int


class OrganizationPublic(BaseModel):
    id: int
    name: str
    description: str
    website: str | None
    email: str | None
    type: str
    countries: list[str]
    verified: bool
    published_offers: int

    @classmethod
    def of(cls, organization: Organization, published_offers: int) -> OrganizationPublic:
        return cls(
            **organization.model_dump(
                include={"id", "name", "description", "website", "email", "type", "verified"}
            ),
            countries=organization.countries,
            published_offers=published_offers,
        )


class OrganizationDetail(OrganizationPublic):
    offers: list[OfferPublic]


class Term(BaseModel):
    code: str
    en: str
    fr: str
    kind: str | None = None
    isic: str | None = None


class Taxonomy(BaseModel):
    kinds: list[Term]
    categories: list[Term]
    sectors: list[Term]
    stages: list[Term]
    applicant_types: list[Term]
    target_groups: list[Term]
    organization_types: list[Term]
    offer_statuses: list[Term]
    countries: list[Term]


class ErrorMessage(BaseModel):
    detail: str


class ProfileIn(BaseModel):
    """An entrepreneur's profile (contract section 3); countries by code or name."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    residence_country: CountryCode = Field(description="Where the person lives.")
    target_country: CountryCode = Field(description="Where the project is carried out.")
    sector: Code("sector")
    stage: Code("stage")
    project_eur: int = Field(ge=0, le=10**12, description="Total project size in euros.")
    funding_need_eur: int | None = Field(default=None, ge=0, le=10**12)
    applicant_type: Code("applicant_type") = "individual"
    groups: CodeList("target_group")
    needs: CodeList("category")
    description: str = Field(default="", max_length=5000)

    def to_profile(self) -> Profile:
        fields = self.model_dump(include=set(ProfileIn.model_fields))
        return Profile(**fields | {"groups": tuple(self.groups), "needs": tuple(self.needs)})


class MatchRequest(ProfileIn):
    top: int = Field(default=10, ge=1, le=100, description="How many offers at most.")
    as_of: date | None = Field(default=None, description="Reference date; today by default.")
    lang: Code("lang") = Field(default="en", description="Language of the reasons.")


class MatchItem(BaseModel):
    offer_id: int
    external_id: str | None
    title: str
    organization: str
    score: float
    reasons: list[str]
    cautions: list[str] = []
    timing: str = ""


class NearMissItem(BaseModel):
    offer_id: int
    external_id: str | None
    title: str
    organization: str
    criterion: str
    missing: str


class MatchResponse(BaseModel):
    """Eligible offers, best first; near misses apart, with what each lacks."""

    results: list[MatchItem]
    inferred_needs: list[str] | None = None
    near_misses: list[NearMissItem] = []

    @classmethod
    def of(cls, result: MatchResult) -> MatchResponse:
        return cls(
            results=[MatchItem.model_validate(r, from_attributes=True) for r in result.results],
            inferred_needs=None if result.inferred_needs is None else list(result.inferred_needs),
            near_misses=[
                NearMissItem.model_validate(n, from_attributes=True) for n in result.near_misses
            ],
        )


class ClassifyRequest(BaseModel):
    """An offer's text to classify: its title and description, in French or English."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    # Blank text is refused, and the schema says so: at least one character that is
    # whitespace neither to JSON Schema (\s) nor to str.strip (\x1c-\x1f, \x85).
    text: str = Field(
        min_length=1,
        max_length=10_000,
        pattern=r"[^\s\x1c-\x1f\x85]",
        description="Title and description.",
    )


class SuggestedCode(BaseModel):
    code: str
    confidence: float = Field(ge=0, le=1)
    en: str
    fr: str


class ClassifyResponse(BaseModel):
    """The proposed kind, categories (the first is the primary one) and sectors (none: all)."""

    kind: SuggestedCode
    categories: list[SuggestedCode]
    sectors: list[SuggestedCode]

    @classmethod
    def of(cls, suggestion: Suggestion) -> ClassifyResponse:
        """The API view of a `services_catalog.classify.Suggestion`, with both labels."""

        def scored(vocabulary: str, code: str, confidence: float) -> SuggestedCode:
            term = VOCABULARIES[vocabulary][code]
            return SuggestedCode(code=code, confidence=confidence, en=term.en, fr=term.fr)

        return cls(
            kind=scored("kind", suggestion.kind, suggestion.kind_confidence),
            categories=[scored("category", *item) for item in suggestion.categories],
            sectors=[scored("sector", *item) for item in suggestion.sectors],
        )
