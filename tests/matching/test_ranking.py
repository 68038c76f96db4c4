"""Scores, explanations in English and French, determinism and free-text needs in a match."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from sklearn.feature_extraction.text import TfidfVectorizer

from matching import WEIGHTS, MatchIndex, NeedsModel, OfferRecord, Profile
from matching.messages import CONTEXT, Voice, french_in, money
from matching.text import OfferText, analyse, tfidf_terms
from passerelle.i18n import LOCALES, get_translations
from passerelle.recommender import CatalogueLabels

AS_OF = date(2026, 6, 15)
ROOT = Path(__file__).parents[2]
LOCALE_PO = ROOT / "passerelle/locale/fr/LC_MESSAGES/messages.po"
NAMES = {
    "SN": ("Senegal", "Sénégal"),
    "CI": ("Côte d'Ivoire", "Côte d'Ivoire"),
    "FR": ("France", "France"),
    "agriculture": ("Agriculture, agri-food & fisheries", "Agriculture, agroalimentaire et pêche"),
    "loan": ("Loan", "Prêt"),
    "mentoring": ("Mentoring & coaching", "Mentorat et coaching"),
    "startup": ("Start-up (creation)", "Création"),
    "growth": ("Growth", "Développement"),
}


class TinyLabels:
    """Dictionary labels; an unknown code raises KeyError like a strict caller might."""

    def _label(self, code: str, lang: str) -> str:
        return NAMES[code][lang == "fr"]

    country = sector = category = group = stage = applicant_type = _label

    # The sentences in the platform's catalogue, as the caller's labels give them.
    sentence = staticmethod(CatalogueLabels().sentence)


LABELS = TinyLabels()
PROFILE = Profile(
    residence_country="FR",
    target_country="SN",
    sector="agriculture",
    stage="startup",
    project_eur=60_000,
    funding_need_eur=45_000,
    groups=("diaspora",),
    needs=("loan",),
)


def offer(offer_id: int, **fields) -> OfferRecord:
    base = {"title": f"Offer {offer_id}", "organization": "Org", "kind": "financing"}
    return OfferRecord(offer_id=offer_id, **{**base, **fields})


def match(catalogue, profile=PROFILE, **options):
    options = {"as_of": AS_OF, "labels": LABELS, **options}
    return MatchIndex.build(catalogue).match(profile, **options)


def ids(result) -> list[int]:
    return [r.offer_id for r in result.results]


def plain(text: str) -> str:
    # Babel writes French amounts with (narrow) no-break spaces; compare on plain spaces.
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_reasons_in_english_and_french():
    rich = offer(
        1,
        categories=("loan",),
        countries=("SN",),
        target_groups=("diaspora",),
        ticket_min_eur=30_000,
        deadline=date(2027, 1, 15),
    )
    en = match([rich], lang="en").results[0]
    fr = match([rich], lang="fr").results[0]
    assert en.reasons == [
        "Matches your need: Loan",
        "Open to projects in Senegal",
        "Built for the diaspora",
        "Finances from €30,000; you seek €45,000",
    ]
    assert [plain(r) for r in fr.reasons] == [
        "Répond à votre besoin : Prêt",
        "Ouvert aux projets au Sénégal",
        "Conçu pour la diaspora",
        "Finance à partir de 30 000 € ; vous cherchez 45 000 €",
    ]
    # When to apply is information, shown apart; nothing here is a caution.
    assert (en.timing, fr.timing) == ("Deadline 15 January 2027", "Date limite : 15 janvier 2027")
    assert en.cautions == fr.cautions == []


def test_near_miss_sentences_in_both_languages():
    catalogue = [
        offer(1, opens=date(2027, 9, 1)),
        offer(2, countries=("CI",)),
        offer(3, min_project_eur=80_000),
        offer(4, deadline=date(2026, 3, 1)),
        offer(5, target_groups=("women",)),
        offer(6, stages=("growth",)),
        offer(7, max_project_eur=50_000, min_project_eur=10_000),
    ]
    expected = {
        1: ("Opens on 1 September 2027", "Ouvre le 1 septembre 2027"),
        2: ("For projects in Côte d'Ivoire", "Pour les projets en Côte d'Ivoire"),
        3: ("From €80,000; yours is €60,000", "À partir de 80 000 € ; votre projet : 60 000 €"),
        4: ("Deadline passed on 1 March 2026", "Candidatures closes depuis le 1 mars 2026"),
        5: ("For women entrepreneurs", "Pour les femmes entrepreneures"),
        6: ("For the stage: Growth", "Pour le stade : Développement"),
        7: (
            "From €10,000 to €50,000; yours is €60,000",
            "De 10 000 € à 50 000 € ; votre projet : 60 000 €",
        ),
    }
    for position, lang in enumerate(("en", "fr")):
        result = match(catalogue, lang=lang, near_misses=10)
        got = {n.offer_id: plain(n.missing) for n in result.near_misses}
        assert got == {k: v[position] for k, v in expected.items()}


def test_every_sentence_is_extracted_and_translated_into_french():
    # What `pybabel extract -F babel.cfg` finds in the library is what the catalogue holds.
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = [
        (message, context)
        for _, _, message, _, context in extract_from_dir(
            ROOT, method_map, options_map, keywords=DEFAULT_KEYWORDS
        )
    ]
    found = [(message, context) for message, context in found if context == CONTEXT]
    assert len(found) >= 45
    with LOCALE_PO.open("rb") as po_file:
        catalog = read_po(po_file, locale="fr")
    for message, context in found:
        entry = catalog.get(message, context=context)
        assert entry is not None and entry.string, message
        # Babel's own checks: the French uses only the placeholders the English gives.
        assert not list(entry.check(catalog)), message
    assert "fr" in LOCALES
    french = get_translations("fr").pgettext(CONTEXT, "Opens on %(date)s")
    assert french == "Ouvre le %(date)s"  # not the offer page's "Ouverture le"


def test_labels_without_sentences_speak_english_and_a_failing_catalogue_degrades():
    assert Voice("fr").say("Opens on %(date)s", date="1") == "Opens on 1"

    class Broken:
        def sentence(self, message, lang):
            raise LookupError(message)

    assert Voice("fr", Broken()).say("Not published") == "Not published"


def test_unknown_label_falls_back_to_the_code_and_unknown_lang_to_english():
    result = match([offer(1, categories=("prize",), countries=("SN",))], lang="de")
    assert result.results[0].reasons[0] == "Open to projects in Senegal"
    odd = replace(PROFILE, needs=("prize",))
    assert match([offer(1, categories=("prize",))], odd).results[0].reasons[0].endswith("prize")


def test_primary_category_counts_most():
    catalogue = [offer(1, categories=("mentoring", "loan")), offer(2, categories=("loan",))]
    result = match(catalogue)
    assert ids(result) == [2, 1]
    assert result.results[0].components["needs"] == 1.0
    assert result.results[1].components["needs"] < 0.6


def test_specific_offers_rank_above_generic_ones():
    catalogue = [
        offer(1),
        offer(2, countries=("SN",)),
        offer(3, countries=("SN", "CI", "ML", "BF")),
        offer(4, target_groups=("diaspora",)),
    ]
    result = match(catalogue)
    spec = {r.offer_id: r.components["specificity"] for r in result.results}
    assert spec[2] > spec[3] > spec[1] == 0.0
    assert spec[4] > 0.0
    assert ids(result)[-1] == 1


def test_funding_fit_only_for_financing_offers_with_an_amount_sought():
    catalogue = [
        offer(1, ticket_min_eur=10_000, ticket_max_eur=50_000),
        offer(2, ticket_max_eur=15_000),
        offer(3, kind="service", ticket_max_eur=15_000),
    ]
    comps = {r.offer_id: r.components for r in match(catalogue).results}
    assert comps[1]["funding"] == 1.0
    assert comps[2]["funding"] == round(15_000 / 45_000, 3)
    assert "funding" not in comps[3]
    no_need = replace(PROFILE, funding_need_eur=None)
    assert all("funding" not in r.components for r in match(catalogue, no_need).results)


def test_close_deadline_raises_slightly():
    catalogue = [offer(1), offer(2, deadline=AS_OF + timedelta(days=6))]
    result = match(catalogue)
    assert ids(result) == [2, 1]
    gap = result.results[0].score - result.results[1].score
    # No description here, so the other weights are rescaled over 1 - WEIGHTS["text"].
    assert 0 < gap <= WEIGHTS["urgency"] / (1 - WEIGHTS["text"]) + 0.001


def test_description_close_to_an_offer_ranks_it_higher():
    catalogue = [
        offer(1, title="Women's weaving cooperative", description="Looms for textile crafts"),
        offer(2, title="Tractor loans", description="Agricultural machinery for farms"),
    ]
    farmer = replace(PROFILE, description="Je veux acheter un tracteur pour ma ferme agricole")
    result = match(catalogue, farmer)
    assert ids(result) == [2, 1]
    assert result.results[0].components["text"] > 0
    assert "Close to your project description" in result.results[0].reasons
    assert "text" not in match(catalogue).results[0].components


def test_same_input_same_ranking_and_ties_broken_by_offer_id():
    rng = random.Random(7)
    catalogue = [
        offer(
            i, categories=(rng.choice(["loan", "mentoring"]),), countries=rng.choice([(), ("SN",)])
        )
        for i in range(1, 60)
    ]
    first = match(catalogue, top=60)
    shuffled = catalogue[:]
    rng.shuffle(shuffled)
    assert match(shuffled, top=60) == first
    ranking = [(-r.score, r.offer_id) for r in first.results]
    assert ranking == sorted(ranking)
    assert len({r.score for r in first.results}) < len(first.results)  # ties happened


def test_needs_inferred_from_the_description_when_none_are_given():
    catalogue = [offer(1, categories=("mentoring",)), offer(2, categories=("loan",))]
    model = NeedsModel.default()
    talker = replace(
        PROFILE, needs=(), description="Je cherche un prêt bancaire pour acheter un tracteur"
    )
    result = MatchIndex.build(catalogue, needs_model=model).match(
        talker, as_of=AS_OF, labels=LABELS
    )
    assert result.inferred_needs is not None
    assert "loan" in result.inferred_needs
    assert ids(result) == [2, 1]
    explicit = MatchIndex.build(catalogue, needs_model=model).match(
        PROFILE, as_of=AS_OF, labels=LABELS
    )
    assert explicit.inferred_needs is None


def test_scores_are_rounded_and_within_bounds():
    result = match([offer(1, categories=("loan",), ticket_max_eur=20_000)])
    (best,) = result.results
    assert 0.0 <= best.score <= 1.0
    assert best.score == round(best.score, 3)
    assert set(best.components) <= set(WEIGHTS)


def test_fast_tfidf_equals_sklearn_transform():
    texts = ["Prêt agricole pour la diaspora", "Digital mentoring for women", "Énergie solaire"]
    index = OfferText.build(texts)
    fitted = TfidfVectorizer(analyzer=analyse, sublinear_tf=True)
    matrix = fitted.fit_transform(texts)
    rows = np.arange(len(texts))
    for text in ["prêts agricoles et énergie", "mentorat digital", "nothing known"]:
        expected = (matrix @ fitted.transform([text]).T).toarray().ravel()
        np.testing.assert_allclose(index.cosine(rows, index.query(text)), expected, atol=1e-6)
        terms = tfidf_terms(fitted.vocabulary_, fitted.idf_, analyse, text)
        got = np.zeros(len(fitted.vocabulary_))
        if terms is not None:
            got[terms[0]] = terms[1]
        np.testing.assert_allclose(got, fitted.transform([text]).toarray().ravel(), atol=1e-7)


def test_spliced_text_weighs_as_if_built_from_the_new_texts():
    texts = ["Prêt agricole pour la diaspora", "Digital mentoring for women", "Énergie solaire"]
    index = OfferText.build(texts)
    kept = np.array([True, False, True])
    # The mentoring offer is gone, and a new one sits between the two others.
    spliced = index.spliced(kept, ["Prêt solaire pour femmes"], np.array([0, 2, 1]))
    rebuilt = OfferText.build([texts[0], "Prêt solaire pour femmes", texts[2]])
    rows = np.arange(3)
    for text in ["prêt solaire", "mentoring women", "diaspora"]:
        np.testing.assert_allclose(
            spliced.cosine(rows, spliced.query(text)),
            rebuilt.cosine(rows, rebuilt.query(text)),
            atol=1e-6,
        )
    assert spliced.query("mentoring") is None  # no offer holds the word any more


def test_stems_join_french_and_english_cognates():
    assert set(analyse("financement agricole")) == set(analyse("agricultural financing"))


def test_french_country_prepositions():
    cases = {
        "Sénégal": "au Sénégal",
        "Côte d'Ivoire": "en Côte d'Ivoire",
        "Comores": "aux Comores",
        "Madagascar": "à Madagascar",
        "États-Unis": "aux États-Unis",
        "Royaume-Uni": "au Royaume-Uni",
        "Égypte": "en Égypte",
        "Mozambique": "au Mozambique",
        "République démocratique du Congo": "en République démocratique du Congo",
    }
    assert {name: french_in(name) for name in cases} == cases


def test_money_is_whole_euros_in_the_reader_s_format():
    assert money(30_000, Voice("en")) == "€30,000"
    assert plain(money(30_000, Voice("fr"))) == "30 000 €"
