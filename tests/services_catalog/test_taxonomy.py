import pytest

from services_catalog.taxonomy import (
    CATEGORIES,
    VOCABULARIES,
    UnknownCodeError,
    categories_of_kind,
    label,
    normalize_code,
)

# The contract's codes, written out again so that a drift in the code is caught here.
CONTRACT_CODES = {
    "kind": ["service", "financing"],
    "category": [
        "information", "training", "mentoring", "incubation", "acceleration", "business_plan",
        "legal_admin", "market_access", "networking", "technical_assistance", "workspace",
        "grant", "loan", "honour_loan", "microcredit", "guarantee", "equity", "quasi_equity",
        "crowdfunding", "prize", "diaspora_savings",
    ],
    "sector": [
        "agriculture", "manufacturing", "energy", "water_environment", "construction", "trade",
        "transport", "tourism", "digital", "finance", "business_services", "education",
        "health", "creative", "local_development",
    ],
    "stage": ["idea", "startup", "growth", "scaleup"],
    "applicant_type": ["individual", "company", "association"],
    "target_group": ["diaspora", "returnee", "women", "youth"],
}  # fmt: skip


@pytest.mark.parametrize("vocabulary", CONTRACT_CODES)
def test_codes_are_the_contracts_in_order(vocabulary):
    assert list(VOCABULARIES[vocabulary]) == CONTRACT_CODES[vocabulary]


def test_every_term_has_both_labels():
    for terms in VOCABULARIES.values():
        for term in terms.values():
            assert term.en and term.fr
            assert term.code.isascii() and term.code == term.code.lower()


def test_categories_belong_to_a_kind():
    assert categories_of_kind("service")[0] == "information"
    assert categories_of_kind("financing")[-1] == "diaspora_savings"
    assert len(categories_of_kind("service")) + len(categories_of_kind("financing")) == len(
        CATEGORIES
    )


@pytest.mark.parametrize(
    ("vocabulary", "value", "code"),
    [
        ("category", "honour_loan", "honour_loan"),
        ("category", " Honour_Loan ", "honour_loan"),
        ("category", "Prêt d'honneur", "honour_loan"),
        ("category", "pret d honneur", "honour_loan"),
        ("category", "Microcrédit", "microcredit"),
        ("target_group", "Women", "women"),
        ("target_group", "FEMMES", "women"),
        ("kind", "Offre de financement", "financing"),
        ("lang", "Français", "fr"),
        ("lang", "EN", "en"),
        ("stage", "Création", "startup"),
    ],
)
def test_normalize_code_accepts_codes_and_labels(vocabulary, value, code):
    assert normalize_code(vocabulary, value) == code


@pytest.mark.parametrize("value", ["gift", "", None, 3, "prêt bancaire"])
def test_unknown_codes_are_errors_naming_the_value(value):
    with pytest.raises(UnknownCodeError) as caught:
        normalize_code("category", value)
    assert repr(value) in str(caught.value)
    assert "honour_loan" in str(caught.value)  # the allowed codes are listed


def test_label_in_both_languages():
    assert label("sector", "agriculture", "fr") == "Agriculture, agroalimentaire et pêche"
    assert label("sector", "agriculture", "en") == "Agriculture, agri-food & fisheries"
