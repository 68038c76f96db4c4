"""Offline measurement of ranking quality against graded relevance judgments.

A labelled case is a profile, a reference date and the offers a programme officer judged
for it: 3 excellent fit, 2 good, 1 marginal; every offer not listed counts 0. An offer the
person is not eligible for is never judged relevant. Three systems rank the same cases:

- the matcher (`MatchIndex.match`);
- a filter-only directory: the offers admitting the project's country and sector, by title;
- a text-only search: TF-IDF cosine between the request and each offer, no eligibility.

Metrics, averaged over cases except violations, which are summed:

- NDCG@10: gains 2^grade - 1, a log2 rank discount, normalised by the ideal order of the
  case's judgments (so an offer left out of the judgments can only lower it);
- precision@5: the share of the first five slots holding an offer graded 2 or more. A
  marginal offer (grade 1) is not one an officer would put in front of the person, and an
  empty slot counts as not relevant, so a short list is not rewarded;
- eligibility violations: recommended offers failing `is_eligible` on the case's date.

Cases written as people type (no needs ticked) also list the needs a reader should find
in the description; need-recall is the share of those the matcher reads, averaged over
such cases.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from matching.eligibility import is_eligible
from matching.index import MatchIndex
from matching.labels import Labels, normalise_lang
from matching.needs import NeedsModel
from matching.records import OfferRecord, Profile
from matching.text import analyse

EVALUATION_SET_PATH = Path(__file__).parent / "data" / "evaluation_set.json"

NDCG_CUTOFF = 10
PRECISION_CUTOFF = 5
# Precision@5 counts "good" (2) and "excellent" (3) offers; "marginal" (1) does not.
RELEVANT_GRADE = 2
GRADES = (1, 2, 3)

MATCHER = "matcher"
DIRECTORY = "directory (filter only)"
TEXT_SEARCH = "text search (TF-IDF)"

_PROFILE_FIELDS = frozenset(f.name for f in fields(Profile))


@dataclass(frozen=True, slots=True)
class Case:
    """A labelled profile: who asks, on which date, and the grade of each judged offer."""

    case_id: str
    profile: Profile
    as_of: date
    lang: str
    # External offer id → grade in GRADES; unlisted offers are grade 0.
    judgments: Mapping[str, int]
    # Category codes the description asks for, when the case tests reading needs.
    expected_needs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CaseScore:
    """One system's figures on one case, with the external ids it recommended in order."""

    case_id: str
    ndcg10: float
    p5: float
    violations: int
    ranked: tuple[str | None, ...]


@dataclass(frozen=True, slots=True)
class SystemScore:
    """A system's mean NDCG@10 and precision@5, and its summed eligibility violations."""

    name: str
    ndcg10: float
    p5: float
    violations: int
    profiles: int
    cases: tuple[CaseScore, ...] = ()
    # The matcher's need-recall on the cases listing expected needs; None for baselines.
    need_recall: float | None = None


# A system under evaluation: the offers it recommends for a case, best first.
Ranker = Callable[[Case], Sequence[OfferRecord]]


# --- The labelled set ---------------------------------------------------------------


def profile_from_dict(data: Mapping) -> Profile:
    """A `Profile` from contract section 3 fields; an unknown field is an error."""
    unknown = set(data) - _PROFILE_FIELDS
    if unknown:
        raise ValueError(f"unknown profile field(s): {', '.join(sorted(unknown))}")
    values = dict(data)
    for name in ("groups", "needs"):
        values[name] = tuple(values.get(name) or ())
    return Profile(**values)


def case_from_dict(data: Mapping) -> Case:
    """A `Case` from its JSON form; grades outside 1-3 are an error (omit a 0)."""
    case_id = str(data["id"])
    judgments = {str(key): grade for key, grade in data.get("judgments", {}).items()}
    for key, grade in judgments.items():
        if isinstance(grade, bool) or grade not in GRADES:
            raise ValueError(f"{case_id}: grade of {key!r} must be one of {GRADES}, got {grade!r}")
    return Case(
        case_id=case_id,
        profile=profile_from_dict(data["profile"]),
        as_of=date.fromisoformat(data["as_of"]),
        lang=normalise_lang(data.get("lang", "en")),
        judgments=judgments,
        expected_needs=tuple(data.get("expected_needs") or ()),
    )


