"""The offer classifier: clear texts, confidences, training data, speed and evaluation."""

from __future__ import annotations

from collections import Counter

import pytest

from services_catalog.classify import (
    CALIBRATION,
    CATEGORY_THRESHOLD,
    COLUMNS,
    MAX_CATEGORIES,
    MAX_SECTORS,
    SECTOR_THRESHOLD,
    Classifier,
    Suggestion,
    catalogue_records,
    evaluate,
    fit_calibration,
    format_evaluation,
    load_examples,
    shipped_records,
)
from services_catalog.importing import import_offers
from services_catalog.taxonomy import CATEGORIES, KINDS, SECTORS


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier.default()


def codes(pairs: list[tuple[str, float]]) -> list[str]:
    return [code for code, _ in pairs]


def test_french_honour_loan(classifier):
    suggestion = classifier.suggest("Prêt d'honneur à taux zéro pour créer votre entreprise")
    assert suggestion.kind == "financing"
    assert suggestion.kind_confidence >= 0.9
    assert codes(suggestion.categories)[0] == "honour_loan"
    assert suggestion.categories[0][1] >= 0.8


def test_english_tech_incubation(classifier):
    suggestion = classifier.suggest(
        "Incubation programme for tech startups in Lagos with mentoring"
    )
    assert suggestion.kind == "service"
    assert codes(suggestion.categories)[0] in {"incubation", "mentoring"}
    assert {"incubation", "mentoring"} <= set(codes(suggestion.categories))
    assert codes(suggestion.sectors)[0] == "digital"


@pytest.mark.parametrize(
    ("text", "kind", "primary", "sector"),
    [
        (
            "Subvention non remboursable pour les associations de migrants qui construisent "
            "un puits au village",
            "financing",
            "grant",
            "local_development",
        ),
        ("Coworking space with desks and meeting rooms in Accra", "service", "workspace", None),
        ("Garantie de prêt bancaire pour les PME", "financing", "guarantee", None),
        (
            "Help to write your business plan and financial forecast",
            "service",
            "business_plan",
            None,
        ),
        ("Microcrédit pour les femmes commerçantes du marché", "financing", "microcredit", "trade"),
        ("Venture capital for fintech startups in Nigeria", "financing", "equity", "digital"),
        ("Formation en gestion et comptabilité pour les créateurs", "service", "training", None),
        (
            "Permanence juridique gratuite sur les statuts et la fiscalité",
            "service",
            "legal_admin",
            None,
        ),
        ("Mentoring by experienced entrepreneurs for one year", "service", "mentoring", None),
        (
            "Concours de pitch : 10 000 € pour le meilleur projet agricole",
            "financing",
            "prize",
            "agriculture",
        ),
    ],
)
def test_clear_texts_in_both_languages(classifier, text, kind, primary, sector):
    suggestion = classifier.suggest(text)
    assert (suggestion.kind, codes(suggestion.categories)[0]) == (kind, primary)
    if sector:
        assert sector in codes(suggestion.sectors)


def test_a_generic_offer_proposes_no_sector(classifier):
    suggestion = classifier.suggest("Garantie de prêt bancaire pour les PME")
    assert suggestion.sectors == []  # open to all sectors


def test_a_clear_category_decides_a_hesitant_kind(classifier):
    suggestion = classifier.suggest("Nous proposons des bureaux équipés à Dakar")
    assert suggestion.kind == "service"
    assert codes(suggestion.categories)[0] == "workspace"


TEXTS = [
    "Prêt d'honneur à taux zéro pour créer votre entreprise",
    "Incubation programme for tech startups in Lagos with mentoring",
    "Nous proposons des bureaux équipés à Dakar",
    "zzzz qqqq",
    "Fonds d'investissement et accompagnement pour les PME agricoles et les écoles",
    "a" * 10_000,
]


@pytest.mark.parametrize("text", TEXTS)
def test_suggestions_follow_the_rules(classifier, text):
    suggestion = classifier.suggest(text)
    assert isinstance(suggestion, Suggestion)
    assert suggestion.kind in KINDS
    assert 0.5 <= suggestion.kind_confidence <= 1.0
    assert 1 <= len(suggestion.categories) <= MAX_CATEGORIES
    assert len(suggestion.sectors) <= MAX_SECTORS
    primary, *others = suggestion.categories
    assert CATEGORIES[primary[0]].kind == suggestion.kind
    assert all(code in CATEGORIES and 0 <= p <= 1 for code, p in suggestion.categories)
    assert all(p >= CATEGORY_THRESHOLD for _, p in others)
    assert [p for _, p in others] == sorted((p for _, p in others), reverse=True)
    assert all(code in SECTORS and SECTOR_THRESHOLD <= p <= 1 for code, p in suggestion.sectors)
    assert len(set(codes(suggestion.categories))) == len(suggestion.categories)


