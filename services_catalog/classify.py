"""Auto-classification: propose an offer's kind, categories and sectors from its text.

Features: TF-IDF of accent-stripped words and of character 2-to-5-grams within words (the
latter catch French and English spellings of the same stem and typos). One logistic
regression per output column — the kind, each category, each sector — with balanced class
weights, since most codes are rare. Raw probabilities of such models sit too close to 0.5,
so each field (kind, categories, sectors) gets a Platt scaling fitted on out-of-fold
logits; a confidence of 0.8 then means "right about four times in five", which `evaluate`
checks. Trained on the shipped examples plus the demo or the live published catalogue.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from scipy.special import expit
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.pipeline import FeatureUnion
from sqlalchemy.orm import Session

from services_catalog.demo import demo_offers
from services_catalog.service import published_offers_data
from services_catalog.taxonomy import CATEGORIES, KINDS, SECTORS

EXAMPLES_PATH = Path(__file__).parent / "data" / "classification_examples.json"

# Output columns: P(kind is financing), then one per category, then one per sector.
COLUMNS = ("financing", *CATEGORIES, *SECTORS)
FIELDS = {
    "kind": slice(0, 1),
    "categories": slice(1, 1 + len(CATEGORIES)),
    "sectors": slice(1 + len(CATEGORIES), len(COLUMNS)),
}
_CATEGORY_CODES = np.array(list(CATEGORIES))
_SECTOR_CODES = np.array(list(SECTORS))
_CATEGORY_KINDS_MASK = {
    kind: np.array([term.kind == kind for term in CATEGORIES.values()]) for kind in KINDS
}

REGULARISATION = 20.0  # C of each regression; 10-30 scored alike in cross-validation
# Platt scaling per field, (slope, intercept) on the raw logit: `fit_calibration` on the
# shipped examples and demo catalogue (5 folds, 3 shuffles). Fitting it inside `train` would
# cost four more fits and, on smaller folds, come out too steep. `evaluate` reports mean
# confidence against precision: refit when they drift apart.
CALIBRATION = {"kind": (1.9, 0.18), "categories": (1.55, 1.13), "sectors": (1.5, 1.27)}
IDENTITY = dict.fromkeys(FIELDS, (1.0, 0.0))
# Decision rules on calibrated probabilities, chosen on the figures of `evaluate`.
CATEGORY_THRESHOLD = 0.5  # further categories after the primary one: more likely than not
SECTOR_THRESHOLD = 0.5  # no sector that likely: the offer is open to all sectors
MAX_CATEGORIES = 4
MAX_SECTORS = 4


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Proposed codes with confidences in [0, 1]; no sector means "all sectors"."""

    kind: str
    kind_confidence: float
    categories: list[tuple[str, float]]  # the first is the primary one, of `kind`
    sectors: list[tuple[str, float]]


def load_examples(path: str | Path | None = None) -> list[dict]:
    """The shipped labelled offers: title, description, kind, categories, sectors."""
    return json.loads(Path(path or EXAMPLES_PATH).read_text("utf-8"))


def offer_text(record: Mapping) -> str:
    """The text an offer is classified on: its title and description."""
    return f"{record.get('title') or ''}\n{record.get('description') or ''}".strip()


def shipped_records() -> list[dict]:
    """The shipped examples and the demo catalogue: what `Classifier.default` learns."""
    return load_examples() + demo_offers()


def catalogue_records(session: Session) -> list[dict]:
    """The shipped examples and the database's published offers."""
    return load_examples() + published_offers_data(session)


def _usable(records: Iterable[Mapping]) -> list[dict]:
    """Records with a text, a known kind and at least one known category; unknown codes out."""
    usable = []
    for record in records:
        categories = [c for c in record.get("categories") or () if c in CATEGORIES]
        if record.get("kind") in KINDS and categories and offer_text(record):
            sectors = [s for s in record.get("sectors") or () if s in SECTORS]
            usable.append({**record, "categories": categories, "sectors": sectors})
    return usable


def _targets(records: Sequence[Mapping]) -> np.ndarray:
    """The 0/1 matrix of `COLUMNS` for these records."""
    targets = np.zeros((len(records), len(COLUMNS)), dtype=np.int8)
    index = {code: i for i, code in enumerate(COLUMNS)}
    for row, record in enumerate(records):
        targets[row, 0] = record["kind"] == "financing"
        for code in (*record["categories"], *record["sectors"]):
            targets[row, index[code]] = 1
    return targets


