"""Ranking by need met, cautions apart from reasons, near misses by what can change.

Two journeys on the demo catalogue: Aïssatou (poultry farm near Thiès, "Idée" chosen) and
Youssef (software company in Casablanca, "besoin de 80 000 euros").
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from matching import MatchIndex, NeedsModel, OfferRecord, Profile, is_eligible
from passerelle.recommender import CatalogueLabels, currency_rates, demo_offer_records

AS_OF = date(2026, 12, 5)
LABELS = CatalogueLabels()
AISSATOU = Profile(
    residence_country="FR",
    target_country="SN",
    sector="agriculture",
    stage="idea",
    project_eur=15_000,
    funding_need_eur=10_000,
    groups=("diaspora",),
    description="J'ai besoin d'un prêt et d'aide pour mon plan d'affaires",
)
YOUSSEF = Profile(
    residence_country="BE",
    target_country="MA",
    sector="digital",
    stage="startup",
    project_eur=80_000,
    groups=("diaspora",),
    description="besoin de 80 000 euros",
)
LOAN_CATEGORIES = {"loan", "honour_loan", "microcredit"}
PAYMENT_SERVICES = {
    "ecobank-diaspora-account",
    "envoidargent-remittance-comparator",
    "attijariwafa-bank-europe-transfers",
}


@pytest.fixture(scope="module")
def catalogue() -> dict[str, OfferRecord]:
    return {offer.external_id: offer for offer in demo_offer_records()}


@pytest.fixture(scope="module")
def index(catalogue) -> MatchIndex:
    return MatchIndex.build(
        list(catalogue.values()), needs_model=NeedsModel.default(), currency_rates=currency_rates()
    )


def match(index, profile, lang="fr", **options):
    return index.match(profile, as_of=AS_OF, labels=LABELS, lang=lang, **options)


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_aissatou_loan_and_business_plan_are_both_read(index):
    result = match(index, AISSATOU)
    assert {"loan", "business_plan"} <= set(result.inferred_needs)


def test_aissatou_as_creation_gets_the_loans_first_and_no_payment_service_above_them(
    index, catalogue
):
    result = match(index, replace(AISSATOU, stage="startup"), top=20)
    ranked = [r.external_id for r in result.results]
    assert ranked[:2] == ["faise-fse-credit-line", "der-fj-diaspora-fund"]
    meets = [r.components["needs"] > 0 for r in result.results]
    payments = [ranked.index(key) for key in PAYMENT_SERVICES if key in ranked]
    assert payments and not any(meets[position] for position in payments)
    assert meets == sorted(meets, reverse=True)  # every offer meeting a need comes first


def test_aissatou_at_idea_sees_the_loans_as_near_misses_and_is_told_about_creation(index):
    result = match(index, AISSATOU)
    near = [n.external_id for n in result.near_misses]
    assert {"faise-fse-credit-line", "der-fj-diaspora-fund"} <= set(near)
    assert all(n.criterion == "stage" for n in result.near_misses)
    stage = next(s for s in result.suggestions if s.criterion == "stage")
    assert stage.code == "startup"
    assert "« Création »" in stage.text and "« Idée »" in stage.text
    assert "Vous lancez déjà votre activité" in stage.text
    english = match(index, AISSATOU, lang="en").suggestions[0].text
    assert english.startswith("Already setting up your business? Then “Start-up (creation)”")


def test_youssef_amount_is_read_and_is_a_need_for_money(index):
    result = match(index, YOUSSEF)
    assert result.amount_read is not None and result.amount_read.eur == 80_000
    assert set(result.inferred_needs) >= LOAN_CATEGORIES
    assert result.results[0].external_id != "ecobank-diaspora-account"
    assert result.results[0].components["needs"] > 0


def test_youssef_honour_loan_ticket_is_a_caution_never_a_reason(index):
    result = match(index, YOUSSEF)
    forsa = next(r for r in result.results if r.external_id == "forsa-honour-loan-morocco")
    caution = "Finance jusqu'à 9 259 € ; vous cherchez 80 000 €"
    assert caution in [plain(c) for c in forsa.cautions]
    assert not any("Finance" in reason for reason in forsa.reasons)
    assert forsa.timing == "Candidatures au fil de l'eau"
    assert "Candidatures au fil de l'eau" not in forsa.reasons


def test_youssef_is_shown_the_offers_of_a_registered_company(index):
    result = match(index, YOUSSEF)
    near = {n.external_id: n.criterion for n in result.near_misses}
    for key in ("technopark-morocco-hosting", "tamwilcom-business-loan-guarantees",
                "afrikwity-equity-crowdfunding"):  # fmt: skip
        assert near.get(key) == "applicant_type", near
    # Nothing he cannot change (another country) pushes them out.
    assert "target_country" not in near.values()
    company = next(s for s in result.suggestions if s.criterion == "applicant_type")
    assert company.code == "company"
    assert company.text.startswith("En tant qu'entreprise immatriculée, vous seriez aussi éligible")
    english = match(index, YOUSSEF, lang="en").suggestions[0].text
    assert english.startswith("As a registered company, you would also qualify for")


def test_an_amount_in_another_currency_shows_as_written(index):
    farmer = replace(AISSATOU, stage="startup", funding_need_eur=None,
                     description="il me manque 5 millions pour finir le poulailler")  # fmt: skip
    result = match(index, farmer)
    assert result.amount_read.currency == "XOF" and result.amount_read.eur == 7_622
    faise = next(r for r in result.results if r.external_id == "faise-fse-credit-line")
    assert "vous cherchez 5 000 000 XOF, soit environ 7 622 €" in plain(" ".join(faise.reasons))
    english = next(
        r for r in match(index, farmer, lang="en").results if r.offer_id == faise.offer_id
    )
    assert "you seek 5,000,000 XOF, about €7,622" in " ".join(english.reasons)


def test_a_given_amount_is_not_replaced_by_one_in_the_text(index):
    result = match(index, replace(YOUSSEF, funding_need_eur=50_000))
    assert result.amount_read is None


def test_a_programme_closed_for_years_is_never_a_near_miss(index, catalogue):
    # Meetafrica's first call closed in 2016: only the window keeps this profile out.
    profile = Profile("FR", "SN", "digital", "idea", 10_000, groups=("diaspora",))
    result = match(index, profile, near_misses=100)
    assert "meetafrica-1-innovative-startups" not in [n.external_id for n in result.near_misses]
    assert catalogue["meetafrica-1-innovative-startups"].deadline.year == 2016


def test_no_eligibility_violation_in_either_journey(index, catalogue):
    for profile in (AISSATOU, YOUSSEF, replace(AISSATOU, stage="startup")):
        for result in match(index, profile, top=100).results:
            assert is_eligible(catalogue[result.external_id], profile, AS_OF)


# --- The same rules on a small catalogue ----------------------------------------------


def offer(offer_id: int, **fields) -> OfferRecord:
    base = {"title": f"Offer {offer_id}", "organization": "Org", "kind": "financing"}
    return OfferRecord(offer_id=offer_id, **{**base, **fields})


SEEKER = Profile("FR", "SN", "agriculture", "startup", 20_000, needs=("loan",))


def test_an_offer_meeting_no_need_ranks_below_every_offer_meeting_one():
    # The account is built for this very place and sector and described in the person's
    # words: it scores higher, yet the loan comes first.
    words = "Tracteur et semences pour une ferme"
    catalogue = [
        offer(
            1,
            categories=("diaspora_savings",),
            countries=("SN",),
            sectors=("agriculture",),
            stages=("startup",),
            description=words,
        ),
        offer(2, categories=("mentoring", "loan")),
    ]
    seeker = replace(SEEKER, description=words)
    result = MatchIndex.build(catalogue).match(seeker, as_of=AS_OF, labels=LABELS)
    assert [r.offer_id for r in result.results] == [2, 1]
    assert result.results[1].score > result.results[0].score
    assert result.results[1].cautions == ["Does not offer what you asked for (Loan)"]


def test_near_misses_the_person_can_change_come_before_another_country():
    catalogue = [
        offer(1, categories=("loan",), countries=("CI",)),
        offer(2, categories=("loan",), applicant_types=("company",)),
        offer(3, categories=("loan",), stages=("growth",)),
        offer(4, categories=("loan",), opens=date(2027, 1, 10)),
        offer(5, categories=("loan",), opens=date(2028, 1, 10)),
        offer(6, categories=("loan",), deadline=date(2020, 1, 1)),
    ]
    result = MatchIndex.build(catalogue).match(SEEKER, as_of=AS_OF, labels=LABELS)
    near = [n.offer_id for n in result.near_misses]
    assert near[:3] == [2, 3, 4]  # applicant type, stage, a window about to open
    assert set(near[3:]) == {1, 5}  # another country, a window a year away
    assert 6 not in near  # closed six years ago
