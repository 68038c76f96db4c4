"""A deterministic generator of synthetic catalogues, for tests and benchmarks.

The offers look like the real catalogue in shape (most restrict countries, a few are
open to all, amounts spread over four orders of magnitude) but describe nothing real.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from services_catalog.taxonomy import (
    APPLICANT_TYPES,
    SECTORS,
    STAGES,
    TARGET_GROUPS,
    categories_of_kind,
)

PROJECT_COUNTRIES = (
    "SN", "CI", "ML", "CM", "MA", "TN", "DZ", "BJ", "BF", "TG", "GN", "CD", "NG", "GH", "KE",
    "KM", "MG", "NE", "GA", "CG", "ET", "RW", "EG", "MR",
)  # fmt: skip
RESIDENCE_COUNTRIES = ("FR", "DE", "BE", "IT", "ES", "NL", "GB", "CH", "MA", "TN")
WORDS = {
    "fr": (
        "accompagnement", "financement", "projet", "entreprise", "diaspora", "formation",
        "prêt", "subvention", "incubation", "coopérative", "agricole", "numérique", "énergie",
        "solaire", "artisanat", "commerce", "santé", "école", "femmes", "jeunes", "retour",
    ),
    "en": (
        "support", "financing", "project", "business", "diaspora", "training", "loan",
        "grant", "incubation", "cooperative", "farming", "digital", "energy", "solar",
        "crafts", "trade", "health", "school", "women", "youth", "return",
    ),
}  # fmt: skip


def _some(rng: random.Random, choices, *, empty_chance: float, most: int) -> list[str]:
    if rng.random() < empty_chance:
        return []
    return sorted(rng.sample(list(choices), rng.randint(1, min(most, len(choices)))))


def _amount_range(rng: random.Random) -> tuple[int | None, int | None]:
    if rng.random() < 0.4:
        return None, None
    low = rng.choice((500, 1_000, 5_000, 10_000, 30_000, 100_000, 500_000))
    return (low if rng.random() < 0.8 else None), low * rng.choice((5, 10, 20, 100))


def synthetic_offer(rng: random.Random, number: int, today: date) -> dict:
    """One exchange-format offer drawn from `rng`."""
    kind = "financing" if rng.random() < 0.5 else "service"
    lang = rng.choice(("fr", "en"))
    words = WORDS[lang]
    min_project, max_project = _amount_range(rng)
    ticket_min, ticket_max = _amount_range(rng) if kind == "financing" else (None, None)
    opens = deadline = None
    if rng.random() < 0.3:
        deadline = today + timedelta(days=rng.randint(-60, 365))
        opens = deadline - timedelta(days=rng.randint(30, 180))
    title = " ".join(rng.sample(words, 4)).capitalize() + f" {number}"
    description = " ".join(rng.choices(words, k=rng.randint(15, 40))).capitalize() + "."
    return {
        "id": f"synthetic-{number:06d}",
        "title": title,
        "description": description,
        "lang": lang,
        **_bilingual(number, title, description),
        "organization": f"Synthetic provider {rng.randint(1, 400):03d}",
        "url": f"https://example.org/offers/{number}",
        "kind": kind,
        "categories": _some(rng, categories_of_kind(kind), empty_chance=0.0, most=3),
        "sectors": _some(rng, SECTORS, empty_chance=0.35, most=4),
        "countries": _some(rng, PROJECT_COUNTRIES, empty_chance=0.15, most=5),
        "residence_countries": _some(rng, RESIDENCE_COUNTRIES, empty_chance=0.6, most=3),
        "stages": _some(rng, STAGES, empty_chance=0.4, most=3),
        "applicant_types": _some(rng, APPLICANT_TYPES, empty_chance=0.5, most=2),
        "target_groups": _some(rng, TARGET_GROUPS, empty_chance=0.6, most=2),
        "min_project_eur": min_project,
        "max_project_eur": max_project,
        "ticket_min_eur": ticket_min,
        "ticket_max_eur": ticket_max,
        "opens": opens.isoformat() if opens else None,
        "deadline": deadline.isoformat() if deadline else None,
    }


def _bilingual(number: int, title: str, description: str) -> dict[str, str | None]:
    """Both titles and summaries for every other offer, none for the others (as catalogues
    written before them), without drawing from the random generator: the same seed gives
    the same offers as before."""
    if number % 2:
        return dict.fromkeys(("title_fr", "title_en", "summary_fr", "summary_en"))
    summary = description.split(".")[0][:200] + "."
    return {
        "title_fr": f"FR {title}",
        "title_en": f"EN {title}",
        "summary_fr": f"Résumé : {summary}",
        "summary_en": f"Summary: {summary}",
    }


def synthetic_offers(count: int, *, seed: int = 0, today: date | None = None) -> list[dict]:
    """`count` offers, the same ones for the same seed and date."""
    rng = random.Random(seed)
    today = today or date(2026, 11, 23)
    return [synthetic_offer(rng, number, today) for number in range(1, count + 1)]
