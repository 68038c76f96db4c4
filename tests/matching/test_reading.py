"""Needs and amounts read from what people write: phrasings, typos, no accents, currencies."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from matching.amounts import AmountRead, AmountReader
from matching.lexicon import LEXICON_PATH, Lexicon, default_lexicon
from passerelle.recommender import currency_rates

LOANS = ("loan", "honour_loan", "microcredit")


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return default_lexicon()


@pytest.fixture(scope="module")
def reader(lexicon) -> AmountReader:
    return AmountReader(lexicon, currency_rates())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("J'ai besoin d'un prêt et d'aide pour mon plan d'affaires", (*LOANS, "business_plan")),
        ("jai besoin dun pret bancaire mais la banque veut une garantie", (*LOANS, "guarantee")),
        ("besion d'un financemnt pour la ferme", LOANS),  # two typos
        ("il me manque 5 millions", LOANS),
        ("un petit coup de pouce", ("grant", *LOANS)),
        ("on cherche des investisseurs", ("equity",)),
        ("looking for investors and a mentor", ("equity", "mentoring")),
        ("need grant or loan to start poultry", ("grant", *LOANS)),
        ("BP + financement", ("business_plan", *LOANS)),
        ("pret d'honneur", ("honour_loan",)),  # the longer phrase wins over "prêt"
        ("Notre association cherche une subvension", ("grant",)),
        ("je voudrais envoyer de l'argent et ouvrir un compte", ("diaspora_savings",)),
        ("je veux investir dans mon pays", ()),  # investing is not seeking investors
        ("une ferme de 2000 poulets à Thiès", ()),
    ],
)
def test_needs_read_in_every_phrasing(lexicon, text, expected):
    assert set(lexicon.read_needs(text)) == set(expected)


def test_a_need_for_money_is_added_only_when_no_kind_of_financing_is_read(lexicon):
    assert lexicon.with_money_need(("mentoring",)) == ("mentoring", *LOANS)
    assert lexicon.with_money_need(("grant",)) == ("grant",)


def test_the_lexicon_is_data_another_file_can_replace(tmp_path):
    data = json.loads(LEXICON_PATH.read_text("utf-8"))
    data["needs"]["workspace"].append("garage")
    path = tmp_path / "lexicon.json"
    path.write_text(json.dumps(data), "utf-8")
    assert Lexicon.load(path).read_needs("je cherche un garage") == ("workspace",)


@pytest.mark.parametrize(
    ("text", "country", "eur", "quantity", "currency"),
    [
        ("besoin de 80 000 euros", "MA", 80_000, 80_000, "EUR"),
        ("besoin de 20k€ pour le materiel", "SN", 20_000, 20_000, "EUR"),
        ("seed round 50k", "CI", 50_000, 50_000, "EUR"),
        ("€5000 needed", "GH", 5_000, 5_000, "EUR"),
        # Millions without a currency, in a CFA country, are CFA francs.
        ("il me manque 5 millions pour finir", "SN", 7_622, 5_000_000, "XOF"),
        ("Besoin de 10 000 000 FCFA", "SN", 15_245, 10_000_000, "FCFA"),
        ("short of 4 million cfa", "SN", 6_098, 4_000_000, "FCFA"),
        ("1M de dirhams pour une unité", "MA", None, 1_000_000, "MAD"),
        ("1,5 million FCFA", "SN", 2_287, 1_500_000, "FCFA"),
    ],
)
def test_amounts_read_with_their_currency(reader, text, country, eur, quantity, currency):
    found = reader.amount_sought(text, country)
    assert found is not None
    assert (found.quantity, found.currency) == (Decimal(quantity), currency)
    rate = Decimal(str(currency_rates().get(currency, 1)))
    assert found.eur == (eur if eur is not None else round(Decimal(quantity) / rate))


def test_the_amount_sought_is_the_one_a_need_word_announces(reader):
    text = "Le projet coûte 25 000 € au total, j'ai économisé 10 000 €, donc il me manque 15 000 €."
    assert reader.amount_sought(text, "SN") == AmountRead(15_000, Decimal(15_000), "EUR")
    # No need word: the first amount no other word claims.
    assert reader.amount_sought("j'ai 3 000 €, il faudrait 9 000 € de plus", "SN").eur == 9_000


@pytest.mark.parametrize(
    "text", ["une ferme de 2000 poulets", "depuis 2015", "le projet coûte 25 000 €", ""]
)
def test_no_amount_sought_in_counts_years_or_project_costs(reader, text):
    assert reader.amount_sought(text, "SN") is None


def test_a_currency_without_a_rate_is_not_read(lexicon):
    euros_only = AmountReader(lexicon, {})
    assert euros_only.amount_sought("besoin de 150 000 dh", "MA") is None
    assert euros_only.amount_sought("besoin de 15 000 €", "MA").eur == 15_000
