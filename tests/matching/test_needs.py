"""The needs model: its shipped examples, clear cases in both languages, held-out quality."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from matching import NeedsModel, load_examples

CATEGORIES = {
    "information", "training", "mentoring", "incubation", "acceleration", "business_plan",
    "legal_admin", "market_access", "networking", "technical_assistance", "workspace",
    "grant", "loan", "honour_loan", "microcredit", "guarantee", "equity", "quasi_equity",
    "crowdfunding", "prize", "diaspora_savings",
}  # fmt: skip
# Measured on this split (285 train, 95 held out): micro-F1 0.73, precision 0.89, recall 0.62;
# eight random splits gave 0.67 ± 0.03, the worst 0.63. The floor leaves room for noise.
HELD_OUT_F1_FLOOR = 0.6


def test_shipped_examples_are_many_balanced_and_valid():
    examples = load_examples()
    assert len(examples) >= 300
    assert len({text for text, _ in examples}) == len(examples)
    assert all(1 <= len(needs) <= 3 and set(needs) <= CATEGORIES for _, needs in examples)
    per_category = Counter(code for _, needs in examples for code in needs)
    assert set(per_category) == CATEGORIES
    assert min(per_category.values()) >= 15


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nous avons besoin d'une subvention pour équiper le dispensaire du village", {"grant"}),
        ("Looking for a coworking desk in Abidjan", {"workspace"}),
        ("We want venture capital investors to take a stake in our startup", {"equity"}),
        ("un microcrédit pour mon étal au marché", {"microcredit"}),
        ("I would like a mentor to coach me during my first year", {"mentoring"}),
        ("Je voudrais exporter mes mangues séchées vers la France", {"market_access"}),
        ("Interest-free honour loan to complete my personal contribution", {"honour_loan"}),
        ("Je veux participer à un concours pour gagner un prix", {"prize"}),
    ],
)
def test_clear_unseen_descriptions(text, expected):
    assert set(NeedsModel.default().predict(text)) == expected


def test_examples_from_the_brief():
    model = NeedsModel.default()
    assert model.predict("Je cherche un prêt pour acheter un tracteur pour ma ferme") == ("loan",)
    both = model.predict("I need help writing my business plan and finding investors")
    assert set(both) == {"business_plan", "equity"}


def test_probabilities_are_ordered_and_empty_text_gives_nothing():
    model = NeedsModel.default()
    probs = list(model.probabilities("subvention pour un puits").values())
    assert probs == sorted(probs, reverse=True)
    assert all(0.0 <= p <= 1.0 for p in probs)
    assert model.predict("") == ()
    assert model.predict("   ") == ()


def test_held_out_micro_f1_is_above_the_floor():
    examples = load_examples()
    random.Random(0).shuffle(examples)
    cut = len(examples) // 4
    held_out, training = examples[:cut], examples[cut:]
    model = NeedsModel.train(training)
    hits = predicted = actual = 0
    for text, needs in held_out:
        guess = set(model.predict(text))
        hits += len(guess & set(needs))
        predicted += len(guess)
        actual += len(needs)
    precision, recall = hits / predicted, hits / actual
    micro_f1 = 2 * precision * recall / (precision + recall)
    assert micro_f1 >= HELD_OUT_F1_FLOOR, (micro_f1, precision, recall)
