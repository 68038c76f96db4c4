"""The contract's controlled vocabularies, with English and French labels.

Codes are stable lowercase ASCII (contract section 1); labels are for display.
`normalize_code` also accepts a label in either language and the short labels of
`data/vocabulary_aliases.csv`, so that files typed by people ("Prêt d'honneur",
"Women", "Commerce") import as well as files that use the codes.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from services_catalog.aliases import lookup_key, vocabulary_aliases
from services_catalog.errors import N_, InvalidValueError


@dataclass(frozen=True, slots=True)
class Term:
    """One code of a vocabulary with its labels."""

    code: str
    en: str
    fr: str
    kind: str | None = None  # categories only: the offer kind they belong to
    note: str | None = None  # sectors only: the ISIC Rev.4 sections they cover

    def label(self, lang: str = "en") -> str:
        return self.fr if lang == "fr" else self.en


class UnknownCodeError(InvalidValueError):
    """A value that is neither a code nor a label of the vocabulary."""

    def __init__(self, vocabulary: str, value: object) -> None:
        message = N_("not a code or label of this list (allowed: %(allowed)s)")
        super().__init__(message, value, allowed=", ".join(VOCABULARIES[vocabulary]))
        self.vocabulary = vocabulary


class AmbiguousCodeError(InvalidValueError):
    """A value that is a label of several codes of the vocabulary."""

    def __init__(self, vocabulary: str, value: object, candidates: tuple[str, ...]) -> None:
        message = N_("several codes have this label: choose %(candidates)s")
        super().__init__(message, value, candidates=candidates)
        self.vocabulary = vocabulary
        self.candidates = candidates


def _vocabulary(*terms: Term) -> dict[str, Term]:
    return {term.code: term for term in terms}


KINDS = _vocabulary(
    Term("service", "Support service", "Service d'accompagnement"),
    Term("financing", "Financing offer", "Offre de financement"),
)

CATEGORIES = _vocabulary(
    Term("information", "Information & orientation", "Information et orientation", "service"),
    Term("training", "Training", "Formation", "service"),
    Term("mentoring", "Mentoring & coaching", "Mentorat et coaching", "service"),
    Term("incubation", "Incubation", "Incubation", "service"),
    Term("acceleration", "Acceleration", "Accélération", "service"),
    Term(
        "business_plan",
        "Business plan & feasibility support",
        "Appui au plan d'affaires et à la faisabilité",
        "service",
    ),
    Term(
        "legal_admin",
        "Legal, tax & administrative advice",
        "Conseil juridique, fiscal et administratif",
        "service",
    ),
    Term("market_access", "Market access & export", "Accès aux marchés et export", "service"),
    Term("networking", "Networking & events", "Mise en réseau et événements", "service"),
    Term(
        "technical_assistance",
        "Technical assistance & expertise",
        "Assistance technique et expertise",
        "service",
    ),
    Term("workspace", "Workspace & facilities", "Hébergement et espaces de travail", "service"),
    Term("grant", "Grant / subsidy", "Subvention", "financing"),
    Term("loan", "Loan", "Prêt", "financing"),
    Term("honour_loan", "Honour loan (interest-free, personal)", "Prêt d'honneur", "financing"),
    Term("microcredit", "Microcredit", "Microcrédit", "financing"),
    Term("guarantee", "Guarantee", "Garantie", "financing"),
    Term("equity", "Equity & venture capital", "Capital-investissement", "financing"),
    Term("quasi_equity", "Quasi-equity & mezzanine", "Quasi-fonds propres", "financing"),
    Term("crowdfunding", "Crowdfunding", "Financement participatif", "financing"),
    Term("prize", "Prize & competition", "Prix et concours", "financing"),
    Term(
        "diaspora_savings",
        "Diaspora savings, remittance & bi-national banking products",
        "Épargne, transferts et bancarisation de la diaspora",
        "financing",
    ),
)

SECTORS = _vocabulary(
    Term(
        "agriculture",
        "Agriculture, agri-food & fisheries",
        "Agriculture, agroalimentaire et pêche",
        note="A, C10-C12",
    ),
    Term("manufacturing", "Manufacturing & crafts", "Industrie et artisanat", note="C (other), B"),
    Term("energy", "Energy & renewables", "Énergie et renouvelables", note="D"),
    Term(
        "water_environment",
        "Water, sanitation, waste & environment",
        "Eau, assainissement, déchets et environnement",
        note="E",
    ),
    Term(
        "construction",
        "Construction, housing & real estate",
        "BTP, logement et immobilier",
        note="F, L",
    ),
    Term("trade", "Trade & distribution", "Commerce et distribution", note="G"),
    Term("transport", "Transport & logistics", "Transport et logistique", note="H"),
    Term(
        "tourism",
        "Tourism, hospitality & catering",
        "Tourisme, hôtellerie et restauration",
        note="I",
    ),
    Term("digital", "Digital, ICT & tech", "Numérique, TIC et tech", note="J"),
    Term("finance", "Financial services & fintech", "Services financiers et fintech", note="K"),
    Term(
        "business_services",
        "Business & professional services",
        "Services aux entreprises",
        note="M, N",
    ),
    Term("education", "Education & training", "Éducation et formation", note="P"),
    Term("health", "Health & social care", "Santé et action sociale", note="Q"),
    Term(
        "creative",
        "Culture, media & creative industries",
        "Culture, médias et industries créatives",
        note="R, J58-J60",
    ),
    Term(
        "local_development",
        "Local & community development",
        "Développement local et communautaire",
        note="solidarity projects: schools, health posts, water points",
    ),
)

STAGES = _vocabulary(
    Term("idea", "Idea", "Idée"),
    Term("startup", "Start-up (creation)", "Création"),
    Term("growth", "Growth", "Développement"),
    Term("scaleup", "Scale-up", "Changement d'échelle"),
)

APPLICANT_TYPES = _vocabulary(
    Term("individual", "Individual project holder", "Porteur de projet individuel"),
    Term("company", "Registered company", "Entreprise immatriculée"),
    Term(
        "association",
        "Association (incl. diaspora / migrants' solidarity organisations)",
        "Association (dont OSIM)",
    ),
)

TARGET_GROUPS = _vocabulary(
    Term("diaspora", "Diaspora living abroad", "Diaspora à l'étranger"),
    Term("returnee", "Returning migrants", "Migrants de retour"),
    Term("women", "Women", "Femmes"),
    Term("youth", "Young people (35 and under)", "Jeunes (35 ans et moins)"),
)

# Not in the contract: the project's own vocabularies for organisations and the workflow.
ORGANIZATION_TYPES = _vocabulary(
    Term("public_agency", "Public agency", "Agence publique"),
    Term("development_agency", "Development agency", "Agence de développement"),
    Term("bank", "Bank", "Banque"),
    Term("microfinance", "Microfinance institution", "Institution de microfinance"),
    Term("investor", "Investor or fund", "Investisseur ou fonds"),
    Term("incubator", "Incubator or accelerator", "Incubateur ou accélérateur"),
    Term("ngo", "NGO", "ONG"),
    Term("diaspora_association", "Diaspora association", "Association de la diaspora"),
    Term("network", "Network", "Réseau"),
    Term("other", "Other", "Autre"),
)

OFFER_STATUSES = _vocabulary(
    Term("draft", "Draft", "Brouillon"),
    Term("pending", "Pending review", "En attente de validation"),
    Term("published", "Published", "Publiée"),
    Term("rejected", "Rejected", "Refusée"),
    Term("archived", "Archived", "Archivée"),
)

LANGUAGES = _vocabulary(
    Term("fr", "French", "Français"),
    Term("en", "English", "Anglais"),
)

VOCABULARIES: dict[str, dict[str, Term]] = {
    "kind": KINDS,
    "category": CATEGORIES,
    "sector": SECTORS,
    "stage": STAGES,
    "applicant_type": APPLICANT_TYPES,
    "target_group": TARGET_GROUPS,
    "organization_type": ORGANIZATION_TYPES,
    "offer_status": OFFER_STATUSES,
    "lang": LANGUAGES,
}


def fold(text: str) -> str:
    """Lowercase, strip accents and keep only letters and digits, for lenient lookups."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum())


