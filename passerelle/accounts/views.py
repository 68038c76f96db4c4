"""What the entrepreneur pages show: form choices, project summaries, matches."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from passerelle.accounts.models import Project
from passerelle.recommender import Recommender
from passerelle.web.find_support import matches_view
from services_catalog.countries import country_choices
from services_catalog.taxonomy import VOCABULARIES, categories_of_kind, label

MATCHES_SHOWN = 10


def _options(vocabulary: str, locale: str, codes=None) -> list[tuple[str, str]]:
    return [(code, label(vocabulary, code, locale)) for code in codes or VOCABULARIES[vocabulary]]


def _category_options(kind: str, locale: str) -> list[tuple[str, str]]:
    return _options("category", locale, categories_of_kind(kind))


def project_choices(locale: str) -> dict:
    """The options of the project form, labelled in the page's language."""
    return {
        "countries": country_choices(locale),
        "sectors": _options("sector", locale),
        "stages": _options("stage", locale),
        "applicant_types": _options("applicant_type", locale),
        "groups": _options("target_group", locale),
        "needs": [
            (
                kind,
                label("kind", kind, locale),
                _options("category", locale, categories_of_kind(kind)),
            )
            for kind in VOCABULARIES["kind"]
        ],
    }


def project_form_defaults() -> dict:
    """A new project starts as an individual's project living in France."""
    return {"applicant_type": "individual", "residence_country": "FR", "groups": ["diaspora"]}


def matches_context(
    session: Session, recommender: Recommender, project: Project, profile, locale: str, today: date
) -> dict:
    """The project's eligible offers as find-support shows them, and the near misses."""
    result = recommender.recommend(profile, as_of=today, top=MATCHES_SHOWN, lang=locale)
    return {
        "project": project,
        "matches": matches_view(session, result, locale, today),
        "eligible_count": result.eligible_count,
    }