def load_cases(path: str | Path | None = None) -> list[Case]:
    """The labelled cases: the shipped `data/evaluation_set.json` unless `path` is given."""
    raw = json.loads(Path(path or EVALUATION_SET_PATH).read_text("utf-8"))
    cases = [case_from_dict(item) for item in raw]
    ids = [case.case_id for case in cases]
    if len(set(ids)) != len(ids):
        raise ValueError("case ids must be unique")
    return cases


def judgment_problems(cases: Sequence[Case], offers: Sequence[OfferRecord]) -> list[str]:
    """Judged offers missing from the catalogue or not eligible for their case; [] if none."""
    by_external_id = {o.external_id: o for o in offers if o.external_id is not None}
    problems = []
    for case in cases:
        for key in case.judgments:
            offer = by_external_id.get(key)
            if offer is None:
                problems.append(f"{case.case_id}: {key!r} is not in the catalogue")
            elif not is_eligible(offer, case.profile, case.as_of):
                problems.append(f"{case.case_id}: {key!r} is judged but not eligible")
    return problems


# --- Metrics ------------------------------------------------------------------------


def dcg(grades: Sequence[int], k: int = NDCG_CUTOFF) -> float:
    """Discounted cumulative gain of grades in rank order: Σ (2^g - 1) / log2(rank + 1)."""
    values = np.asarray(list(grades)[:k], dtype=np.float64)
    if values.size == 0:
        return 0.0
    discounts = np.log2(np.arange(2, values.size + 2))
    return float(np.sum((2.0**values - 1.0) / discounts))


def ndcg(ranked: Sequence[str | None], judgments: Mapping[str, int], k: int = NDCG_CUTOFF) -> float:
    """DCG of `ranked` over that of the judgments' ideal order; 0 when nothing is judged."""
    ideal = dcg(sorted(judgments.values(), reverse=True), k)
    if ideal == 0.0:
        return 0.0
    return dcg([judgments.get(key, 0) for key in ranked], k) / ideal


def precision(
    ranked: Sequence[str | None],
    judgments: Mapping[str, int],
    k: int = PRECISION_CUTOFF,
    relevant_grade: int = RELEVANT_GRADE,
) -> float:
    """Share of the first `k` slots holding an offer graded `relevant_grade` or more."""
    hits = sum(judgments.get(key, 0) >= relevant_grade for key in list(ranked)[:k])
    return hits / k


def need_recall(index: MatchIndex, cases: Sequence[Case]) -> float | None:
    """Mean share of each case's expected needs that the matcher reads; None if no case has any."""
    shares = []
    for case in cases:
        if case.expected_needs:
            read = set(index.infer_needs(case.profile) or ())
            shares.append(len(read & set(case.expected_needs)) / len(set(case.expected_needs)))
    return float(np.mean(shares)) if shares else None


def violations(recommended: Sequence[OfferRecord], profile: Profile, as_of: date) -> int:
    """How many recommended offers the profile is not eligible for on `as_of`."""
    return sum(not is_eligible(offer, profile, as_of) for offer in recommended)


# --- The systems --------------------------------------------------------------------


def matcher_ranker(
    index: MatchIndex, offers: Sequence[OfferRecord], *, labels: Labels, top: int = NDCG_CUTOFF
) -> Ranker:
    """The matcher: `index.match` in the case's language, its `top` results."""
    by_id = {offer.offer_id: offer for offer in offers}

    def rank(case: Case) -> list[OfferRecord]:
        result = index.match(
            case.profile, as_of=case.as_of, top=top, lang=case.lang, labels=labels, near_misses=0
        )
        return [by_id[item.offer_id] for item in result.results]

    return rank


def _admits(codes: Sequence[str], value: str) -> bool:
    return not codes or value in codes


def directory_ranker(offers: Sequence[OfferRecord], *, top: int = NDCG_CUTOFF) -> Ranker:
    """Baseline: offers admitting the project's country and sector, alphabetically by title."""
    ordered = sorted(offers, key=lambda o: (o.title.casefold(), o.offer_id))

    def rank(case: Case) -> list[OfferRecord]:
        profile = case.profile
        listed = (
            offer
            for offer in ordered
            if _admits(offer.countries, profile.target_country)
            and _admits(offer.sectors, profile.sector)
        )
        return [offer for offer, _ in zip(listed, range(top), strict=False)]

    return rank