def _features() -> FeatureUnion:
    words = TfidfVectorizer(strip_accents="unicode", sublinear_tf=True)
    chars = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), strip_accents="unicode", sublinear_tf=True
    )
    return FeatureUnion([("words", words), ("chars", chars)])


def _fit_columns(features, targets: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    """One regression per column, stacked: logits are then `features @ weights + bias`."""
    weights = np.zeros((features.shape[1], targets.shape[1]))
    bias = np.zeros(targets.shape[1])
    for j, column in enumerate(targets.T):
        positives = int(column.sum())
        if positives in (0, len(column)):  # a code never (or always) seen: its smoothed rate
            rate = (positives + 0.5) / (len(column) + 1)
            bias[j] = np.log(rate / (1 - rate))
            continue
        # The dual problem is the small one: hundreds of texts, tens of thousands of n-grams.
        model = LogisticRegression(
            C=c,
            class_weight="balanced",
            solver="liblinear",
            dual=True,
            max_iter=1000,
            random_state=0,
        ).fit(features, column)
        weights[:, j] = model.coef_.ravel()
        bias[j] = model.intercept_[0]
    return weights, bias


def _platt(logits: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """Slope and intercept mapping raw logits to calibrated ones; identity if degenerate."""
    if truth.min() == truth.max():
        return 1.0, 0.0
    model = LogisticRegression(C=1e4).fit(logits.reshape(-1, 1), truth)
    slope = float(model.coef_[0, 0])
    return (round(slope, 2), round(float(model.intercept_[0]), 2)) if slope > 0 else (1.0, 0.0)


def fit_calibration(records: Iterable[Mapping], *, folds: int = 5, seeds=(0, 1, 2)) -> dict:
    """Per-field Platt scaling fitted on out-of-fold raw logits: how `CALIBRATION` was made."""
    usable = _usable(records)
    texts = [offer_text(record) for record in usable]
    truth = _targets(usable)
    logits, targets = [], []
    for seed in seeds:
        for train, test in _folds(usable, folds, seed):
            classifier = Classifier.train([usable[i] for i in train], calibration=IDENTITY)
            logits.append(classifier.logits([texts[i] for i in test]))
            targets.append(truth[test])
    logits, targets = np.vstack(logits), np.vstack(targets)
    return {
        field: _platt(logits[:, columns].ravel(), targets[:, columns].ravel())
        for field, columns in FIELDS.items()
    }


class Classifier:
    """Offer text (fr or en) → proposed kind, categories and sectors with confidences."""

    def __init__(self, features: FeatureUnion, weights, bias, calibration: Mapping) -> None:
        # Each vectorizer with its rows of `weights`: scoring block by block skips the
        # union's stacking, a third of the time of a suggestion.
        self._blocks = []
        offset = 0
        for _, vectorizer in features.transformer_list:
            size = len(vectorizer.vocabulary_)
            self._blocks.append((vectorizer, weights[offset : offset + size]))
            offset += size
        self._bias = bias
        self._slope = np.ones(len(COLUMNS))
        self._intercept = np.zeros(len(COLUMNS))
        for field, (slope, intercept) in calibration.items():
            self._slope[FIELDS[field]], self._intercept[FIELDS[field]] = slope, intercept

    @classmethod
    def train(
        cls,
        records: Iterable[Mapping],
        *,
        c: float = REGULARISATION,
        calibration: Mapping = CALIBRATION,
    ) -> Classifier:
        """Fit on offers in the exchange format (title, description, kind, categories, sectors)."""
        usable = _usable(records)
        if len({record["kind"] for record in usable}) < 2:
            raise ValueError("training needs labelled offers of both kinds")
        features = _features()
        matrix = features.fit_transform([offer_text(record) for record in usable]).tocsr()
        weights, bias = _fit_columns(matrix, _targets(usable), c)
        return cls(features, weights, bias, calibration)

    @classmethod
    def default(cls) -> Classifier:
        """Trained on the shipped examples and the demo catalogue, once per process."""
        return _default_classifier()

    @classmethod
    def from_catalogue(cls, session: Session) -> Classifier:
        """Retrained on the shipped examples and the current published catalogue."""
        return cls.train(catalogue_records(session))

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Raw log-odds of each of `COLUMNS`, one row per text."""
        return sum(vectorizer.transform(texts) @ w for vectorizer, w in self._blocks) + self._bias

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probability of each of `COLUMNS`, one row per text."""
        return expit(self._slope * self.logits(texts) + self._intercept)

    def suggest(self, text: str) -> Suggestion:
        """The proposed kind, categories (at least one) and sectors for an offer's text."""
        if not isinstance(text, str) or not text.strip():
            raise ValueError("the text to classify is empty")
        return _decide(self.probabilities([text])[0])

    def suggest_many(self, texts: Sequence[str]) -> list[Suggestion]:
        """`suggest` for each text, in order, in one pass."""
        return [_decide(row) for row in self.probabilities(list(texts))] if texts else []


def _ranked(codes: np.ndarray, probabilities: np.ndarray) -> list[tuple[str, float]]:
    order = sorted(range(len(codes)), key=lambda i: (-probabilities[i], codes[i]))
    return [(str(codes[i]), round(float(probabilities[i]), 3)) for i in order]


def _decide(row: np.ndarray) -> Suggestion:
    """Apply the decision rules to one row of calibrated probabilities."""
    categories = row[FIELDS["categories"]]
    # Each kind's probability times that of its likeliest category, normalised: a text the
    # kind model hesitates on ("bureaux équipés") follows a clear category (workspace).
    kind_probability = {"financing": row[0], "service": 1.0 - row[0]}
    evidence = {
        kind: kind_probability[kind] * categories[_CATEGORY_KINDS_MASK[kind]].max()
        for kind in KINDS
    }
    kind = max(evidence, key=lambda k: (evidence[k], k))
    total = sum(evidence.values())
    ranked = _ranked(_CATEGORY_CODES, categories)
    # The primary category is the likeliest one of the proposed kind, whatever its value.
    primary = next(item for item in ranked if CATEGORIES[item[0]].kind == kind)
    others = [item for item in ranked if item != primary and item[1] >= CATEGORY_THRESHOLD]
    sectors = _ranked(_SECTOR_CODES, row[FIELDS["sectors"]])
    return Suggestion(
        kind=kind,
        kind_confidence=round(float(evidence[kind] / total) if total > 0 else 0.5, 3),
        categories=[primary, *others][:MAX_CATEGORIES],
        sectors=[item for item in sectors if item[1] >= SECTOR_THRESHOLD][:MAX_SECTORS],
    )


@cache
def _default_classifier() -> Classifier:
    return Classifier.train(shipped_records())


# Evaluation ---------------------------------------------------------------------------

ALL_SECTORS = "(all sectors)"  # the empty sector list, scored as a label of its own


@dataclass(frozen=True, slots=True)
class FieldScore:
    """One field's cross-validated figures against the majority baseline."""

    field: str
    labels: int  # codes scored: those present in the data (sectors: plus ALL_SECTORS)
    macro_f1: float
    baseline_f1: float
    confidence: float | None  # mean confidence of the proposed codes (None: none proposed)
    precision: float | None  # share of the proposed codes that were right (kind: accuracy)


@dataclass(frozen=True, slots=True)
class Evaluation:
    records: int
    folds: int
    fields: tuple[FieldScore, ...]


def evaluate(records: Iterable[Mapping], *, folds: int = 5, seed: int = 0) -> Evaluation:
    """Cross-validated macro-F1 per field of the classifier and of the majority baseline.

    The baseline proposes, for every text, each field's most frequent label set in the
    training folds (the commonest kind; the commonest category list; the commonest sector
    list, usually "all sectors"). Folds are stratified on the primary category.
    """
    usable = _usable(records)
    truth = _targets(usable)
    texts = [offer_text(record) for record in usable]
    predicted = np.zeros_like(truth)
    baseline = np.zeros_like(truth)
    confidence = np.zeros(truth.shape)
    for train, test in _folds(usable, folds, seed):
        classifier = Classifier.train([usable[i] for i in train])
        suggestions = classifier.suggest_many([texts[i] for i in test])
        for row, suggestion in zip(test, suggestions, strict=True):
            predicted[row], confidence[row] = _as_row(suggestion)
        baseline[test] = _majority(truth[train])
    scores = tuple(_field_score(name, truth, predicted, baseline, confidence) for name in FIELDS)
    return Evaluation(records=len(usable), folds=folds, fields=scores)


def _folds(records: Sequence[Mapping], folds: int, seed: int) -> list:
    """Train/test index pairs, stratified on the primary category where it is frequent enough."""
    if len(records) < 2 * folds:
        raise ValueError(f"evaluation needs at least {2 * folds} labelled offers")
    primary = [r["categories"][0] for r in records]
    counts = Counter(primary)
    # A category too rare to appear in every fold is stratified with its kind instead.
    strata = [p if counts[p] >= folds else r["kind"] for p, r in zip(primary, records, strict=True)]
    if min(Counter(strata).values()) >= folds:
        splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
        return list(splitter.split(strata, strata))
    return list(KFold(folds, shuffle=True, random_state=seed).split(records))


def _as_row(suggestion: Suggestion) -> tuple[np.ndarray, np.ndarray]:
    """A suggestion as 0/1 proposals over `COLUMNS`, with the confidence of each proposal."""
    proposed = np.zeros(len(COLUMNS), dtype=np.int8)
    confidence = np.zeros(len(COLUMNS))
    proposed[0] = suggestion.kind == "financing"
    confidence[0] = suggestion.kind_confidence
    for code, value in (*suggestion.categories, *suggestion.sectors):
        proposed[COLUMNS.index(code)] = 1
        confidence[COLUMNS.index(code)] = value
    return proposed, confidence


def _majority(truth: np.ndarray) -> np.ndarray:
    """Per field, the label set seen most often in `truth` (ties: the first seen)."""
    row = np.zeros(truth.shape[1], dtype=truth.dtype)
    for columns in FIELDS.values():
        patterns = Counter(tuple(r) for r in truth[:, columns])
        row[columns] = patterns.most_common(1)[0][0]
    return row


def _field_score(name, truth, predicted, baseline, confidence) -> FieldScore:
    """Macro-F1 of the proposals and of the baseline on one field, with calibration figures."""
    columns = FIELDS[name]
    truth, predicted, baseline = truth[:, columns], predicted[:, columns], baseline[:, columns]
    if name == "kind":  # scored as two classes, service and financing
        labels = 2
        precision = float((truth == predicted).mean())
        mean_confidence = float(confidence[:, 0].mean())
    else:
        proposed = predicted == 1
        precision = float(truth[proposed].mean()) if proposed.any() else None
        mean_confidence = float(confidence[:, columns][proposed].mean()) if proposed.any() else None
        if name == "sectors":  # "open to all sectors" is an answer too: score it as a label
            truth, predicted, baseline = map(_with_all_sectors, (truth, predicted, baseline))
        present = truth.sum(axis=0) > 0
        truth, predicted, baseline = truth[:, present], predicted[:, present], baseline[:, present]
        labels = int(present.sum())

    def f1(guess: np.ndarray) -> float:
        return round(float(f1_score(truth, guess, average="macro", zero_division=0)), 3)

    return FieldScore(
        field=name,
        labels=labels,
        macro_f1=f1(predicted),
        baseline_f1=f1(baseline),
        confidence=None if mean_confidence is None else round(mean_confidence, 3),
        precision=None if precision is None else round(precision, 3),
    )


def _with_all_sectors(matrix: np.ndarray) -> np.ndarray:
    return np.column_stack([matrix, matrix.sum(axis=1) == 0]).astype(np.int8)


def format_evaluation(evaluation: Evaluation) -> str:
    """The evaluation as a plain-text table."""
    lines = [
        f"{evaluation.folds}-fold cross-validation on {evaluation.records} labelled offers "
        "(macro-F1 over the codes present; baseline: the most frequent label set)",
        f"{'field':<12}{'labels':>7}{'classifier':>12}{'baseline':>10}"
        f"{'mean confidence':>17}{'precision':>11}",
    ]
    for score in evaluation.fields:
        confidence, precision = (
            "-" if v is None else f"{v:.3f}" for v in (score.confidence, score.precision)
        )
        lines.append(
            f"{score.field:<12}{score.labels:>7}{score.macro_f1:>12.3f}{score.baseline_f1:>10.3f}"
            f"{confidence:>17}{precision:>11}"
        )
    lines.append(
        "mean confidence vs precision: how far the stated confidences are from the truth; "
        f"sectors count {ALL_SECTORS!r} as a label."
    )
    return "\n".join(lines)
