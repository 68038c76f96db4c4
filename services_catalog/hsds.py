"""Export of the published catalogue as Open Referral HSDS 3.0 JSON.

HSDS describes organisations and the services they deliver; Passerelle's offers are
its services. Our vocabularies become HSDS taxonomies, and each offer's codes become
`attributes` that link the service to a taxonomy term. HSDS has no field for what
financing offers carry, so those travel as documented attributes too: the term says
what the figure is (`ticket_max_eur`, `deadline`…) and the attribute's `value` holds it
(whole euros, or an ISO date). Every id is a UUID derived from our own stable ids, so
the same catalogue always exports the same document.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services_catalog.countries import country_name
from services_catalog.models import Offer, Organization
from services_catalog.service import offer_to_record
from services_catalog.taxonomy import VOCABULARIES, Term

HSDS_VERSION = "3.0"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "passerelle/hsds")

# Exchange-format list field → (taxonomy name, vocabulary, or None for countries).
LIST_TAXONOMIES = {
    "categories": ("passerelle-categories", "category"),
    "sectors": ("passerelle-sectors", "sector"),
    "stages": ("passerelle-stages", "stage"),
    "applicant_types": ("passerelle-applicant-types", "applicant_type"),
    "target_groups": ("passerelle-target-groups", "target_group"),
    "countries": ("passerelle-project-countries", None),
    "residence_countries": ("passerelle-residence-countries", None),
}
FIGURES_TAXONOMY = "passerelle-financing-and-window"
FIGURES = {
    "min_project_eur": "Smallest eligible total project size, in whole euros",
    "max_project_eur": "Largest eligible total project size, in whole euros",
    "ticket_min_eur": "Smallest amount the offer provides, in whole euros",
    "ticket_max_eur": "Largest amount the offer provides, in whole euros",
    "opens": "First day applications are accepted (ISO date)",
    "deadline": "Last day applications are accepted (ISO date); absent means rolling",
}
TAXONOMY_DESCRIPTIONS = {
    "passerelle-offer-kinds": "Passerelle offer kinds: support service or financing offer",
    "passerelle-categories": "Passerelle support and financing categories",
    "passerelle-sectors": "Passerelle economic sectors (mapped to ISIC Rev.4 sections)",
    "passerelle-stages": "Passerelle project stages",
    "passerelle-applicant-types": "Passerelle applicant types",
    "passerelle-target-groups": "Passerelle target groups",
    "passerelle-project-countries": "ISO 3166-1 alpha-2 countries where the project must be",
    "passerelle-residence-countries": "ISO 3166-1 alpha-2 countries where the applicant lives",
    "passerelle-organization-types": "Passerelle provider types",
    FIGURES_TAXONOMY: "Financing amounts and application window carried by attribute values",
}


def _id(*parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(str(p) for p in parts)))


class _Terms:
    """The taxonomy terms used by the document, collected as attributes are made."""

    def __init__(self) -> None:
        self.terms: dict[str, dict] = {}

    def term(self, taxonomy: str, code: str, name: str, description: str) -> dict:
        term_id = _id("term", taxonomy, code)
        self.terms.setdefault(
            term_id,
            {
                "id": term_id,
                "code": code,
                "name": name,
                "description": description,
                "taxonomy": taxonomy,
                "taxonomy_id": _id("taxonomy", taxonomy),
                "language": "en",
            },
        )
        return self.terms[term_id]

    def vocabulary_term(self, taxonomy: str, vocabulary: str, code: str) -> dict:
        term: Term = VOCABULARIES[vocabulary][code]
        return self.term(taxonomy, code, term.en, f"{term.en} (fr: {term.fr})")

    def country_term(self, taxonomy: str, code: str) -> dict:
        name = country_name(code, "en")
        return self.term(taxonomy, code, name, f"{name} (fr: {country_name(code, 'fr')})")

    def attribute(self, entity: str, link_id: str, term: dict, value: str | None = None) -> dict:
        attribute = {
            "id": _id("attribute", link_id, term["id"]),
            "link_id": link_id,
            "link_type": term["taxonomy"],
            "link_entity": entity,
            "taxonomy_term_id": term["id"],
        }
        if value is not None:
            attribute["value"] = value
        return attribute


def _service(offer: Offer, terms: _Terms, today: date) -> dict:
    record = offer_to_record(offer)
    service_id = _id("service", record.id)
    attributes = [
        terms.attribute(
            "service",
            service_id,
            terms.vocabulary_term("passerelle-offer-kinds", "kind", offer.kind),
        )
    ]
    for field, (taxonomy, vocabulary) in LIST_TAXONOMIES.items():
        for code in getattr(record, field):
            term = (
                terms.vocabulary_term(taxonomy, vocabulary, code)
                if vocabulary
                else terms.country_term(taxonomy, code)
            )
            attributes.append(terms.attribute("service", service_id, term))
    for field, meaning in FIGURES.items():
        value = getattr(record, field)
        if value is not None:
            term = terms.term(FIGURES_TAXONOMY, field, field, meaning)
            attributes.append(terms.attribute("service", service_id, term, str(value)))
    service = {
        "id": service_id,
        "organization_id": _id("organization", offer.organization.name_key),
        "name": record.title,
        "alternate_name": record.id,
        "description": record.description,
        "status": "active" if _window_open(record.opens, record.deadline, today) else "inactive",
        "eligibility_description": eligibility_summary(record),
        "application_process": _application_process(record.opens, record.deadline),
        "last_modified": offer.updated_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "languages": [{"id": _id("language", service_id), "service_id": service_id,
                       "code": record.lang, "name": VOCABULARIES["lang"][record.lang].en}],
        "service_areas": [
            {"id": _id("area", service_id, code), "service_id": service_id,
             "name": country_name(code, "en"), "uri": f"urn:iso:std:iso:3166:-1:{code}"}
            for code in record.countries
        ],
        "attributes": attributes,
    }  # fmt: skip
    if record.url:
        service["url"] = record.url
    if offer.last_verified_on:
        service["assured_date"] = offer.last_verified_on.isoformat()
    return service


def _window_open(opens: date | None, deadline: date | None, today: date) -> bool:
    return (opens is None or opens <= today) and (deadline is None or deadline >= today)


def _application_process(opens: date | None, deadline: date | None) -> str:
    if deadline is None:
        start = f" from {opens.isoformat()}" if opens else ""
        return f"Rolling applications{start}; see the provider's page."
    start = f"from {opens.isoformat()} " if opens else ""
    return f"Applications accepted {start}until {deadline.isoformat()}; see the provider's page."


def eligibility_summary(record) -> str:
    """The eligibility restrictions in plain English; empty lists restrict nothing."""
    parts = []
    if record.countries:
        parts.append("Projects in " + ", ".join(country_name(c, "en") for c in record.countries))
    if record.residence_countries:
        names = ", ".join(country_name(c, "en") for c in record.residence_countries)
        parts.append(f"Applicants living in {names}")
    for field, vocabulary, lead in (
        ("sectors", "sector", "Sectors"),
        ("stages", "stage", "Stages"),
        ("applicant_types", "applicant_type", "Applicants"),
        ("target_groups", "target_group", "For"),
    ):
        codes = getattr(record, field)
        if codes:
            parts.append(f"{lead}: " + ", ".join(VOCABULARIES[vocabulary][c].en for c in codes))
    low, high = record.min_project_eur, record.max_project_eur
    if low is not None or high is not None:
        parts.append(f"Project size {low or 0:,} to {f'{high:,}' if high else 'any'} EUR")
    return ". ".join(parts) + "." if parts else "Open to every project and applicant."


def _organization(organization: Organization, terms: _Terms) -> dict:
    organization_id = _id("organization", organization.name_key)
    type_term = terms.vocabulary_term(
        "passerelle-organization-types", "organization_type", organization.type
    )
    document = {
        "id": organization_id,
        "name": organization.name,
        "description": organization.description or organization.name,
        "attributes": [terms.attribute("organization", organization_id, type_term)],
    }
    if organization.website:
        document["website"] = organization.website
    if organization.email:
        document["email"] = organization.email
    return document


def hsds_document(session: Session, *, today: date | None = None) -> dict:
    """The published catalogue as one HSDS 3.0 document."""
    today = today or date.today()
    terms = _Terms()
    offers = session.scalars(select(Offer).where(Offer.status == "published").order_by(Offer.id))
    services = [_service(offer, terms, today) for offer in offers]
    providers = {offer["organization_id"] for offer in services}
    organizations = [
        document
        for organization in session.scalars(select(Organization).order_by(Organization.name_key))
        if (document := _organization(organization, terms))["id"] in providers
    ]
    taxonomies = sorted({term["taxonomy"] for term in terms.terms.values()})
    return {
        "hsds_version": HSDS_VERSION,
        "publisher": "Passerelle",
        "generated_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "organizations": organizations,
        "services": services,
        "taxonomies": [
            {
                "id": _id("taxonomy", name),
                "name": name,
                "description": TAXONOMY_DESCRIPTIONS[name],
                "version": "1",
            }
            for name in taxonomies
        ],
        "taxonomy_terms": sorted(terms.terms.values(), key=lambda t: (t["taxonomy"], t["code"])),
    }