def search_text(profile: Profile, labels: Labels | None = None) -> str:
    """What the text baseline searches for: the description and the needs' labels."""
    words = [profile.description or ""]
    if labels is not None:
        # Both languages: the catalogue mixes French and English offers.
        words += [labels.category(need, lang) for need in profile.needs for lang in ("en", "fr")]
    return "\n".join(words)


def text_search_ranker(
    offers: Sequence[OfferRecord], *, labels: Labels | None = None, top: int = NDCG_CUTOFF
) -> Ranker:
    """Baseline: TF-IDF cosine of the request with each offer's title and description."""
    ordered = tuple(sorted(offers, key=lambda o: o.offer_id))
    # The matcher's own bilingual word stems: the baseline gets the same text evidence.
    vectorizer = TfidfVectorizer(analyzer=analyse, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform([f"{o.title}\n{o.description}" for o in ordered])
    except ValueError:  # an empty catalogue, or only stop words: nothing can be found
        return lambda case: []

    def rank(case: Case) -> list[OfferRecord]:
        query = vectorizer.transform([search_text(case.profile, labels)])
        cosine = (matrix @ query.T).toarray().ravel()
        order = np.argsort(-cosine, kind="stable")
        # A search lists only the offers sharing at least one word with the request.
        return [ordered[i] for i in order[:top] if cosine[i] > 0.0]

    return rank


# --- Running an evaluation ----------------------------------------------------------


def score_case(case: Case, recommended: Sequence[OfferRecord]) -> CaseScore:
    """The figures of one ranked list for one case."""
    ranked = tuple(offer.external_id for offer in recommended)
    return CaseScore(
        case_id=case.case_id,
        ndcg10=ndcg(ranked, case.judgments),
        p5=precision(ranked, case.judgments),
        violations=violations(recommended, case.profile, case.as_of),
        ranked=ranked,
    )


def evaluate(name: str, ranker: Ranker, cases: Sequence[Case]) -> SystemScore:
    """Run `ranker` on every case: mean NDCG@10 and precision@5, summed violations."""
    scores = tuple(score_case(case, list(ranker(case))[:NDCG_CUTOFF]) for case in cases)
    return SystemScore(
        name=name,
        ndcg10=float(np.mean([s.ndcg10 for s in scores])) if scores else 0.0,
        p5=float(np.mean([s.p5 for s in scores])) if scores else 0.0,
        violations=sum(s.violations for s in scores),
        profiles=len(scores),
        cases=scores,
    )


def evaluate_systems(
    offers: Sequence[OfferRecord],
    cases: Sequence[Case],
    *,
    labels: Labels,
    needs_model: NeedsModel | None = None,
    currency_rates: Mapping[str, float | Decimal] | None = None,
) -> list[SystemScore]:
    """The matcher, then the directory and text-search baselines, on the same cases."""
    index = MatchIndex.build(offers, needs_model=needs_model, currency_rates=currency_rates)
    matcher = evaluate(MATCHER, matcher_ranker(index, offers, labels=labels), cases)
    baselines = (
        (DIRECTORY, directory_ranker(offers)),
        (TEXT_SEARCH, text_search_ranker(offers, labels=labels)),
    )
    return [
        replace(matcher, need_recall=need_recall(index, cases)),
        *(evaluate(name, ranker, cases) for name, ranker in baselines),
    ]


def worst_cases(score: SystemScore, count: int = 5) -> list[CaseScore]:
    """The system's `count` lowest-NDCG cases, lowest first."""
    return sorted(score.cases, key=lambda s: (s.ndcg10, s.case_id))[:count]


def format_table(scores: Sequence[SystemScore]) -> str:
    """The systems' figures as an aligned plain-text table."""
    width = max([len("System"), *(len(s.name) for s in scores)])
    header = f"{'System':<{width}}  NDCG@10   P@5  Violations  Profiles  Need recall"
    lines = [header, "-" * len(header)]
    for s in scores:
        recall = "-" if s.need_recall is None else f"{s.need_recall:.3f}"
        lines.append(
            f"{s.name:<{width}}  {s.ndcg10:7.3f} {s.p5:5.3f}  {s.violations:>10}  {s.profiles:>8}"
            f"  {recall:>11}"
        )
    return "\n".join(lines)