@cache
def _lookup(vocabulary: str) -> dict[str, str | tuple[str, ...]]:
    """Map the key of each code, label and short label to its code (or candidate codes)."""
    spellings: dict[str, set[str]] = {}
    for term in VOCABULARIES[vocabulary].values():
        for spelling in (term.code, term.en, term.fr):
            spellings.setdefault(lookup_key(spelling), set()).add(term.code)
    for name, alias, code in vocabulary_aliases():
        if name == vocabulary:
            spellings.setdefault(lookup_key(alias), set()).add(code)
    return {
        key: next(iter(codes)) if len(codes) == 1 else tuple(sorted(codes))
        for key, codes in spellings.items()
    }


def normalize_code(vocabulary: str, value: object) -> str:
    """Return the code that `value` (a code, a label or a short label) names, or raise."""
    found = _lookup(vocabulary).get(lookup_key(value)) if isinstance(value, str) else None
    if found is None:
        raise UnknownCodeError(vocabulary, value)
    if isinstance(found, tuple):
        raise AmbiguousCodeError(vocabulary, value, found)
    return found


def label(vocabulary: str, code: str, lang: str = "en") -> str:
    """The display label of a code; the code itself when it is unknown."""
    term = VOCABULARIES[vocabulary].get(code)
    return term.label(lang) if term else code


def categories_of_kind(kind: str) -> list[str]:
    """The category codes that belong to an offer kind, in contract order."""
    return [code for code, term in CATEGORIES.items() if term.kind == kind]