def test_gibberish_still_gets_one_category_with_a_low_confidence(classifier):
    suggestion = classifier.suggest("zzzz qqqq")
    assert len(suggestion.categories) == 1
    assert suggestion.categories[0][1] < 0.5
    assert suggestion.sectors == []


@pytest.mark.parametrize("text", ["", "   \n", None])
def test_an_empty_text_is_refused(classifier, text):
    with pytest.raises(ValueError, match="empty"):
        classifier.suggest(text)


def test_suggest_many_matches_suggest(classifier):
    assert classifier.suggest_many(TEXTS[:3]) == [classifier.suggest(t) for t in TEXTS[:3]]
    assert classifier.suggest_many([]) == []


def test_default_is_trained_once_per_process():
    assert Classifier.default() is Classifier.default()


def test_training_ignores_unusable_records_and_needs_both_kinds():
    records = [
        {"title": "Prêt", "description": "Un prêt.", "kind": "financing", "categories": ["loan"]},
        {"title": "Formation", "description": "Une formation.", "kind": "service",
         "categories": ["training", "no_such_code"], "sectors": ["nowhere", "education"]},
        {"title": "Sans catégorie", "description": "…", "kind": "service", "categories": []},
        {"title": "", "description": "", "kind": "service", "categories": ["training"]},
    ]  # fmt: skip
    suggestion = Classifier.train(records).suggest("Une formation")
    assert suggestion.kind == "service"
    with pytest.raises(ValueError, match="both kinds"):
        Classifier.train(records[1:])


def test_shipped_examples_are_varied_and_valid():
    examples = load_examples()
    assert len(examples) >= 250
    languages = Counter(example["lang"] for example in examples)
    assert set(languages) == {"fr", "en"} and abs(languages["fr"] - languages["en"]) < 30
    for example in examples:
        assert example["title"].strip() and example["description"].strip()
        assert example["kind"] in KINDS
        assert CATEGORIES[example["categories"][0]].kind == example["kind"], example["title"]
        assert set(example["categories"]) <= set(CATEGORIES)
        assert set(example["sectors"]) <= set(SECTORS)
    categories = Counter(code for example in examples for code in example["categories"])
    sectors = Counter(code for example in examples for code in example["sectors"])
    assert min(categories[code] for code in CATEGORIES) >= 10
    assert min(sectors[code] for code in SECTORS) >= 10
    assert sum(1 for example in examples if not example["sectors"]) >= 50  # generic offers


def test_evaluation_beats_the_majority_baseline_on_every_field():
    """5-fold cross-validation on the shipped examples and demo catalogue (415 offers).

    Measured: kind 0.928 vs 0.339, categories 0.732 vs 0.010, sectors 0.598 vs 0.033
    (macro-F1, classifier vs majority baseline); mean confidence of the proposals against
    their precision: kind 0.95/0.93, categories 0.70/0.75, sectors 0.83/0.83.
    """
    evaluation = evaluate(shipped_records())
    scores = {score.field: score for score in evaluation.fields}
    assert list(scores) == ["kind", "categories", "sectors"]
    floors = {"kind": 0.85, "categories": 0.65, "sectors": 0.5}
    for field, score in scores.items():
        assert score.macro_f1 >= floors[field], score
        assert score.macro_f1 >= score.baseline_f1 + 0.4, score
        assert abs(score.confidence - score.precision) <= 0.1, score  # calibrated enough
    assert (scores["categories"].labels, scores["sectors"].labels) == (21, 16)
    table = format_evaluation(evaluation)
    assert "baseline" in table and "sectors" in table


def test_evaluation_needs_enough_offers():
    with pytest.raises(ValueError, match="at least"):
        evaluate(shipped_records()[:5])


def test_shipped_calibration_still_fits_the_shipped_data():
    refitted = fit_calibration(shipped_records(), seeds=(0,))
    for field, (slope, intercept) in CALIBRATION.items():
        assert refitted[field][0] == pytest.approx(slope, abs=0.3), field
        assert refitted[field][1] == pytest.approx(intercept, abs=0.3), field


def test_retraining_learns_the_published_catalogue(session):
    offer = {
        "id": "classify-zorblax",
        "title": "Zorblax",
        "description": "Zorblax zorblax, dispensaires et cliniques.",
        "lang": "fr",
        "organization": "Fonds Zorblax",
        "kind": "financing",
        "categories": ["crowdfunding"],
        "sectors": ["health"],
    }
    pending = {**offer, "id": "classify-pending", "title": "Offre en attente"}
    assert import_offers(session, [(1, offer)]).applied
    assert import_offers(session, [(1, pending)], status="pending").applied
    session.flush()
    records = catalogue_records(session)
    assert len(records) == len(load_examples()) + 1  # published offers only
    retrained = Classifier.from_catalogue(session)
    health = COLUMNS.index("health")
    before = Classifier.default().probabilities(["Zorblax"])[0, health]
    assert retrained.probabilities(["Zorblax"])[0, health] > before
